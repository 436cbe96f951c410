/* Mobile-app login page: poll the JSON status and continue once the app has approved.
   Without JavaScript the page still works: the citizen presses "continue" after approving. */
(function () {
  "use strict";
  var form = document.getElementById("app-continue");
  var status = document.getElementById("app-status");
  if (!form || !status || !window.fetch) {
    return;
  }
  var url = form.getAttribute("data-status-url");
  var started = Date.now();

  function schedule() {
    // Stop after 10 minutes: the code has long expired by then.
    if (Date.now() - started < 600000) {
      window.setTimeout(poll, 1500);
    }
  }

  function poll() {
    window.fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      if (body && body.status === "approved") {
        status.textContent = status.getAttribute("data-approved");
        form.submit();
      } else if (body && body.status === "expired") {
        status.textContent = status.getAttribute("data-expired");
      } else {
        schedule();
      }
    }).catch(schedule);
  }

  schedule();
}());
