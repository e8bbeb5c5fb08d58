/* Site-wide behaviour of dl4mic-hub's pages.
 *
 * Language switch: both language sites share every page path, so the other language's link
 * keeps the page, its query string (filters, search) and its anchor:
 * /fr/sections/tools/?dims=3d#annotation -> /en/sections/tools/?dims=3d#annotation.
 * The build already points each link at the same page; this adds the query and the anchor,
 * and follows the changes made by the filters and the explorer.
 *
 * Headings' permalinks get a name that says where they lead (below); "back to top" brings
 * the keyboard focus with it.
 */
(function () {
  "use strict";

  function languageLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("a[hreflang].md-select__link"));
  }

  function rootOf(link) {
    return new URL(link.dataset.root || link.getAttribute("href"), window.location.href).pathname;
  }

  function update(anchor) {
    if (typeof anchor !== "string") anchor = window.location.hash;
    var links = languageLinks();
    var here = document.documentElement.lang;
    var current = links.filter(function (link) { return link.hreflang === here; })[0];
    if (!current) return;
    var currentRoot = rootOf(current);
    var path = window.location.pathname;
    if (path.lastIndexOf(currentRoot, 0) !== 0) return;
    var rest = path.slice(currentRoot.length);
    links.forEach(function (link) {
      link.href = rootOf(link) + rest + window.location.search + anchor;
    });
  }

  /* Where the reader is, for the language switch: the last heading scrolled past the upper
   * fifth of the screen (headings of the page, not of catalogue text: their ids are the same
   * in both languages). The address's anchor would do, but the theme changes it to the topic
   * while the reader scrolls (FAQ: a topic, not the question being read); it is kept when its
   * heading is on screen and no later one has been reached (an anchor just followed, or one
   * the page is too short to scroll up, or one a filter hides). At the top of the page, the
   * address's anchor. */
  function readingAnchor() {
    var hash = window.location.hash;
    if (window.scrollY < 1) return hash;
    var shown = function (element) { return element.getClientRects().length > 0; };
    var headings = Array.prototype.filter.call(  // (a group a filter hides is not shown)
      document.querySelectorAll(".md-content h2[id], .md-content h3[id]"),
      function (heading) { return !heading.closest(".dl-text") && shown(heading); });
    var header = document.querySelector(".md-header");
    var limit = (header ? header.getBoundingClientRect().bottom : 0) + window.innerHeight / 5;
    var reached = -1;
    headings.forEach(function (heading, place) {
      if (heading.getBoundingClientRect().top <= limit) reached = place;
    });
    var target = null;
    try {
      target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
    } catch (malformed) { // "#%E0": no heading has that name
      target = null;
    }
    if (target && !shown(target)) return hash; // hidden by a filter: where it was asked for
    var at = headings.indexOf(target);
    if (at >= reached && target) {
      var box = target.getBoundingClientRect();
      if (box.bottom > 0 && box.top < window.innerHeight) return hash;
    }
    return reached < 0 ? "" : "#" + headings[reached].id;
  }

  /* A heading's permalink reads "¶": screen readers name a link by its text, not its title,
   * so a page's list of links said "¶" again and again. Each is named after its heading. */
  function nameHeadingLinks() {
    var separator = document.documentElement.lang === "fr" ? " : " : ": ";
    document.querySelectorAll("a.headerlink").forEach(function (link) {
      var heading = link.parentElement;
      if (!heading) return;
      var copy = heading.cloneNode(true);  // the heading's words, without the "¶"
      copy.querySelectorAll("a.headerlink").forEach(function (own) { own.remove(); });
      var text = copy.textContent.trim();
      link.setAttribute("aria-label", (link.title ? link.title + separator : "") + text);
    });
  }

  /* The theme's menu button (phones, tablets) is a <label> for a hidden checkbox: a keyboard
   * could neither reach nor press it, and the links of the closed drawer, off screen, took
   * a Tab stop each before the page. So do the drawer's sections ("Rubriques"), a panel that
   * slides in. Each such button now takes the focus and answers Enter and Space, what it
   * opens is inert while closed, and Escape closes the drawer and gives the focus back. */
  var NARROW = "(max-width: 76.234375em)"; // where the theme shows its navigation as a drawer

  function menuButton() {
    var drawerToggle = document.getElementById("__drawer");
    var menu = document.querySelector('label.md-header__button[for="__drawer"]');
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!drawerToggle || !menu || !drawer) return;
    var name = document.querySelector('meta[name="dl4mic-menu"]');
    if (name) menu.setAttribute("aria-label", name.content);
    var backName = document.querySelector('meta[name="dl4mic-menu-back"]');
    var narrow = window.matchMedia(NARROW);
    // what opens what: the menu the drawer, each section label its panel (its back title
    // closes it again); a wide screen shows them all, and they are no buttons there
    var panels = [{ toggle: drawerToggle, panel: drawer, buttons: [menu], opener: menu }];
    drawer.querySelectorAll("input.md-nav__toggle[id]").forEach(function (toggle) {
      var label = drawer.querySelector('label.md-nav__link[for="' + toggle.id + '"]');
      var panel = label && label.parentElement.querySelector(":scope > nav.md-nav");
      if (!panel) return;
      var back = panel.querySelector(':scope > label.md-nav__title[for="' + toggle.id + '"]');
      // named apart from the button that opened the panel, which bears the same title
      if (back && backName) back.dataset.dlName = backName.content;
      panels.push({ toggle: toggle, panel: panel, buttons: back ? [label, back] : [label],
                    opener: label });
    });
    panels.forEach(function (entry) {
      entry.buttons.forEach(function (button) {
        button.dataset.dlTabindex = button.getAttribute("tabindex") === null ? "none" :
          button.getAttribute("tabindex");
      });
    });

    function deepestOpen() {
      var open = null;
      panels.forEach(function (entry) { if (entry.toggle.checked) open = entry; });
      return open; // in document order: a panel comes after the one it is in
    }

    function refresh() {
      var small = narrow.matches;
      panels.forEach(function (entry) {
        entry.buttons.forEach(function (button) {
          if (small) {
            button.tabIndex = 0;
            button.setAttribute("role", "button");
            if (button.dataset.dlName) button.setAttribute("aria-label", button.dataset.dlName);
            if (button === entry.opener) {
              button.setAttribute("aria-expanded", String(entry.toggle.checked));
            }
          } else {
            var kept = button.dataset.dlTabindex;
            if (kept === "none") button.removeAttribute("tabindex");
            else button.setAttribute("tabindex", kept);
            button.removeAttribute("role");
            button.removeAttribute("aria-expanded");
            if (button.dataset.dlName) button.removeAttribute("aria-label");
          }
        });
      });
      // what is closed, or covered by an open panel, is out of reach of the Tab key
      document.querySelectorAll("[data-dl-covered]").forEach(function (element) {
        element.inert = false;
        element.removeAttribute("data-dl-covered");
      });
      panels.forEach(function (entry) { entry.panel.inert = small && !entry.toggle.checked; });
      var open = small && drawerToggle.checked && deepestOpen();
      if (!open) return;
      // the open drawer is a dialog: the page behind it, and what an open panel covers, is
      // out of reach (Tab went on into the dimmed page); the overlay still closes it
      for (var node = open.panel; node && node !== document.body; node = node.parentElement) {
        Array.prototype.forEach.call(node.parentElement.children, function (sibling) {
          if (sibling === node || sibling.tagName === "INPUT" || sibling.tagName === "SCRIPT" ||
              sibling.classList.contains("md-overlay") || sibling.inert) return;
          sibling.inert = true;
          sibling.setAttribute("data-dl-covered", "");
        });
      }
    }

    function focusInside() {
      var open = deepestOpen() || panels[0];
      var first = open.panel.querySelector("a[href], [tabindex='0']");
      // no scrolling: the panel is still sliding in, and scrolling to it showed a blank drawer
      if (first) first.focus({ preventScroll: true });
    }

    function set(entry, open) {
      entry.toggle.checked = open;
      // the theme listens, and so does refresh() (below): a change by hand is one like a click
      entry.toggle.dispatchEvent(new Event("change", { bubbles: true }));
    }

    panels.forEach(function (entry) {
      entry.buttons.forEach(function (button) {
        button.addEventListener("keydown", function (event) {
          if ((event.key !== "Enter" && event.key !== " ") || !narrow.matches) return;
          event.preventDefault();
          event.stopPropagation(); // the theme clicks a focused label on Enter: one toggle only
          set(entry, !entry.toggle.checked);
          if (entry.toggle.checked) focusInside();
          else entry.opener.focus({ preventScroll: true });
        });
      });
      entry.toggle.addEventListener("change", refresh);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !drawerToggle.checked || !narrow.matches) return;
      set(panels[0], false);
      menu.focus();
    });
    if (narrow.addEventListener) narrow.addEventListener("change", refresh);
    refresh();
  }

  /* The light/dark switch answered Enter only; a switch is pressed with Space too. */
  function paletteSpace() {
    var palette = document.querySelector('form[data-md-component="palette"]');
    if (!palette) return;
    palette.addEventListener("keydown", function (event) {
      if (event.key !== " " || event.target.tagName !== "INPUT") return;
      event.preventDefault();
      palette.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    });
  }

  /* Material's "back to top" scrolls the page up and leaves the keyboard focus on the body: a
   * keyboard or screen-reader user lost their place. The page's title takes it, as the top. */
  function backToTopFocus() {
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest(".md-top")) return;
      var title = document.querySelector(".md-content h1");
      if (!title) return;
      if (!title.hasAttribute("tabindex")) title.setAttribute("tabindex", "-1");
      title.focus({ preventScroll: true });
    });
  }

  /* "My list" (« Ma liste »): the ids of the entries a reader keeps, in this browser's storage,
   * shared by both languages and by every page (the explorer's results, entry pages). null
   * when storage is refused (a private window may): nothing then offers to keep. */
  var LIST_KEY = "dl4mic-hub-list";
  var readerList = {
    key: LIST_KEY,
    read: function () {
      try {
        var stored = JSON.parse(window.localStorage.getItem(LIST_KEY) || "[]");
        return Array.isArray(stored)
          ? stored.filter(function (id) { return typeof id === "string"; }) : [];
      } catch (error) {
        return null;
      }
    },
    write: function (ids) {
      try { window.localStorage.setItem(LIST_KEY, JSON.stringify(ids)); } catch (error) { /* full */ }
    },
    // the id added, or taken out when it was there; the list as it is now
    toggle: function (id) {
      var ids = readerList.read() || [];  // as another tab may have left it
      var at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1);
      else ids.push(id);
      readerList.write(ids);
      return ids;
    },
    // the address of the explorer (as a page's link gives it) showing these entries
    address: function (explorer, ids) {
      return explorer.split("?")[0] + "?ids=" + ids.join(",");
    },
  };
  window.DL4MICList = readerList;

  /* An entry's page offers the same toggle as its explorer card, and a link to the list. */
  function entryKeep() {
    var line = document.querySelector(".dl-keep");
    var ids = readerList.read();
    if (!line || ids === null) return;
    var button = line.querySelector("button");
    var link = line.querySelector("a");
    // the explorer's address as the generator wrote the link (a data attribute is not
    // rewritten by every generator: Zensical left it relative to the Markdown source)
    var explorer = link.href;
    function show(now) {
      button.setAttribute("aria-pressed", now.indexOf(line.dataset.entryId) >= 0 ? "true" : "false");
      link.hidden = !now.length;
      link.textContent = window.DL4MICSearch.fill(line.dataset.show, "count", now.length);
      link.href = readerList.address(explorer, now);
    }
    button.addEventListener("click", function () { show(readerList.toggle(line.dataset.entryId)); });
    window.addEventListener("storage", function (event) {
      if (event.key === LIST_KEY || event.key === null) show(readerList.read() || []);
    });
    show(ids);
    line.hidden = false;
  }

  function start() {
    update();
    entryKeep();
    nameHeadingLinks();
    menuButton();
    paletteSpace();
    backToTopFocus();
    window.addEventListener("hashchange", update);
    window.addEventListener("popstate", update);
    document.addEventListener("dl4mic:location", update);
    // Material's own handler may look the page up in a sitemap and drop the query: ours wins.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[hreflang].md-select__link");
      if (!link) return;
      update(readingAnchor());
      event.preventDefault();
      event.stopImmediatePropagation();
      window.location.href = link.href;
    }, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
