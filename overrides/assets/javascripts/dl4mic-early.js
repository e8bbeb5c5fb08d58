/* Loaded in <head>, before the page is painted.
 *
 * 1. Marks that scripts run, so the CSS shows the filter forms and the explorer (and hides the
 *    explorer's plain list) from the first paint, with no layout shift.
 * 2. Material for MkDocs fetches "sitemap.xml" next to every <link rel="alternate"> of the
 *    page, expecting them to be language roots, and parses it on the main thread: at 10,000
 *    entries, 150 kB and over a second of every page load. Its language selector is the only
 *    reader, and ours (dl4mic-site.js) needs none: such requests get an empty sitemap
 *    (assets/no-sitemap.xml). Crawlers still find the real ones (robots.txt).
 */
(function () {
  "use strict";
  document.documentElement.classList.add("dl-js");
  var script = document.currentScript;
  var sitemap = script && script.dataset.sitemap;
  if (!sitemap || !window.XMLHttpRequest) return;
  var open = window.XMLHttpRequest.prototype.open;
  window.XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    try {
      var target = new URL(String(url), window.location.href);
      if (/\/sitemap\.xml$/.test(target.pathname)) args[1] = sitemap;
    } catch (error) { /* not a URL: leave it to the browser */ }
    return open.apply(this, args);
  };
})();
