/* dl4mic-hub's search engine, shared by the explorer and the header search box.
 *
 * The index (assets/search-index.json, built by dl4mic_hub/search.py) maps every indexed word
 * to its stems and every stem to its documents with a precomputed field-weighted score
 * (pairs of gap from the previous document and score, gaps being what gzip shrinks best). This
 * file only folds and splits the reader's words exactly as the index builder does, then looks
 * them up: exactly, as a prefix (the reader is still typing), or with a typo on longer words.
 * Documents that match every word come first; within them, rarer words weigh more (idf).
 */
(function (global) {
  "use strict";

  var WORD = /[\p{L}\p{N}]+/gu;

  function fold(text) {  // as text.fold in Python: the index and the reader's words agree
    return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae");
  }

  /* "j'ai" (I have) is French: its "ai" is not the English "AI", which entries about AI say
   * everywhere ("j'ai peu d'images annotées" found them first). search.py's words() drops it
   * from the texts it indexes alike. */
  var FRENCH_I_HAVE = /(^|[^\p{L}\p{N}])j['’]\s?ai(?![\p{L}\p{N}])/giu;

  function spoken(text) {
    return String(text).replace(FRENCH_I_HAVE, "$1");
  }

  function words(text) {
    var folded = fold(spoken(text));
    var found = folded.match(WORD) || [];
    // as search.py's _COMPOUND: "u-net" is also "unet", "H&E" (the staining) "he"
    var compounds = folded.match(/[\p{L}\p{N}]+(?:[-&][\p{L}\p{N}]+)+/gu) || [];
    compounds.forEach(function (compound) { found.push(compound.replace(/[-&]/g, "")); });
    return found;
  }

  /* Optimal string alignment distance, stopped early beyond `limit`. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var previous2 = null;
    var previous = [];
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      var current = [i];
      var best = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var value = Math.min(previous[k] + 1, current[k - 1] + 1, previous[k - 1] + cost);
        if (previous2 && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) {
          value = Math.min(value, previous2[k - 2] + 1);
        }
        current.push(value);
        if (value < best) best = value;
      }
      if (best > limit) return limit + 1;
      previous2 = previous;
      previous = current;
    }
    return previous[b.length];
  }

  function Engine(index) {
    this.index = index;
    this.docs = index.docs;
    this.stop = new Set(index.stop);
    this.vocabulary = Object.keys(index.words).sort();
    this.byLength = {};
    var self = this;
    this.vocabulary.forEach(function (word) {
      (self.byLength[word.length] = self.byLength[word.length] || []).push(word);
    });
    this.cache = new Map();
    // the most words a keyword phrase has: a query's runs are looked up no longer than that
    // (a pasted paragraph otherwise tried every run of its words, at every keystroke)
    this.phraseWords = 0;
    Object.keys(index.phrases || {}).forEach(function (phrase) {
      self.phraseWords = Math.max(self.phraseWords, phrase.split(" ").length);
    });
  }

  /* stem → quality of the match (1 exact, less for prefixes and typos) for one query word. */
  Engine.prototype.stemsFor = function (word, isLast) {
    var key = word + (isLast ? "$" : "");
    if (this.cache.has(key)) return this.cache.get(key);
    var stems = new Map();
    var index = this.index;
    function add(found, quality) {
      (index.words[found] || []).forEach(function (stem) {
        if ((stems.get(stem) || 0) < quality) stems.set(stem, quality);
      });
    }
    add(word, 1);
    // two letters are too few to guess a word from: "he" (H&E staining) found "Heaviside"
    var minPrefix = isLast ? 3 : 4;
    if (word.length >= minPrefix) {
      var start = lowerBound(this.vocabulary, word);
      var taken = 0;
      for (var i = start; i < this.vocabulary.length && taken < 40; i++) {
        var candidate = this.vocabulary[i];
        if (candidate.lastIndexOf(word, 0) !== 0) break;
        // a word the reader has finished typing may lack an ending ("annot" for "annoter"),
        // not half of a word: "gene" (gêne) is not "generaliste"
        if (!isLast && candidate.length - word.length > 2) continue;
        if (candidate !== word) {
          add(candidate, isLast ? 0.8 : 0.6);
          taken++;
        }
      }
    }
    if (!index.words[word] && word.length >= 5) {
      var typos = this.typosOf(word);
      typos.forEach(function (other) { add(other, 0.5); });
      // A word the catalogue never uses may still share its stem with one it does
      // ("denoise" / "denoising", "resize" / "resizing", "looking" / "looks"): try it without
      // up to three last letters, keeping four. Not when it is a typo of a word the catalogue
      // has: "cellpse" is Cellpose misspelt, and every "cell..." word, rarer, outranked it.
      for (var cut = 1; cut <= 3 && word.length - cut >= 4 && !typos.length; cut++) {
        var stemLike = word.slice(0, word.length - cut);
        var from = lowerBound(this.vocabulary, stemLike);
        for (var m = from, found = 0; m < this.vocabulary.length && found < 20; m++) {
          if (this.vocabulary[m].lastIndexOf(stemLike, 0) !== 0) break;
          add(this.vocabulary[m], 0.55);
          found++;
        }
      }
    }
    if (this.cache.size > 500) this.cache.clear();
    this.cache.set(key, stems);
    return stems;
  };

  /* The catalogue's words one typo away from a word it does not have (5 letters or more),
   * two from 9; the same first letter. */
  Engine.prototype.typosOf = function (word) {
    var typos = [];
    if (this.index.words[word] || word.length < 5) return typos;
    // asked for each word at each keystroke, by stemsFor and by search: scanned once
    this.typoCache = this.typoCache || new Map();
    if (this.typoCache.has(word)) return this.typoCache.get(word);
    var limit = word.length >= 9 ? 2 : 1;
    for (var length = word.length - limit; length <= word.length + limit; length++) {
      var sameLength = this.byLength[length] || [];
      for (var n = 0; n < sameLength.length; n++) {
        var other = sameLength[n];
        if (other[0] !== word[0]) continue;
        if (distance(word, other, limit) <= limit) typos.push(other);
      }
    }
    if (this.typoCache.size > 500) this.typoCache.clear();
    this.typoCache.set(word, typos);
    return typos;
  };

  function lowerBound(sorted, value) {
    var low = 0;
    var high = sorted.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (sorted[middle] < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /* Whether every word of a (short) name was typed: the reader named the entry and added
   * what they want of it ("stardist 3d"), so it comes before entries that merely cite it. */
  function namedIn(name, typed) {
    var nameWords = words(name);
    return nameWords.length > 0 && nameWords.length <= 3 &&
      nameWords.every(function (w) { return typed.has(w); });
  }

  /* The distinct words of a query that count (stop words dropped): a result's `matched` is
   * at most their number. */
  Engine.prototype.queryWords = function (query) {
    var self = this;
    var unique = [];
    words(query).forEach(function (w) {
      if (!self.stop.has(w) && unique.indexOf(w) < 0) unique.push(w);
    });
    return unique;
  };

  /* Every document holding some of the query's words: doc → {score, matched: how many of
   * them it holds}; null when no word of the query counts. */
  Engine.prototype.matches = function (query) {
    var self = this;
    var unique = this.queryWords(query);
    if (!unique.length) return null;
    var total = this.docs.length;
    var scores = new Map(); // doc → {score, matched}
    unique.forEach(function (word, position) {
      var stems = self.stemsFor(word, position === unique.length - 1);
      var best = new Map(); // doc → best score for this word
      stems.forEach(function (quality, stem) {
        var postings = self.index.postings[stem];
        if (!postings) return;
        var frequency = postings.length / 2;
        var idf = Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
        var doc = 0;
        for (var i = 0; i < postings.length; i += 2) {
          doc += postings[i]; // gap from the previous document (the first: its number)
          var value = idf * quality * postings[i + 1] / 10;
          if ((best.get(doc) || 0) < value) best.set(doc, value);
        }
      });
      best.forEach(function (value, doc) {
        var found = scores.get(doc);
        if (!found) scores.set(doc, { score: value, matched: 1 });
        else { found.score += value; found.matched += 1; }
      });
    });
    return scores;
  };

  /* The documents holding every word of the query that counts, as a Set; null when none
   * counts (the query filters nothing). What a section page's word box keeps. */
  Engine.prototype.holdingEvery = function (query) {
    var scores = this.matches(query);
    if (!scores) return null;
    var wanted = this.queryWords(query).length;
    var holding = new Set();
    scores.forEach(function (found, doc) { if (found.matched === wanted) holding.add(doc); });
    return holding;
  };

  /* Ranked matches: [{doc: index in docs, score, matched: words matched}] best first; those
   * holding every word first. */
  Engine.prototype.search = function (query) {
    var self = this;
    query = spoken(query); // the whole query, as its words: "j'ai free gpu" is "free gpu"
    var scores = this.matches(query);
    if (!scores) return null;
    var queryWords = words(query).filter(function (w) { return !self.stop.has(w); });
    var wanted = this.queryWords(query).length;
    var phrase = fold(query).trim();
    // a name misspelt names it too ("ilastk"): a text that merely cites ilastik had as many
    // points as its page, whose longer text weighs each word less
    var typed = new Set(queryWords);
    queryWords.forEach(function (word) {
      self.typosOf(word).forEach(function (other) { typed.add(other); });
    });
    // the query typed as one of an entry's keywords of several words ("free gpu")
    var typedWords = fold(query).match(WORD) || [];
    var phrases = this.index.phrases || {};
    var keyworded = new Set(typedWords.length > 1 ? phrases[typedWords.join(" ")] || [] : []);
    // ...or within a longer query ("GPU gratuit pour entraîner" holds Colab's "GPU gratuit"):
    // a smaller lift, for each run of two words or more that is such a keyword
    var keywordIn = new Set();
    for (var from = 0; from < typedWords.length - 1; from++) {
      var last = Math.min(typedWords.length, from + this.phraseWords);
      for (var to = from + 2; to <= last; to++) {
        if (to - from === typedWords.length) continue;  // the whole query: above
        (phrases[typedWords.slice(from, to).join(" ")] || []).forEach(function (doc) {
          keywordIn.add(doc);
        });
      }
    }
    var results = [];
    scores.forEach(function (found, doc) {
      var name = fold(self.docs[doc].name);
      // the reader named the entry and said what they want of it ("fine-tune stardist"): it
      // ranks with the entries that have every word, where it was behind every text that
      // merely says "fine-tune"
      if (namedIn(self.docs[doc].name, typed)) found.matched = wanted;
      var score = found.score * (self.docs[doc].prior || 1);
      if (phrase && name === phrase) score *= 2;
      else if (phrase.length > 2 && name.indexOf(phrase) === 0) score *= 1.5;
      else if (namedIn(self.docs[doc].name, typed)) score *= 1.5; // "stardist 3d": StarDist
      else if (keyworded.has(doc)) score *= 2;
      else if (keywordIn.has(doc)) score *= 1.5;
      results.push({ doc: doc, score: score, matched: found.matched });
    });
    results.sort(function (a, b) {
      return b.matched - a.matched || b.score - a.score || a.doc - b.doc;
    });
    return results;
  };

  /* An interface message with its {name} filled in by a function: given as a plain string,
   * what the reader typed would have its "$&", "$`" or "$'" expanded by String.replace. */
  function fill(template, name, value) {
    return template.replace("{" + name + "}", function () { return String(value); });
  }

  /* An engine over the index at `url` (a promise): an HTTP error rejects it, as a network
   * error does, so that each page can say the index could not load. */
  function load(url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      })
      .then(function (index) { return new Engine(index); });
  }

  // what dl4mic-explore.js and dl4mic-filters.js use
  global.DL4MICSearch = { Engine: Engine, load: load, fold: fold, words: words, fill: fill };
})(typeof window !== "undefined" ? window : globalThis);
