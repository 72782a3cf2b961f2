// Starts GOV.UK Frontend, MOJ Frontend and the portal's own components on every page.
// Loaded as an ES module from an external file: no inline script anywhere.
import { initAll as initGovuk } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj-frontend/moj-frontend.min.js";
import { initAll as initMultiAutocomplete } from "./multi-autocomplete.js";
import { initAll as initTimeoutWarning } from "./timeout-warning.js";

initGovuk();
initMoj();
initMultiAutocomplete();
initTimeoutWarning();
