// Loaded at the start of <body>, in place of GOV.UK Frontend's inline snippet, so that
// a strict Content Security Policy needs no 'unsafe-inline'.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
