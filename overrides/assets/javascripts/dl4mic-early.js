/* Loaded in <head>, before the page is painted.
 *
 * 1. Marks that scripts run, so the CSS shows the filter forms and the explorer (and hides the
 *    explorer's plain list) from the first paint, with no layout shift.
 * 2. Material for MkDocs fetches "sitemap.xml" next to every <link rel="alternate"> of the
 *    page, expecting them to be language roots. Ours point at the same page in each language
 *    (what search engines need), where no sitemap exists: such requests are sent to this
 *    language's sitemap instead of failing with a 404.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("dl-js");
  var script = document.currentScript;
  var sitemap = script && script.dataset.sitemap;
  if (!sitemap || !window.XMLHttpRequest) return;
  var roots = (script.dataset.sitemaps || "").split(" ").filter(Boolean);
  var open = window.XMLHttpRequest.prototype.open;
  window.XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    try {
      var target = new URL(String(url), window.location.href);
      if (/\/sitemap\.xml$/.test(target.pathname) && roots.indexOf(target.href) < 0) {
        args[1] = sitemap;
      }
    } catch (error) { /* not a URL: leave it to the browser */ }
    return open.apply(this, args);
  };
})();
