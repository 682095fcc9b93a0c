/* The phone menu is a <details> disclosure and works without this script; with it, Escape or a
   click outside closes the open menu (Escape gives the focus back to the Menu button). */
(function () {
  "use strict";
  var menu = document.querySelector(".nav-menu");
  if (!menu) return;
  var button = menu.querySelector("summary");
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
})();
