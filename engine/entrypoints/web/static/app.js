// caseflow: the little script the pages need (no inline script anywhere: CSP).
(function () {
  "use strict";
  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  // Every htmx request carries the session's form token (forms also carry it as a field).
  document.addEventListener("htmx:configRequest", function (event) {
    var t = token();
    if (t) { event.detail.headers["X-CSRF-Token"] = t; }
  });
  // Upload progress on the attachment form.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest ? event.target.closest("form.upload") : null;
    if (!form) { return; }
    var bar = form.querySelector("progress");
    if (bar && event.detail.lengthComputable) {
      bar.hidden = false;
      bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    }
  });
  // A refused htmx request shows the page it got back (an error page) instead of nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseText) { document.documentElement.innerHTML = xhr.responseText; }
  });
})();
