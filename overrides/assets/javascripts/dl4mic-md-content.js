/* Copied from Material for MkDocs 9.8.2 (MIT licence, (c) Martin Donath), where it is an inline
 * script: dl4mic-hub's Content-Security-Policy runs only scripts served as files. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
