// Progressive enhancement only: every page works without this file.
// On a phone the works filter form starts folded, so the results come first on screen.
(function () {
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia("(max-width: 899px)").matches) {
    filters.open = false;
  }
})();
