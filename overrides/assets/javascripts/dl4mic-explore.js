/* The explorer page: search, facets, sorting, with the whole state in the URL.
 *
 * The page carries the form (one checkbox per facet value, rendered by the build, so nothing
 * moves when this script starts) and a plain list of every entry for readers without
 * JavaScript. This script loads the search index, then: OR within a facet, AND across facets,
 * counts that follow the other filters, values with no result disabled, results as cards.
 * The values ticked are named above the count, as buttons that untick them; a group none of
 * whose values a result could have is left out. "My list" keeps entries across searches (in
 * the browser's storage) and shows them at ?ids=a,b.
 * Every change is written to the URL (?q=...&tasks=a,b&sort=name): a view can be shared,
 * bookmarked, reloaded, and Back/Forward walk through the changes. How many results were shown
 * and where the page was scrolled go in the history entry: a reader who opened the 80th result
 * and comes back finds it where it was, not the first 50 at the top of the page.
 */
(function () {
  "use strict";

  var PAGE = 50; // results shown at first, and added by "show more"

  var fill = window.DL4MICSearch.fill;

  function start() {
    var root = document.querySelector(".dl-explorer");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var form = root.querySelector("form");
    var input = form.querySelector("input[name=q]");
    var sort = form.querySelector("select[name=sort]");
    var status = root.querySelector(".dl-explorer__status");
    var empty = root.querySelector(".dl-explorer__empty");
    var list = root.querySelector(".dl-results");
    var pagesLine = root.querySelector(".dl-explorer__pages");
    var exportLine = root.querySelector(".dl-explorer__export");
    var exportData = exportLine.dataset;
    // kinds whose entries have no CSV row (FAQ, cheat sheets, glossary), kinds cited in BibTeX
    var notInCsv = exportData.otherKinds.split(" ");
    var cited = exportData.citeKinds.split(" ");
    var exportNone = root.querySelector(".dl-explorer__export-none");
    var shownResults = [];  // every result, in the order shown (the selection to download)
    var facetBoxes = Array.prototype.slice.call(form.querySelectorAll(".dl-facet"));
    var checkboxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    // each value's count as last shown: the page is touched only where a count changes
    var values = checkboxes.map(function (box) {
      var label = box.closest("label");
      return { box: box, label: label, count: label.querySelector(".dl-facet__count"), text: "" };
    });
    var shown = PAGE;
    var engine = null;
    var everything = null; // every document number, in the index's order
    // result addresses are relative to the language root, where the index's folder sits
    var indexUrl = new URL(root.dataset.index, window.location.href);
    var siteRoot = new URL("../", indexUrl);
    var lastQuery = null;
    var lastMatches = null;
    var wordCount = 0;  // the query's words that count (engine.queryWords)
    var matchedWords = new Map();  // document → how many of them it holds
    var listed = null;  // the entry ids of the address's list (?ids=...), or null: all entries
    var knownIds = new Set();  // every entry id of the index

    // On a phone the facets fold under one "Filter" line, so that results come first.
    var panel = root.querySelector(".dl-explorer__filters");
    var activeCount = root.querySelector(".dl-explorer__active");
    var showResults = root.querySelector(".dl-explorer__show");
    if (window.matchMedia("(max-width: 59.99em)").matches) panel.open = false;
    status.textContent = root.dataset.loading;
    window.DL4MICSearch.load(root.dataset.index)
      .then(function (loaded) {
        engine = loaded;
        knownIds = new Set(engine.docs.map(function (doc) { return doc.id; }));
        readState();
        update();
        showList();
        // sent by a search button with nothing typed (the header's, on a small phone): the
        // reader came to type, so the box takes the focus
        if (window.location.search === "?q=") input.focus();
        // back from a result: the list is as long as it was, so the saved place exists again
        var saved = window.history.state;
        if (saved && typeof saved.scroll === "number") window.scrollTo(0, saved.scroll);
      })
      .catch(function (error) {
        // the plain list of every entry (the page without scripts) stays a way in
        status.textContent = fill(root.dataset.failed, "error", error);
        root.classList.add("dl-explorer--failed");
      });

    function facetNames() {
      return facetBoxes.map(function (box) { return box.dataset.facet; });
    }

    function readState() {
      var params = new URLSearchParams(window.location.search);
      input.value = params.get("q") || "";
      listed = params.get("ids") ? params.get("ids").split(",").filter(Boolean) : null;
      var wantedSort = params.get("sort") || "";
      sort.value = sort.querySelector('option[value="' + CSS.escape(wantedSort) + '"]') ? wantedSort : "";
      var wanted = {};
      facetNames().forEach(function (name) {
        wanted[name] = (params.get(name) || "").split(",").filter(Boolean);
      });
      checkboxes.forEach(function (box) {
        box.checked = (wanted[box.name] || []).indexOf(box.value) >= 0;
      });
      var saved = window.history.state;
      shown = saved && saved.shown > PAGE ? saved.shown : PAGE;
    }

    // The history entry remembers how many results are shown and where the page is scrolled.
    function remember() {
      var state = { shown: shown, scroll: window.scrollY };
      window.history.replaceState(state, "", window.location.href);
    }

    function selected() {
      var chosen = {};
      checkboxes.forEach(function (box) {
        if (box.checked) (chosen[box.name] = chosen[box.name] || []).push(box.value);
      });
      return chosen;
    }

    function writeState(push) {
      var params = new URLSearchParams();
      if (input.value.trim()) params.set("q", input.value.trim());
      if (listed) params.set("ids", listed.join(","));
      var chosen = selected();
      facetNames().forEach(function (name) {
        if (chosen[name]) params.set(name, chosen[name].join(","));
      });
      if (sort.value) params.set("sort", sort.value);
      var search = params.toString().replace(/%2C/g, ",");
      var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
      if (url === window.location.pathname + window.location.search + window.location.hash) return;
      if (push) window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
      document.dispatchEvent(new CustomEvent("dl4mic:location"));
    }

    function matchesFacet(doc, name, wanted) {
      var keys = doc.facets[name];
      if (!keys) return false;
      for (var i = 0; i < wanted.length; i++) {
        if (keys.indexOf(wanted[i]) >= 0) return true;
      }
      return false;
    }

    function update() {
      if (!engine) return;
      var docs = engine.docs;
      var query = input.value;
      if (query !== lastQuery) {
        lastQuery = query;
        showSitePages(query);
        lastMatches = engine.search(query);
        // how many of the query's words each document holds, for the "only some" line
        wordCount = engine.queryWords(query).length;
        matchedWords = new Map((lastMatches || []).map(function (m) { return [m.doc, m.matched]; }));
      }
      if (!everything) everything = docs.map(function (_, i) { return i; });
      var candidates = lastMatches ? lastMatches.map(function (m) { return m.doc; }) : everything;
      if (listed) {
        var wanted = new Set(listed);
        candidates = candidates.filter(function (i) { return wanted.has(docs[i].id); });
      }
      var chosen = selected();
      var chosenNames = Object.keys(chosen);
      // Counts: each facet counts against every other facet's filter (and the query). In one
      // pass: a document that passes every chosen facet is a result and counts in every facet;
      // one that fails exactly one chosen facet counts in that facet only; one that fails two
      // counts nowhere.
      var counts = {};
      facetBoxes.forEach(function (box) { counts[box.dataset.facet] = {}; });
      var results = [];
      function count(doc, name) {
        var keys = doc.facets[name];
        var tally = counts[name];
        if (!keys || !tally) return;
        for (var i = 0; i < keys.length; i++) tally[keys[i]] = (tally[keys[i]] || 0) + 1;
      }
      candidates.forEach(function (i) {
        var doc = docs[i];
        var failed = null;
        for (var k = 0; k < chosenNames.length; k++) {
          if (matchesFacet(doc, chosenNames[k], chosen[chosenNames[k]])) continue;
          if (failed !== null) return;
          failed = chosenNames[k];
        }
        if (failed !== null) {
          count(doc, failed);
          return;
        }
        results.push(i);
        for (var name in counts) count(doc, name);
      });
      values.forEach(function (value) {
        var number = counts[value.box.name][value.box.value] || 0;
        var text = "(" + number + ")";
        if (text !== value.text) value.count.textContent = value.text = text;
        var disabled = number === 0 && !value.box.checked;
        if (value.box.disabled !== disabled) {
          value.box.disabled = disabled;
          value.label.classList.toggle("dl-facet__value--empty", disabled);
        }
      });
      facetBoxes.forEach(function (box) {
        var name = box.dataset.facet;
        var active = (chosen[name] || []).length;
        box.classList.toggle("dl-facet--active", active > 0);
        if (active) box.open = true;
        // a filter none of whose values any result could have is left out ("Type of cheat
        // sheet" when courses are chosen): twenty-one groups buried the ones that mattered
        // (with no result at all, every group stays, its values disabled: not an empty column)
        var possible = active > 0 || !candidates.length || Object.keys(counts[name]).length > 0;
        if (box.hidden === possible) {
          if (!possible && box.contains(document.activeElement)) status.focus();
          box.hidden = !possible;
        }
      });
      var ticked = checkboxes.filter(function (box) { return box.checked; });
      activeCount.textContent = ticked.length ? "(" + ticked.length + ")" : "";
      showChosen(ticked);
      var order = sort.value || (lastMatches ? "" : "name");
      // "Relevance" means nothing without a query: the default choice then says "Name", and
      // the explicit "Name" would be the same choice twice
      var byDefault = sort.querySelector('option[value=""]');
      var label = byDefault.dataset[lastMatches ? "withQuery" : listed ? "withList"
        : "withoutQuery"];
      if (label && byDefault.textContent !== label) byDefault.textContent = label;
      sort.querySelector('option[value="name"]').hidden = !lastMatches && sort.value !== "name";
      // the index lists documents in the site's name order (render.sort_key, the order of
      // every list on the site): a document's number is its place in it
      if (listed && !sort.value && !lastMatches) {
        // a list's address keeps the order its entries were kept in (a reading list)
        var place = new Map(listed.map(function (id, at) { return [id, at]; }));
        results.sort(function (a, b) { return place.get(docs[a].id) - place.get(docs[b].id); });
      } else if (order === "name" && !sort.value) {
        // browsing (nothing searched, no order chosen): what a reader can use today first,
        // then what is no longer maintained, then what has ended (render.browsing_rank),
        // each part in name order, as on the section pages
        results.sort(function (a, b) { return (docs[a].later || 0) - (docs[b].later || 0) || a - b; });
      } else if (order === "name") {
        results.sort(function (a, b) { return a - b; });
      } else if (order === "recent") {
        results.sort(function (a, b) {
          return docs[b].added.localeCompare(docs[a].added) || a - b;
        });
      }
      render(results, order === "" ? partialFrom(results) : -1);
    }

    /* The site's own pages (open data, contribute...) that hold every word of the query, as
     * links beside the results: "bibtex" or "export csv" name no entry, but the page of the
     * catalogue's exports. Matched through the engine's stems, as entries are. */
    function showSitePages(query) {
      var pages = engine.index.pages || [];
      var words = engine.queryWords(query);
      var found = !words.length ? [] : pages.filter(function (page) {
        var stems = page.stemSet || (page.stemSet = new Set(page.stems));
        return words.every(function (word, position) {
          var held = false;
          engine.stemsFor(word, position === words.length - 1).forEach(function (_, stem) {
            if (stems.has(stem)) held = true;
          });
          return held;
        });
      });
      var links = pagesLine.querySelector("span");
      links.textContent = "";
      found.forEach(function (page, place) {
        if (place) links.appendChild(document.createTextNode(" · "));
        var link = document.createElement("a");
        link.href = new URL(page.url, siteRoot).href;
        link.textContent = page.name;
        links.appendChild(link);
      });
      pagesLine.hidden = !found.length;
    }

    /* In relevance order, where the results holding only some of several words searched for
     * begin (the engine ranks those holding them all first), or -1: a reader who typed four
     * words otherwise took the 100th result for a bad match of them all. None when no result
     * holds them all: every result is then partial, and the count says what was found. */
    function partialFrom(results) {
      if (wordCount < 2 || !results.length || matchedWords.get(results[0]) !== wordCount) {
        return -1;
      }
      for (var i = 1; i < results.length; i++) {
        if (matchedWords.get(results[i]) < wordCount) return i;
      }
      return -1;
    }

    function chip(text, className, tag) {
      var span = document.createElement(tag || "span");
      span.className = className;
      span.textContent = text;
      return span;
    }

    function card(doc) {
      var item = document.createElement("li");
      item.className = "dl-result";
      item.dataset.entryId = doc.id;
      var head = document.createElement("div");
      head.className = "dl-result__head";
      // Each result's name is a heading, so that a screen reader goes from one to the next
      // (its kind and status follow it, outside the heading's name).
      var name = document.createElement("h2");
      name.className = "dl-result__name";
      var link = document.createElement("a");
      link.href = new URL(doc.url, siteRoot).href;
      link.textContent = doc.name;
      if (doc.lang) link.lang = doc.lang; // read in its own language (an English title)
      if (doc.title) link.title = doc.title; // a long question, shortened for the card
      name.appendChild(link);
      head.appendChild(name);
      var facets = engine.index.facets;
      var kinds = facets.filter(function (f) { return f.name === "kinds"; })[0];
      if (kinds && doc.facets.kinds) head.appendChild(chip(kinds.labels[doc.facets.kinds[0]], "dl-kind"));
      if (doc.status) {
        var statusFacet = facets.filter(function (f) { return f.name === "status"; })[0];
        var badge = chip(statusFacet ? statusFacet.labels[doc.status] : doc.status,
                         "dl-badge dl-badge--" + doc.status);
        var said = document.createElement("span");
        said.className = "dl-sr-only";
        said.textContent = root.dataset.statusLabel;
        badge.insertBefore(said, badge.firstChild);
        head.appendChild(badge);
      }
      if (kept) head.appendChild(keepButton(doc));
      item.appendChild(head);
      if (doc.summary) {
        var summary = document.createElement("p");
        summary.className = "dl-result__summary";
        summary.textContent = doc.summary;
        if (doc.summary_lang) summary.lang = doc.summary_lang;
        item.appendChild(summary);
      }
      // a list: a screen reader says how many and reads each apart ("2D", "3D"), where spans
      // in a paragraph ran together ("Segmentation2D3D")
      var chips = document.createElement("ul");
      chips.className = "dl-chips";
      facets.forEach(function (facet) {
        if (!facet.chips) return;
        (doc.facets[facet.name] || []).forEach(function (key) {
          chips.appendChild(chip(facet.labels[key] || key, "dl-chip", "li"));
        });
      });
      if (chips.childNodes.length) item.appendChild(chips);
      return item;
    }

    function render(results, partial) {
      var docs = engine.docs;
      list.textContent = "";
      var fragment = document.createDocumentFragment();
      results.slice(0, shown).forEach(function (i, place) {
        if (place === partial) {
          var divider = document.createElement("li");
          divider.className = "dl-results__partial";
          divider.textContent = root.dataset.partial;
          fragment.appendChild(divider);
        }
        fragment.appendChild(card(docs[i]));
      });
      list.appendChild(fragment);
      if (results.length > shown) {
        var more = document.createElement("li");
        more.className = "dl-results__more";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button";
        button.textContent = root.dataset.more;
        button.addEventListener("click", function () {
          shown += PAGE;
          update();
          remember();
          var items = list.querySelectorAll(".dl-result a");
          if (items[shown - PAGE]) items[shown - PAGE].focus();
        });
        more.appendChild(button);
        list.appendChild(more);
      }
      var count = results.length;
      status.textContent = count === 0 ? nothingFound() : howMany(results);
      offerSelection(results);
      empty.hidden = count !== 0;
      showResults.textContent = fill(showResults.dataset.label, "count", count);
    }

    /* The values ticked, above the count, each a button that unticks it: on a wide screen
     * most boxes sit out of sight in the filter column, and a shortcut of the home page ticks
     * up to seven. Remade only when the ticked values change. */
    var chosenLine = root.querySelector(".dl-explorer__chosen");
    var chips = chosenLine.querySelector(".dl-explorer__chips");
    var chipsShown = null;
    function removableChip(text, name, facet, value, remove, parent) {
      var chip = document.createElement("button");
      chip.type = "button";
      chip.className = "dl-explorer__chip";
      chip.dataset.facet = facet;
      chip.dataset.value = value;
      chip.textContent = text;
      chip.title = name;
      chip.setAttribute("aria-label", name);
      chip.addEventListener("click", function () {
        var all = Array.prototype.slice.call(chips.querySelectorAll(".dl-explorer__chip"));
        var at = all.indexOf(chip);
        var next = all[at + 1] || all[at - 1];
        remove();
        shown = PAGE;
        writeState(true);
        update();  // now, not scheduled: the chips are remade before the focus moves
        // the keyboard stays among the chips, or goes to the count when none is left
        var again = next && chips.querySelector('[data-facet="' + CSS.escape(next.dataset.facet)
          + '"][data-value="' + CSS.escape(next.dataset.value) + '"]');
        (again || status).focus();
      });
      (parent || chips).appendChild(chip);
    }
    function showChosen(ticked) {
      var key = ticked.map(function (box) { return box.name + "=" + box.value; }).join("&")
        + (listed ? "&ids=" + listed.join(",") : "");
      if (key === chipsShown) return;
      chipsShown = key;
      chips.textContent = "";
      if (listed) {  // the results are a list's entries: this chip lets go of the list
        var known = knownOf(listed).length;
        var text = known === 0 ? listLine.dataset.chipNone : known === 1
          ? listLine.dataset.chipOne : fill(listLine.dataset.chip, "count", known);
        removableChip(text, text + listSeparator + listLine.dataset.remove, "ids", "",
                      function () { listed = null; });
      }
      // one group per facet, its values joined by "or" (any of them), the groups side by side
      // (all of them): seven chips in a row read as seven requirements
      var group = null;
      ticked.forEach(function (box) {
        var facet = box.closest(".dl-facet").querySelector("summary").textContent.trim();
        var value = box.closest("label").querySelector(".dl-facet__label").textContent;
        if (!group || group.dataset.facet !== box.name) {
          group = document.createElement("span");
          group.className = "dl-explorer__group";
          group.dataset.facet = box.name;
          var title = document.createElement("span");
          title.className = "dl-explorer__group-name";
          title.textContent = facet + listSeparator;
          group.appendChild(title);
          chips.appendChild(group);
        } else {
          group.appendChild(document.createTextNode(" " + chosenLine.dataset.or + " "));
        }
        removableChip(value, fill(chosenLine.dataset.remove, "filter", facet + listSeparator + value),
                      box.name, box.value, function () { box.checked = false; }, group);
      });
      chosenLine.hidden = !ticked.length && !listed;
    }

    /* "My list": entries kept from several searches (a trainer's reading list), in this
     * browser's storage, shared by both languages; shown at an address that names them
     * (?ids=...), which can be sent to others and downloaded as a selection. Without
     * storage (a private window may refuse it), no entry offers to be kept. */
    var readerList = window.DL4MICList;  // dl4mic-site.js: the list's storage
    var listLine = root.querySelector(".dl-explorer__list");
    var listCount = listLine.querySelector(".dl-explorer__list-count");
    var listActions = listLine.querySelector(".dl-explorer__list-actions");
    var listUndo = listLine.querySelector(".dl-explorer__list-undo");
    var listSeparator = chosenLine.dataset.separator;
    var emptied = null;  // the list just emptied, while "Undo" is offered
    // ids the index knows (entries since removed from the catalogue are neither counted nor
    // shown); every id before the index has loaded
    function knownOf(ids) {
      return ids.filter(function (id) { return !engine || knownIds.has(id); });
    }
    var kept = readerList.read();
    function keepList(ids) {
      kept = ids;
      readerList.write(ids);
      showList();
    }
    function showList() {
      var known = knownOf(kept || []);
      listLine.hidden = !known.length && !emptied;
      listCount.textContent = emptied ? listLine.dataset.emptied : known.length === 1
        ? listLine.dataset.one : fill(listLine.dataset.many, "count", known.length);
      listActions.hidden = !!emptied;
      listUndo.hidden = !emptied;
      var show = listLine.querySelector(".dl-explorer__list-show");
      show.href = readerList.address("./", known);
      // on the address of one's own list, "show it" would lead to this very page
      var own = listed && sameIds(knownOf(listed), known);
      show.parentNode.hidden = !!own;
      // a list someone sent: its entries can join one's own in one click
      var missing = listed && kept ? knownOf(listed).filter(function (id) {
        return known.indexOf(id) < 0;
      }) : [];
      adoptLine.hidden = !missing.length;
      adoptButton.textContent = missing.length === 1 ? adoptLine.dataset.one
        : fill(adoptLine.dataset.many, "count", missing.length);
      list.querySelectorAll(".dl-result__keep").forEach(function (button) {
        var pressed = known.indexOf(button.closest(".dl-result").dataset.entryId) >= 0;
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
    }
    var adoptLine = root.querySelector(".dl-explorer__adopt");
    var adoptButton = adoptLine.querySelector("button");
    adoptButton.addEventListener("click", function () {
      var now = readerList.read() || [];
      knownOf(listed || []).forEach(function (id) { if (now.indexOf(id) < 0) now.push(id); });
      emptied = null;
      keepList(now);
      status.focus();
    });
    function sameIds(a, b) {
      return a.length === b.length && a.every(function (id) { return b.indexOf(id) >= 0; });
    }
    function keepButton(doc) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dl-result__keep";
      button.textContent = listLine.dataset.keep;
      button.setAttribute("aria-label", fill(listLine.dataset.keepName, "name", doc.name));
      button.title = listLine.dataset.keepTitle;
      button.setAttribute("aria-pressed", kept.indexOf(doc.id) >= 0 ? "true" : "false");
      button.addEventListener("click", function () {
        // on one's own list's page, an entry taken out stays on screen, its star empty, so
        // that a second click keeps it again; the count and "show it" say the list as it is
        emptied = null;
        keepList(readerList.toggle(doc.id));
      });
      return button;
    }
    // emptying is one click: the list (gathered over several searches) can be brought back
    listLine.querySelector(".dl-explorer__list-clear").addEventListener("click", function () {
      emptied = kept;
      keepList([]);
      listUndo.querySelector("button").focus();
    });
    listUndo.querySelector("button").addEventListener("click", function () {
      var restored = emptied;
      emptied = null;
      keepList(restored);
      listLine.querySelector(".dl-explorer__list-show").focus();
    });
    window.addEventListener("storage", function (event) {
      if (event.key !== readerList.key && event.key !== null) return;
      kept = readerList.read();
      showList();
    });

    /* "Download this selection": CSV and BibTeX links, each shown when the results hold
     * something that file has (a resource; a paper or a book). */
    function offerSelection(results) {
      shownResults = results;
      var inCsv = false, inBib = false;
      results.forEach(function (i) {
        var kind = (engine.docs[i].facets.kinds || [])[0];
        if (notInCsv.indexOf(kind) < 0) inCsv = true;
        if (cited.indexOf(kind) >= 0) inBib = true;
      });
      exportLine.querySelector(".dl-explorer__csv").parentNode.hidden = !inCsv;
      exportLine.querySelector(".dl-explorer__bib").parentNode.hidden = !inBib;
      exportLine.querySelectorAll(".dl-explorer__export-said > span").forEach(function (said) {
        said.textContent = "";
      });
      exportLine.hidden = !(inCsv || inBib);
      // results, but none either file has: say why there is nothing to download
      exportNone.hidden = !exportLine.hidden || !results.length;
    }

    // each published file is fetched once, when first asked for (again after a failure)
    var fetched = {};
    function published(link) {
      var url = link.href;
      if (!fetched[url]) {
        fetched[url] = fetch(url).then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        });
        fetched[url].catch(function () { delete fetched[url]; });
      }
      return fetched[url];
    }

    function save(name, text, type) {
      var url = URL.createObjectURL(new Blob([text], { type: type }));
      var link = document.createElement("a");
      link.href = url;
      link.download = name;
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    }

    /* The CSV's records (a quoted cell may hold line breaks), each with its line end. */
    function csvRecords(text) {
      var records = [], start = 0, quoted = false;
      for (var i = 0; i < text.length; i++) {
        var code = text.charCodeAt(i);
        if (code === 34) quoted = !quoted;  // a doubled quote toggles twice
        else if (code === 10 && !quoted) {
          records.push(text.slice(start, i + 1));
          start = i + 1;
        }
      }
      if (start < text.length) records.push(text.slice(start));
      return records;
    }

    function csvCells(record) {
      var cells = [], cell = "", quoted = false;
      record = record.replace(/\r?\n$/, "");
      for (var i = 0; i < record.length; i++) {
        var char = record[i];
        if (quoted) {
          if (char !== '"') cell += char;
          else if (record[i + 1] === '"') { cell += char; i++; }
          else quoted = false;
        } else if (char === '"') quoted = true;
        else if (char === ",") { cells.push(cell); cell = ""; }
        else cell += char;
      }
      cells.push(cell);
      return cells;
    }

    /* What the reader chose, as a file name's part: the words typed, then the values ticked,
     * folded to plain letters ("débruitage, kinds=tool" → "debruitage-tool"); "selection"
     * when nothing is chosen. Cut at a word, so that the name stays short. */
    function selectionSlug() {
      var chosen = selected();
      var parts = [listed ? listLine.dataset.file : "", input.value.trim()];  // "liste"
      facetNames().forEach(function (name) { parts = parts.concat(chosen[name] || []); });
      // as text.slugify in Python: words joined by hyphens up to 60 characters, cut at a word
      // (a single longer word is cut at 60)
      var words = window.DL4MICSearch.fold(parts.join(" ")).match(/[a-z0-9]+/g) || [];
      var slug = "";
      for (var i = 0; i < words.length; i++) {
        var candidate = slug ? slug + "-" + words[i] : words[i];
        if (candidate.length > 60) break;
        slug = candidate;
      }
      if (!slug && words.length) slug = words[0].slice(0, 60);
      return slug || "selection";
    }

    function chosenIds() {
      return shownResults.map(function (i) { return engine.docs[i].id; });
    }

    /* The published CSV's header and the rows of the selection, in the order shown: the same
     * columns and cells as the whole file, so a spreadsheet set up for one reads the other. */
    function csvSelection(text) {
      var records = csvRecords(text);
      var header = records.shift() || "";
      var column = csvCells(header).indexOf("id");
      var byId = new Map();
      records.forEach(function (record) { byId.set(csvCells(record)[column], record); });
      var rows = [];
      chosenIds().forEach(function (id) { if (byId.has(id)) rows.push(byId.get(id)); });
      return { text: header + rows.join(""), count: rows.length };
    }

    /* The published BibTeX file's opening comment (its licence) and the selection's records. */
    function bibSelection(text) {
      var chunks = text.split(/\n(?=@)/);
      // the opening comment (the licence), when the file has one
      var head = chunks.length && chunks[0].charAt(0) !== "@" ? chunks.shift() : null;
      var byKey = new Map();
      chunks.forEach(function (chunk) {
        var key = /^@\w+\{([^,\s]+),/.exec(chunk);
        if (key) byKey.set(key[1], chunk);
      });
      var records = [];
      chosenIds().forEach(function (id) { if (byKey.has(id)) records.push(byKey.get(id)); });
      return { text: (head === null ? [] : [head]).concat(records).join("\n"),
               count: records.length };
    }

    function onDownload(format, cut, type, said) {
      var link = exportLine.querySelector(".dl-explorer__" + format);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        // one line per file: what the CSV held stays said after the BibTeX download
        var line = exportLine.querySelector(
          '.dl-explorer__export-said > [data-format="' + format + '"]');
        published(link).then(function (text) {
          var part = cut(text);
          if (part.count) {
            save(fill(link.dataset.selectionName, "selection", selectionSlug()), part.text, type);
          }
          line.textContent = said(part.count);
        }, function (error) {
          line.textContent = fill(exportData.failed, "error", error.message || error);
        });
      });
    }
    onDownload("csv", csvSelection, "text/csv;charset=utf-8", function (count) {
      var done = count === 1 ? exportData.csvDoneOne : fill(exportData.csvDoneMany, "count", count);
      var others = shownResults.length - count;
      if (others) {
        done = fill(others === 1 ? exportData.csvOtherOne
                    : fill(exportData.csvOthers, "count", others), "done", done);
      }
      return done + ". " + exportData.excel;
    });
    onDownload("bib", bibSelection, "application/x-bibtex;charset=utf-8",
               function (count) {
      return !count ? exportData.bibNone
        : count === 1 ? exportData.bibDoneOne : fill(exportData.bibDoneMany, "count", count);
    });

    /* Why there is no result: with no filter chosen, the words alone found nothing, and the
     * message says so; with neither words nor filters, the catalogue itself is empty. */
    function nothingFound() {
      var query = input.value.trim();
      if (listed) {  // a list: its entries are gone, or none of them matches the words/filters
        return knownOf(listed).length ? listLine.dataset.statusNone : listLine.dataset.statusGone;
      }
      return checkboxes.some(function (box) { return box.checked; }) ? root.dataset.statusNone
        : query ? fill(root.dataset.statusNoneWord, "query", query)
        : root.dataset.statusEmpty;
    }

    /* How many results, and, for several words, how many hold them all and how many only
     * some: one number alone grew as the query got more precise ("noyaux" 33, "noyaux
     * fluorescence" 44, of which 12 hold both words). */
    function howMany(results) {
      var count = results.length;
      var every = wordCount < 2 ? count : results.filter(function (doc) {
        return matchedWords.get(doc) === wordCount;
      }).length;
      var some = count - every;
      var data = root.dataset;
      if (!some) return count === 1 ? data.statusOne : fill(data.statusMany, "count", count);
      if (!every) return fill(some === 1 ? data.statusOnlySomeOne : data.statusOnlySomeMany,
                              "count", some);
      var first = every === 1 ? data.statusEveryOne : fill(data.statusEveryMany, "count", every);
      return fill(fill(some === 1 ? data.statusSomeOne : data.statusSomeMany, "count", some),
                  "every", first);
    }

    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    }

    // The URL follows the query as it is typed; a new burst of typing (after a pause) is a new
    // step of the history, so Back returns to the previous search rather than to each letter.
    var typingTimer = null;
    input.addEventListener("input", function () {
      shown = PAGE;
      schedule();
      writeState(typingTimer === null);
      window.clearTimeout(typingTimer);
      typingTimer = window.setTimeout(function () { typingTimer = null; }, 1000);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); writeState(true); }
    });
    form.addEventListener("change", function (event) {
      if (event.target === input) return;
      shown = PAGE;
      writeState(true);
      schedule();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    root.querySelector(".dl-clear").addEventListener("click", function () {
      input.value = "";
      sort.value = "";
      listed = null;
      checkboxes.forEach(function (box) { box.checked = false; });
      shown = PAGE;
      writeState(true);
      update();
      input.focus();
    });
    // On a phone: fold the filters and go to the results they chose.
    showResults.addEventListener("click", function () {
      panel.open = false;
      status.focus();
      status.scrollIntoView({ block: "start" });
    });
    // Past the facets' checkboxes to the first result (or to the count, when there is none).
    root.querySelector(".dl-explorer__skip").addEventListener("click", function () {
      (list.querySelector(".dl-result a") || status).focus();
    });
    window.addEventListener("popstate", function () {
      readState();
      update();
    });
    window.addEventListener("pagehide", remember);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
