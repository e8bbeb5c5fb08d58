/* Facet filters of dl4mic-hub's section pages.
 *
 * The page carries everything: the form (.dl-filters, hidden until this script runs, so a
 * reader without JavaScript simply sees every table), the translated messages in its data-*
 * attributes, and each row's facet keys on a .dl-row marker. Filters combine with AND, and the
 * state lives in the query string so a filtered view can be shared. Material's document$
 * fires on every page load, including instant navigation.
 */
(function () {
  "use strict";

  function setup() {
    var form = document.querySelector("form.dl-filters");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    form.hidden = false;

    var rows = Array.prototype.map.call(document.querySelectorAll(".dl-row"), function (marker) {
      return { marker: marker, tr: marker.closest("tr") };
    });
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var text = form.querySelector("input[name=q]");
    var status = form.querySelector(".dl-filter-status");

    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        select.value = wanted;
      }
    });
    text.value = params.get("q") || "";

    function matches(row, query) {
      var facetsOk = selects.every(function (select) {
        if (!select.value) return true;
        var keys = (row.marker.getAttribute("data-" + select.name) || "").split(" ");
        return keys.indexOf(select.value) >= 0;
      });
      return facetsOk && (!query || row.tr.textContent.toLowerCase().indexOf(query) >= 0);
    }

    function apply() {
      var query = text.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var visible = matches(row, query);
        row.tr.hidden = !visible;
        if (visible) shown += 1;
      });
      // A task group whose rows are all hidden disappears with its heading.
      document.querySelectorAll(".md-typeset table").forEach(function (table) {
        if (!table.querySelector(".dl-row")) return;
        var any = table.querySelector("tbody tr:not([hidden])") !== null;
        var block = table.closest(".md-typeset__scrollwrap") || table;
        block.hidden = !any;
        var heading = block.previousElementSibling;
        if (heading && heading.tagName === "H2") {
          heading.hidden = !any;
          // Links to the group (jump line, table of contents) go and come back with it.
          // (Material rewrites in-page links to absolute URLs: compare their hash.)
          document.querySelectorAll(".dl-jump a, .md-sidebar--secondary a").forEach(
            function (link) {
              if (link.hash !== "#" + heading.id) return;
              var holder = link.closest(".dl-jump, .md-nav__item");
              if (holder) holder.hidden = !any;
            });
        }
      });
      status.textContent = shown === 0 ? form.dataset.none
        : form.dataset.status.replace("{shown}", shown).replace("{total}", rows.length);

      var state = new URLSearchParams();
      if (query) state.set("q", text.value.trim());
      selects.forEach(function (select) { if (select.value) state.set(select.name, select.value); });
      var search = state.toString();
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    apply();
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setup);
  } else {
    document.addEventListener("DOMContentLoaded", setup);
  }
})();
