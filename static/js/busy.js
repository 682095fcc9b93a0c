/* Forms that start long work (finding or writing a lesson) show it: the button turns busy and says
   what is happening, and a second click cannot send the form twice. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-busy-label]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (!button) return;
      window.setTimeout(function () { button.disabled = true; }, 0); // after the browser reads the form
      button.setAttribute("aria-busy", "true");
      button.classList.add("is-busy");
      button.textContent = form.getAttribute("data-busy-label");
      var status = form.querySelector("[data-busy-status]");
      if (status) status.textContent = form.getAttribute("data-busy-note") || "";
    });
  });
})();
