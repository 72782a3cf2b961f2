// Progressive enhancement of <select multiple data-module="portal-multi-autocomplete">:
// a text box that filters the options (ARIA 1.2 combobox with a listbox), and the chosen
// items listed with a "Remove" button each. The native select stays in the form, hidden,
// and carries the values; without JavaScript the native select is used as it is.

let instances = 0;

function text(option) {
  return option.textContent.trim();
}

export function enhance(select) {
  if (select.dataset.portalEnhanced) return;
  select.dataset.portalEnhanced = "true";
  const id = `pma-${++instances}`;
  const label = document.querySelector(`label[for="${select.id}"]`);

  const wrapper = document.createElement("div");
  wrapper.className = "portal-multi-autocomplete";

  const chosen = document.createElement("ul");
  chosen.className = "govuk-list portal-multi-autocomplete__chosen";
  chosen.setAttribute("aria-label", `Selected${label ? ": " + label.textContent.trim() : ""}`);

  const input = document.createElement("input");
  input.type = "text";
  input.className = "govuk-input portal-multi-autocomplete__input";
  input.id = `${id}-input`;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", `${id}-listbox`);
  input.setAttribute("autocomplete", "off");
  const describedBy = select.getAttribute("aria-describedby");
  if (describedBy) input.setAttribute("aria-describedby", describedBy);
  if (select.classList.contains("govuk-select--error")) input.classList.add("govuk-input--error");

  const listbox = document.createElement("ul");
  listbox.className = "portal-multi-autocomplete__listbox";
  listbox.id = `${id}-listbox`;
  listbox.setAttribute("role", "listbox");
  if (label) listbox.setAttribute("aria-label", label.textContent.trim());
  listbox.hidden = true;

  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  let matches = [];
  let active = -1;

  function renderChosen() {
    chosen.replaceChildren();
    for (const option of select.selectedOptions) {
      const item = document.createElement("li");
      item.className = "portal-multi-autocomplete__chosen-item";
      const name = document.createElement("span");
      name.textContent = text(option);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "govuk-button govuk-button--secondary portal-multi-autocomplete__remove";
      remove.innerHTML = 'Remove<span class="govuk-visually-hidden"></span>';
      remove.querySelector("span").textContent = ` ${text(option)}`;
      remove.addEventListener("click", () => {
        option.selected = false;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        renderChosen();
        status.textContent = `${text(option)} removed`;
        input.focus();
      });
      item.append(name, remove);
      chosen.append(item);
    }
    chosen.hidden = select.selectedOptions.length === 0;
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    const items = listbox.querySelectorAll('[role="option"]');
    items.forEach((item, i) => {
      item.classList.toggle("portal-multi-autocomplete__option--focused", i === index);
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && items[index]) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(option) {
    option.selected = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    renderChosen();
    status.textContent = `${text(option)} added`;
    input.value = "";
    close();
    input.focus();
  }

  function search() {
    const query = input.value.trim().toLowerCase();
    listbox.replaceChildren();
    if (!query) {
      close();
      return;
    }
    matches = Array.from(select.options).filter(
      (option) => !option.selected && option.value && text(option).toLowerCase().includes(query),
    );
    const shown = matches.slice(0, 20);
    shown.forEach((option, index) => {
      const item = document.createElement("li");
      item.id = `${id}-option-${index}`;
      item.className = "portal-multi-autocomplete__option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = text(option);
      // mousedown, not click: it fires before the input loses focus.
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(option);
      });
      listbox.append(item);
    });
    if (shown.length === 0) {
      const none = document.createElement("li");
      none.className = "portal-multi-autocomplete__option portal-multi-autocomplete__option--none";
      none.textContent = "No results found";
      listbox.append(none);
    }
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    const more = matches.length > shown.length ? ` (first ${shown.length} shown)` : "";
    status.textContent = `${matches.length} result${matches.length === 1 ? "" : "s"} available${more}`;
  }

  input.addEventListener("input", search);
  input.addEventListener("keydown", (event) => {
    const count = listbox.querySelectorAll('[role="option"]').length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      if (listbox.hidden) search();
      setActive(Math.min(active + 1, count - 1));
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      setActive(Math.max(active - 1, 0));
    } else if (event.key === "Enter") {
      if (!listbox.hidden && active >= 0 && matches[active]) {
        event.preventDefault();
        choose(matches[active]);
      } else if (!listbox.hidden) {
        event.preventDefault(); // never submit the form from the search box
      }
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", close);

  // The label now names the text box; the native select is hidden but still submitted.
  if (label) label.setAttribute("for", input.id);
  select.hidden = true;
  select.setAttribute("aria-hidden", "true");
  select.tabIndex = -1;
  select.after(wrapper);
  wrapper.append(chosen, input, listbox, status);
  renderChosen();
}

export function initAll(scope = document) {
  scope.querySelectorAll('select[multiple][data-module="portal-multi-autocomplete"]').forEach(enhance);
}
