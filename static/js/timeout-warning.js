// The session timeout warning, after the GOV.UK / HMRC timeout warning pattern.
//
// The server ends a session SESSION_COOKIE_AGE seconds after the last request. This
// module opens a modal dialog `warning` seconds before that (less a small margin), counts down, and offers
// "Stay signed in" (a POST to the keep-alive URL, which moves the server's expiry on) and
// "Sign out". The native <dialog> opened with showModal() keeps focus inside the dialog
// and makes the rest of the page inert; Escape counts as "Stay signed in", as in HMRC's
// pattern. When the time runs out the page signs out and goes to the sign-in page.

const SELECTOR = '[data-module="portal-timeout-warning"]';
// Sign out this many seconds before the server would end the session anyway, so that
// the sign-out is a real one (audited, the session deleted) and not a redirect.
const MARGIN = 5;

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export class TimeoutWarning {
  constructor(dialog) {
    this.dialog = dialog;
    this.timeout = Math.max(1, Number(dialog.dataset.timeoutSeconds) - MARGIN);
    this.warning = Math.min(Number(dialog.dataset.warningSeconds), this.timeout);
    this.keepAliveUrl = dialog.dataset.keepAliveUrl;
    this.signedOutUrl = dialog.dataset.signedOutUrl;
    this.countdown = dialog.querySelector("[data-timeout-countdown]");
    this.announce = dialog.querySelector("[data-timeout-announce]");
    this.signOutForm = document.getElementById(dialog.dataset.signOutForm);
    this.returnFocus = null;
    dialog.querySelector("[data-timeout-stay]").addEventListener("click", () => this.stay());
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault(); // Escape: stay signed in rather than just hide the warning
      this.stay();
    });
    this.start();
  }

  start() {
    clearTimeout(this.openTimer);
    clearInterval(this.tick);
    this.expiresAt = Date.now() + this.timeout * 1000;
    this.openTimer = setTimeout(() => this.open(), (this.timeout - this.warning) * 1000);
  }

  secondsLeft() {
    return Math.max(0, Math.round((this.expiresAt - Date.now()) / 1000));
  }

  open() {
    this.returnFocus = document.activeElement;
    this.update(true);
    this.dialog.showModal();
    this.tick = setInterval(() => this.update(false), 1000);
  }

  update(first) {
    const left = this.secondsLeft();
    if (left <= 0) {
      this.signOut();
      return;
    }
    const text = describe(left);
    this.countdown.textContent = text;
    // Screen readers hear the time when the dialog opens, then every 15 seconds in the
    // last minute and at each new minute before that: not every second.
    if (first || (left < 60 ? left % 15 === 0 : left % 60 === 0)) {
      this.announce.textContent = `For your security, we will sign you out in ${text}.`;
    }
  }

  close() {
    clearInterval(this.tick);
    if (this.dialog.open) this.dialog.close();
    if (this.returnFocus && document.contains(this.returnFocus)) this.returnFocus.focus();
  }

  async stay() {
    const token = this.signOutForm?.querySelector("[name=csrfmiddlewaretoken]")?.value ?? "";
    try {
      const response = await fetch(this.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.status !== 204) throw new Error(`keep-alive answered ${response.status}`);
    } catch {
      // The session has already ended on the server: say so on the sign-in page.
      window.location.assign(this.signedOutUrl);
      return;
    }
    this.close();
    this.start();
  }

  signOut() {
    clearInterval(this.tick);
    if (this.signOutForm) {
      this.signOutForm.requestSubmit();
    } else {
      window.location.assign(this.signedOutUrl);
    }
  }
}

export function initAll(root = document) {
  return [...root.querySelectorAll(SELECTOR)].map((dialog) => new TimeoutWarning(dialog));
}
