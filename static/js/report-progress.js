// The annual report's progress page: reload every three seconds until the run is done
// (the server renders the state; without JavaScript the page says to reload it).
(function () {
  "use strict";
  if (document.querySelector("[data-report-progress]")) {
    window.setTimeout(function () {
      window.location.reload();
    }, 3000);
  }
})();
