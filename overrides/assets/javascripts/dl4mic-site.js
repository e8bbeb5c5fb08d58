/* Site-wide behaviour of dl4mic-hub's pages.
 *
 * Language switch: both language sites share every page path, so the other language's link
 * keeps the page, its query string (filters, search) and its anchor:
 * /fr/sections/tools/?dims=3d#annotation -> /en/sections/tools/?dims=3d#annotation.
 * The build already points each link at the same page; this adds the query and the anchor,
 * and follows the changes made by the filters and the explorer.
 *
 * Headings' permalinks get a name that says where they lead (below).
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
    var target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
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

  function pressable(button, toggle, panel, narrow, opened) {
    button.tabIndex = 0;
    button.setAttribute("role", "button");
    function sync() {
      var closed = narrow.matches && !toggle.checked;
      panel.inert = closed;
      if (narrow.matches) button.setAttribute("aria-expanded", String(toggle.checked));
      else button.removeAttribute("aria-expanded");
    }
    function set(open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change", { bubbles: true })); // the theme listens
      sync();
    }
    button.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      if (!narrow.matches) return;
      event.preventDefault();
      event.stopPropagation(); // the theme clicks a focused label on Enter: one toggle only
      set(!toggle.checked);
      if (toggle.checked && opened) opened();
    });
    toggle.addEventListener("change", sync);
    if (narrow.addEventListener) narrow.addEventListener("change", sync);
    sync();
    return set;
  }

  function focusFirst(panel) {
    var first = panel.querySelector("a[href], [tabindex='0']");
    // no scrolling: the panel is still sliding in, and scrolling to it showed a blank drawer
    if (first) first.focus({ preventScroll: true });
  }

  function menuButton() {
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector('label.md-header__button[for="__drawer"]');
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !button || !drawer) return;
    var name = document.querySelector('meta[name="dl4mic-menu"]');
    if (name) button.setAttribute("aria-label", name.content);
    var narrow = window.matchMedia(NARROW);
    var set = pressable(button, toggle, drawer, narrow, function () { focusFirst(drawer); });
    // the drawer's sections, each a panel of its own
    drawer.querySelectorAll("input.md-nav__toggle[id]").forEach(function (section) {
      var label = drawer.querySelector('label.md-nav__link[for="' + section.id + '"]');
      var panel = label && label.parentElement.querySelector(":scope > nav.md-nav");
      if (!panel) return;
      pressable(label, section, panel, narrow, function () { focusFirst(panel); });
      var back = panel.querySelector(':scope > label.md-nav__title[for="' + section.id + '"]');
      if (back) {
        pressable(back, section, panel, narrow, null);
        back.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") label.focus();
        });
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !toggle.checked || !narrow.matches) return;
      set(false);
      button.focus();
    });
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

  function start() {
    update();
    nameHeadingLinks();
    menuButton();
    paletteSpace();
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
