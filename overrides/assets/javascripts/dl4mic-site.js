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

  function update() {
    var links = languageLinks();
    var here = document.documentElement.lang;
    var current = links.filter(function (link) { return link.hreflang === here; })[0];
    if (!current) return;
    var currentRoot = rootOf(current);
    var path = window.location.pathname;
    if (path.lastIndexOf(currentRoot, 0) !== 0) return;
    var rest = path.slice(currentRoot.length);
    links.forEach(function (link) {
      link.href = rootOf(link) + rest + window.location.search + window.location.hash;
    });
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

  function start() {
    update();
    nameHeadingLinks();
    window.addEventListener("hashchange", update);
    window.addEventListener("popstate", update);
    document.addEventListener("dl4mic:location", update);
    // Material's own handler may look the page up in a sitemap and drop the query: ours wins.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[hreflang].md-select__link");
      if (!link) return;
      update();
      event.preventDefault();
      event.stopImmediatePropagation();
      window.location.href = link.href;
    }, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
