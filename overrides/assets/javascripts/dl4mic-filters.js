/* Facet filters of dl4mic-hub's section pages.
 *
 * The page carries everything: the form (shown only when scripts run, see dl4mic-early.js),
 * the translated messages in its data-* attributes, and each entry's facet keys and keywords
 * in data-f-<facet> and data-keywords attributes; the words of the card itself are read once,
 * folded, when the page starts. Filters combine with AND, the word box
 * ignores accents and case ("debruitage" finds "Débruitage"), and the state lives in the query
 * string so a filtered view can be shared; in-page links (jump links, table of contents,
 * permalinks) keep it, since they only change the anchor.
 */
(function () {
  "use strict";

  // The search engine's fold (dl4mic-search.js, loaded before this file): the word box matches
  // as the explorer does.
  var fold = window.DL4MICSearch.fold;

  function start() {
    var form = document.querySelector("form.dl-filters");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";

    var entries = Array.prototype.slice.call(document.querySelectorAll("li.dl-entry"));
    // folded once: what each card says, and the keywords it is also found by
    var texts = entries.map(function (entry) {
      return fold(entry.textContent + " " + (entry.dataset.keywords || ""));
    });
    var groups = Array.prototype.slice.call(document.querySelectorAll("ul.dl-entries"));
    var jump = document.querySelector(".dl-jump");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var text = form.querySelector("input[name=q]");
    var status = form.querySelector(".dl-filter-status");
    var partial = document.querySelector(".dl-more") !== null;

    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        select.value = wanted;
      }
    });
    text.value = params.get("q") || "";
    // The less used filters are folded: open them when the address sets one.
    var more = form.querySelector(".dl-filters__more");
    var moreSelects = more ? Array.prototype.slice.call(more.querySelectorAll("select")) : [];
    var moreActive = more ? more.querySelector(".dl-filters__active") : null;
    if (moreSelects.some(function (select) { return select.value; })) more.open = true;

    function apply() {
      var words = fold(text.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      entries.forEach(function (entry, number) {
        var visible = selects.every(function (select) {
          if (!select.value) return true;
          var keys = (entry.getAttribute("data-f-" + select.name) || "").split(" ");
          return keys.indexOf(select.value) >= 0;
        }) && words.every(function (word) { return texts[number].indexOf(word) >= 0; });
        entry.hidden = !visible;
        if (visible) shown++;
      });
      groups.forEach(function (group) {
        var empty = !group.querySelector("li.dl-entry:not([hidden])");
        var heading = document.getElementById(group.dataset.group);
        group.hidden = empty;
        if (heading) heading.hidden = empty;
        var more = group.nextElementSibling;
        if (more && more.classList.contains("dl-more")) more.hidden = empty;
        document.querySelectorAll('a[href="#' + CSS.escape(group.dataset.group) + '"]').forEach(
          function (link) {
            var item = link.closest(".md-nav__item");
            (item || link).hidden = empty;
          });
      });
      // "Jump to:" with no group left to jump to goes too
      if (jump) jump.hidden = !jump.querySelector("a:not([hidden])");
      var message = shown === 0 ? form.dataset.none
        : (shown === 1 ? form.dataset.statusOne : form.dataset.status)
          .replace("{shown}", shown).replace("{total}", entries.length);
      if (moreActive) {
        var folded = moreSelects.filter(function (select) { return select.value; }).length;
        moreActive.textContent = folded ? "(" + folded + ")" : "";
      }
      status.textContent = partial ? message + " " + form.dataset.partial : message;
      var query = new URLSearchParams();
      if (text.value.trim()) query.set("q", text.value.trim());
      selects.forEach(function (select) { if (select.value) query.set(select.name, select.value); });
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "")
                                  + window.location.hash);
      document.dispatchEvent(new CustomEvent("dl4mic:location"));
    }

    form.addEventListener("change", apply);
    text.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
