/* Facet filters and word box of dl4mic-hub's section pages.
 *
 * The page carries the form (shown only when scripts run, see dl4mic-early.js), the translated
 * messages in its data-* attributes, and each entry's facet keys in data-f-<facet> attributes.
 * The word box matches as the explorer's search does, with its engine (dl4mic-search.js,
 * loaded before this file): accents and case folded, words stemmed in both languages ("noyau"
 * finds "noyaux", "nuclei" finds the French page's entries on nuclei), the last word as a
 * prefix, a typo forgiven; an entry is kept when it holds every word. The engine runs on the
 * page's own word index (search.build_section_index: the rows of this page only, a fraction
 * of the explorer's), fetched when the reader first goes to the box or the address holds
 * words: a reader who only chooses facets never downloads it. When the box finds few entries
 * or none, a link offers the same words in the explorer, which searches the whole catalogue.
 * Filters combine with AND, and the state lives in the query string so a filtered view can be
 * shared; in-page links (jump links, table of contents, permalinks) keep it, since they only
 * change the anchor.
 */
(function () {
  "use strict";

  var search = window.DL4MICSearch;
  // Found this many entries or fewer, the box offers to search the whole catalogue.
  var FEW = 5;

  function start() {
    var form = document.querySelector("form.dl-filters");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";

    var entries = Array.prototype.slice.call(document.querySelectorAll("li.dl-entry"));
    var byId = new Map(entries.map(function (entry) { return [entry.dataset.entryId, entry]; }));
    var groups = Array.prototype.slice.call(document.querySelectorAll("ul.dl-entries"));
    var jump = document.querySelector(".dl-jump");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var text = form.querySelector("input[name=q]");
    var status = form.querySelector(".dl-filter-status");
    var elsewhere = form.querySelector(".dl-filter-elsewhere");
    var elsewhereLink = elsewhere.querySelector("a");
    var explorer = new URL(elsewhereLink.getAttribute("href"), window.location.href);
    var inExplorerLink = form.querySelector(".dl-filter-explore a");
    var inExplorer = new URL(inExplorerLink.getAttribute("href"), window.location.href);
    var sectionKey = inExplorer.searchParams.get("sections");
    var partial = document.querySelector(".dl-more") !== null;

    var engine = null;
    var loading = false;
    var failed = null;
    function load() {
      if (loading) return;
      loading = true;
      search.load(form.dataset.index)
        .then(function (loaded) { engine = loaded; })
        // a failure is said; the reader's next words try again (a network that came back)
        .catch(function (error) { failed = error; loading = false; })
        .then(apply);
    }

    /* The entries holding every word typed, or null when the words filter nothing (none
     * typed, only words such as "de" or "the", or the index is not there). */
    function holdingTheWords(query) {
      if (!query || !engine) return null;
      var docs = engine.holdingEvery(query);
      if (!docs) return null;
      var holding = new Set();
      docs.forEach(function (doc) { holding.add(byId.get(engine.docs[doc].id)); });
      return holding;
    }

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
    // On a phone every menu folds under one line, so that the entries start on the first
    // screen; a wider screen shows them (the line is hidden there: it must not stay closed).
    var menus = form.querySelector(".dl-filters__menus");
    var menusActive = menus.querySelector("summary > .dl-filters__active");
    var phone = window.matchMedia("(max-width: 44.9375em)");
    menus.open = !phone.matches;
    var widened = function () { if (!phone.matches) menus.open = true; };
    if (phone.addEventListener) phone.addEventListener("change", widened);
    else phone.addListener(widened);  // Safari before 14

    function apply() {
      var query = text.value.trim();
      // words typed before the index is there: it is fetched, and the words wait for it
      var waiting = Boolean(query) && !engine && !failed;
      if (waiting) load();
      var holding = holdingTheWords(query);
      var shown = 0;
      entries.forEach(function (entry) {
        var visible = selects.every(function (select) {
          if (!select.value) return true;
          var keys = (entry.getAttribute("data-f-" + select.name) || "").split(" ");
          return keys.indexOf(select.value) >= 0;
        }) && (!holding || holding.has(entry));
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
      var message = waiting ? form.dataset.loading
        : failed && query ? search.fill(form.dataset.failed, "error", failed)
        : shown === 0 ? form.dataset.none
        : search.fill(search.fill(shown === 1 ? form.dataset.statusOne : form.dataset.status,
                                  "shown", shown), "total", entries.length);
      if (moreActive) {
        var folded = moreSelects.filter(function (select) { return select.value; }).length;
        moreActive.textContent = folded ? "(" + folded + ")" : "";
      }
      var menusChosen = selects.filter(function (select) { return select.value; }).length;
      menusActive.textContent = menusChosen ? "(" + menusChosen + ")" : "";
      status.textContent = partial && !waiting ? message + " " + form.dataset.partial : message;
      // Few entries or none for these words (or no word index): the explorer may find more,
      // in every section, the FAQ and the glossary.
      var offer = (!waiting && holding !== null && shown <= FEW) || Boolean(failed && query);
      if (offer) {
        explorer.search = new URLSearchParams({ q: query }).toString();
        elsewhereLink.href = explorer.href;
        elsewhereLink.textContent = search.fill(form.dataset.searchAll, "query", query);
      }
      elsewhere.hidden = !offer;
      var state = new URLSearchParams();
      if (query) state.set("q", query);
      selects.forEach(function (select) { if (select.value) state.set(select.name, select.value); });
      // the same selection in the explorer: this section, these menus, these words. Not with
      // another section chosen in the menu: the explorer would show either section, where
      // this page shows the entries of both.
      var there = new URLSearchParams(state);
      var otherSection = there.has("sections");
      there.set("sections", sectionKey);
      inExplorer.search = there.toString().replace(/%2C/g, ",");
      inExplorerLink.href = inExplorer.href;
      inExplorerLink.parentNode.hidden = otherSection;
      inExplorerLink.textContent =
        inExplorerLink.dataset[query || menusChosen ? "selection" : "section"];
      var wanted = state.toString();
      window.history.replaceState(null, "", window.location.pathname + (wanted ? "?" + wanted : "")
                                  + window.location.hash);
      document.dispatchEvent(new CustomEvent("dl4mic:location"));
    }

    form.addEventListener("change", apply);
    text.addEventListener("input", function () {
      failed = null;
      apply();
    });
    // The reader is about to type: the word index is fetched meanwhile.
    text.addEventListener("focus", load);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
