"""The search index of one language site, built from the structured catalogue (not from pages).

The explorer and the header search box load ``assets/search-index.json`` and run the small
engine in ``dl4mic-search.js`` on it; each section page's word box runs it on an index of its
own rows, made the same way (``build_section_index``). This module decides what is searchable
and how much each field weighs; the browser only folds, splits and looks up the reader's words,
so both sides agree by construction:

- every word is folded (lower case, no accents: "Débruitage" = "debruitage") and stemmed with
  the Snowball stemmer of the text's language; stop words are dropped;
- the index maps each stem to its documents with a BM25F score (field weights below, length
  normalisation per field; documents as gaps from the previous one), and maps each indexed
  word to its stems, so the browser never needs a stemmer of its own: a reader's word is
  looked up, or matched as a prefix or with one typo;
- texts of the other language are indexed too, at a lower weight: many readers of the French
  site type English terms;
- "See also" and "Links" are never indexed (they name other entries).

Field weights were tuned on ``tests/data/search_queries.yml``, which
``tests/e2e/test_search_quality.py`` runs in the browser (see docs/search.md).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]

from . import LANGUAGES, markup
from .model import Entry
from .render import (
    PageContext,
    _SiteRenderer,
    entry_page,
    i18n_data,
    name_field,
    page_url,
    short_name,
    summary_field,
    ui_for,
)
from .text import fold, shorten

# Weight of each field (same language as the site; the other language counts OTHER_LANGUAGE
# times as much). Names and the words people type weigh most; long texts least.
FIELD_WEIGHTS: dict[str, float] = {
    "name": 8.0,
    "keywords": 7.0,
    "synonyms": 6.0,
    "labels": 3.0,
    "summary": 2.5,
    "io": 2.0,
    "body": 1.0,
}
OTHER_LANGUAGE = 0.5
PRIOR = 0.1  # weight of the links an entry receives
K1 = 1.2  # term-frequency saturation
# Length normalisation per field: a long description dilutes a word; a list of keywords or
# labels does not (each item is a way to find the entry).
LENGTH_NORMALISATION = {"name": 0.5, "keywords": 0.1, "synonyms": 0.1, "labels": 0.0,
                        "summary": 0.6, "io": 0.3, "body": 0.75}
SUMMARY_CHARS = 180  # of the summary shown on a result card
SNOWBALL = {"fr": "french", "en": "english"}
STOP_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({
        "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du",
        "elle", "en", "est", "et", "il", "ils", "je", "l", "la", "le", "les", "leur", "leurs",
        "lui", "ma", "mais", "me", "mes", "mon", "n", "ne", "nos", "notre", "nous", "on", "ou",
        "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sont", "sur",
        "ta", "te", "tes", "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "ete", "etre",
        "fait", "comme", "plus", "peut", "tres", "si",
        "c", "j", "m",  # elided: "c'est", "j'ai", "m'aider" ("t" is time in "3D+t")
    }),
    "en": frozenset({
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "how",
        "i", "if", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their",
        "this", "to", "was", "were", "what", "when", "which", "who", "why", "will", "with",
        "you", "your", "can", "do", "does", "not",
        # words that carry no subject yet matched entries by the count of query words a text
        # holds: "lower the learning rate over epochs" found a calcium-imaging tool ("over the
        # movie") before the learning-rate entries
        "over", "about", "my", "me", "than", "then", "there", "these", "those", "our", "we",
        # "training uses only a fraction of the GPU" ranked the GPU buying guides first, for
        # their "only"
        "only", "just",
    }),
}
_WORD = re.compile(r"[^\W_]+")
# words joined by hyphens ("u-net", also typed "unet") or by "&" ("H&E", the staining, typed
# "HE": its single letters alone are found nowhere)
_COMPOUND = re.compile(r"[^\W_]+(?:[-&][^\W_]+)+")
# "j'ai" (I have) is French: its "ai" is not the English "AI" (dl4mic-search.js drops it from
# the reader's words alike)
_FRENCH_I_HAVE = re.compile(r"(^|[\W_])j['’]\s?ai(?![^\W_])", re.IGNORECASE)


def words(text: str) -> list[str]:
    """The folded words of a text; ``u-net`` also gives ``unet``, ``H&E`` ``he``; "j'ai" none."""
    folded = fold(_FRENCH_I_HAVE.sub(r"\1", text))
    found = _WORD.findall(folded)
    found += ["".join(_WORD.findall(m)) for m in _COMPOUND.findall(folded)]
    return found


@cache
def _stemmer(lang: str) -> Any:
    return snowballstemmer.stemmer(SNOWBALL[lang])


# Words Snowball stems apart from the words a reader takes them for, or with them. French
# "formation" (a training course, what a learner types) and "format" (a file format) both
# become "format": "formation" found Bio-Formats and HDF5 before any course. "noyaux" becomes
# "noyal" (as "chevaux", "cheval") and "noyau" stays: the plural missed the singular. Both
# stemmers, as the French site indexes English texts too. Keys are folded words.
STEM_EXCEPTIONS: dict[str, str] = {"formation": "formation", "formations": "formation",
                                   "noyaux": "noyau"}


@cache
def stem(word: str, lang: str) -> str:
    """The folded stem of a word, stemmed as written: Snowball's French rules read accents
    ("annotées" and "annoter" share "annot"; "annotees" became "annote")."""
    folded = fold(word)
    return STEM_EXCEPTIONS.get(folded) or fold(str(_stemmer(lang).stemWord(word)))


@dataclass
class _Doc:
    entry: Entry
    # field name → (language weight, words)
    fields: list[tuple[str, float, list[str]]] = field(default_factory=list)


def _entry_fields(site: _SiteRenderer, entry: Entry, lang: str) -> list[tuple[str, str, str]]:
    """(field kind, language, text) of everything searchable in an entry."""
    out: list[tuple[str, str, str]] = []
    for text_lang, text in entry.text(name_field(entry)).items():
        out.append(("name", text_lang, markup.plain(text)))
    for text_lang, text in entry.text("abbr").items():
        out.append(("name", text_lang, text))
    for name, kind in (("keywords", "keywords"), ("synonyms", "synonyms")):
        for text_lang, items in entry.text_lists(name).items():
            out.extend((kind, text_lang, item) for item in items)
    for name, kind in (("summary", "summary"), ("io", "io")):
        for text_lang, text in entry.text(name).items():
            out.append((kind, text_lang, markup.plain(text)))
    for name in ("description", "answer", "definition"):
        for text_lang, text in entry.text(name).items():
            out.append(("body", text_lang, markup.plain(text)))
    for facet in site.facets:
        vocabulary = site.catalogue.vocabularies[facet.name]
        for key in facet.keys(entry):
            term = vocabulary.terms.get(key)
            if term is not None:
                out.extend(("labels", label_lang, text) for label_lang, text in term.label.items())
                out.extend(("labels", word_lang, word)
                           for word_lang, typed in term.keywords.items() for word in typed)
    for author in entry.strings("authors"):
        out.append(("labels", lang, author))
    return out


def _tokens(text: str, text_lang: str) -> tuple[tuple[str, str], ...]:
    """(word, stem) pairs of a text, stop words of its language dropped. Words are folded, as
    the browser folds the reader's; each is stemmed as the text writes it, accents and all."""
    stop = STOP_WORDS.get(text_lang, frozenset())
    lang = text_lang if text_lang in SNOWBALL else LANGUAGES[0]
    written: dict[str, str] = {}  # folded word → a spelling with its accents, if it has one
    for spelling in _WORD.findall(unicodedata.normalize("NFC", text).lower()):
        folded = fold(spelling)
        if written.get(folded, folded) == folded:
            written[folded] = spelling
    return tuple((w, stem(written.get(w, w), lang)) for w in words(text) if w not in stop)


@lru_cache(maxsize=1 << 16)
def _counted(
    text: str, text_lang: str
) -> tuple[dict[str, int], frozenset[tuple[str, str]]]:
    """How often each stem occurs in a text (in order of first occurrence), and its distinct
    (word, stem) pairs; kept, since labels and texts recur across entries and languages."""
    tokens = _tokens(text, text_lang)
    counts: dict[str, int] = {}
    for _word, word_stem in tokens:
        counts[word_stem] = counts.get(word_stem, 0) + 1
    return counts, frozenset(tokens)


def build_search_index(site: _SiteRenderer, lang: str, stems: EntryStems | None = None) -> str:
    """The JSON search index of the ``lang`` site (deterministic, compact). ``stems``: the
    entries' stems, when section indexes are built from them too."""
    entries = site.sorted_entries(lang, site.catalogue.all_entries())
    ctx = PageContext(site, lang, "explore.md")
    docs: list[dict[str, object]] = []
    inbound = _inbound_links(entries)
    phrases: dict[str, list[int]] = defaultdict(list)
    for number, entry in enumerate(entries):
        for phrase in _keyword_phrases(entry):
            phrases[phrase].append(number)
        card = _card(ctx, entry, page_url(entry_page(entry)))
        # Entries many others point to are the ones readers look for first (Cellpose before
        # a paper that cites it): a gentle prior, so that text relevance still decides.
        prior = 1 + PRIOR * math.log1p(inbound.get(entry.id, 0))
        for facet in site.facets:  # vocabulary values may weigh their entries (search_weight)
            terms = site.catalogue.vocabularies[facet.name].terms
            for key in facet.keys(entry):
                prior *= terms[key].search_weight if key in terms else 1.0
        card["prior"] = round(prior, 3)
        docs.append(card)
    words, postings = _words_and_postings(stems or EntryStems(site, lang), entries)
    pages, page_words = _site_pages(lang)
    for word, word_stem in page_words:  # the browser finds the pages' stems as the entries'
        if word_stem not in words.setdefault(word, []):
            words[word] = sorted([*words[word], word_stem])
    words = dict(sorted(words.items()))
    index = {
        "version": 2,
        "lang": lang,
        "stop": _stop_words(lang),
        "facets": [
            {
                "name": facet.name,
                "title": site.vocab_title(facet.name, lang),
                "labels": {
                    key: site.label(facet.name, key, lang)
                    for key in site.catalogue.vocabularies[facet.name].terms
                },
                "chips": facet.chips,
            }
            for facet in site.facets
        ],
        "docs": docs,
        "words": words,
        "postings": postings,
        "phrases": dict(sorted(phrases.items())),
        "pages": pages,
    }
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


@cache
def site_pages() -> list[dict[str, Any]]:
    """The site's own pages the explorer offers for the words readers type for them
    (i18n/site_pages.yml)."""
    pages: list[dict[str, Any]] = i18n_data("site_pages.yml")
    return pages


def _site_pages(lang: str) -> tuple[list[dict[str, object]], set[tuple[str, str]]]:
    """The site pages as the index lists them (name, address, stems: the words readers type
    for each page, and its name, in both languages), and those words' (word, stem) pairs."""
    pages: list[dict[str, object]] = []
    pairs: set[tuple[str, str]] = set()
    for page in site_pages():
        page_pairs = {
            pair
            for text_lang in LANGUAGES
            for text in (ui_for(text_lang)[page["name"]], *page["words"][text_lang])
            for pair in _counted(text, text_lang)[1]
        }
        pairs |= page_pairs
        pages.append({"name": ui_for(lang)[page["name"]], "url": page_url(page["page"]),
                      "stems": sorted({word_stem for _word, word_stem in page_pairs})})
    return pages, pairs


def build_section_index(
    site: _SiteRenderer, lang: str, entries: list[Entry], stems: EntryStems | None = None
) -> str:
    """The word index of a section page's filter box (dl4mic-filters.js): the search index's
    stop words, words and postings, made the same way but for the ``entries`` the page lists
    only, and documents that are their ids. The box runs the explorer's engine on it, so it
    matches words as the explorer does (folded, stemmed, in both languages, as prefixes or
    with a typo) without loading the whole catalogue's index to filter a few dozen rows."""
    words, postings = _words_and_postings(stems or EntryStems(site, lang), entries)
    # The box only asks which rows hold every word, never how well: scores of 1 keep the
    # explorer's format and make the file a sixth smaller gzipped (tools: 43 -> 35 kB)
    for pairs in postings.values():
        pairs[1::2] = [1] * (len(pairs) // 2)
    index = {
        "version": 2,
        "lang": lang,
        "stop": _stop_words(lang),
        "docs": [{"id": entry.id} for entry in entries],
        "words": words,
        "postings": postings,
    }
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def _stop_words(lang: str) -> list[str]:
    """Both languages' stop words: the query of a reader of either site may be in either."""
    return sorted(STOP_WORDS[lang] | STOP_WORDS[_other(lang)])


class EntryStems:
    """What the index reads of each entry on the ``lang`` site: per field, how often each
    stem occurs (the other language's texts at OTHER_LANGUAGE), and its (word, stem) pairs.
    Worked out once per entry, for the search index and the section indexes that list it
    again."""

    def __init__(self, site: _SiteRenderer, lang: str) -> None:
        self.site, self.lang = site, lang
        self._done: dict[str, tuple[dict[str, dict[str, float]], set[tuple[str, str]]]] = {}

    def of(self, entry: Entry) -> tuple[dict[str, dict[str, float]], set[tuple[str, str]]]:
        found = self._done.get(entry.id)
        if found is None:
            per_field: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
            pairs: set[tuple[str, str]] = set()
            for kind, text_lang, text in _entry_fields(self.site, entry, self.lang):
                weight = 1.0 if text_lang == self.lang else OTHER_LANGUAGE
                stem_counts, text_pairs = _counted(text, text_lang)
                counter = per_field[kind]
                for word_stem, count in stem_counts.items():
                    counter[word_stem] += weight * count  # halves and units: exact sums
                pairs |= text_pairs
            found = self._done[entry.id] = (per_field, pairs)
        return found


def _words_and_postings(
    stems: EntryStems, entries: list[Entry]
) -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    """Every indexed word of ``entries`` with its stems, and every stem with its postings:
    (document gap, score) pairs, documents numbered in the order of ``entries``."""
    field_stems: list[dict[str, dict[str, float]]] = []
    field_lengths: dict[str, list[float]] = defaultdict(list)
    word_stems: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        per_field, pairs = stems.of(entry)
        for word, word_stem in pairs:
            word_stems[word].add(word_stem)
        for kind, counter in per_field.items():
            field_lengths[kind].append(sum(counter.values()))
        field_stems.append(per_field)
    averages = {
        kind: max(1.0, sum(lengths) / len(lengths)) for kind, lengths in field_lengths.items()
    }
    # Postings: (document gap, score) pairs. Documents come in order, so each list stores the
    # gap to the previous document rather than its number: small repeated numbers, which
    # gzip shrinks several times better (2.2 MB -> 0.2 MB gzipped at 10,000 entries).
    postings: dict[str, list[int]] = defaultdict(list)
    previous: dict[str, int] = defaultdict(int)
    for number, per_field in enumerate(field_stems):
        scores: dict[str, float] = defaultdict(float)
        for kind, counter in per_field.items():
            length = sum(counter.values())
            b = LENGTH_NORMALISATION[kind]
            norm = 1 - b + b * length / averages[kind]
            for word_stem, tf in counter.items():
                scores[word_stem] += FIELD_WEIGHTS[kind] * tf / (tf + K1 * norm)
        for word_stem, score in scores.items():
            postings[word_stem].extend((number - previous[word_stem], max(1, round(score * 10))))
            previous[word_stem] = number
    words = {word: sorted(found) for word, found in sorted(word_stems.items())}
    return words, dict(sorted(postings.items()))


def _keyword_phrases(entry: Entry) -> set[str]:
    """The entry's keywords and synonyms of several words, in both languages, as the browser
    reads a query (folded words joined by a space): typed whole ("free gpu"), they name what
    the entry is for, which counts more than sharing both words with many texts."""
    found: set[str] = set()
    for name in ("keywords", "synonyms"):
        for items in entry.text_lists(name).values():
            for item in items:
                phrase = " ".join(_WORD.findall(fold(item)))
                if " " in phrase:
                    found.add(phrase)
    return found


def _inbound_links(entries: list[Entry]) -> dict[str, int]:
    """How many other entries name each entry in ``related`` or ``see_also``."""
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        for target in {*entry.strings("related"), *entry.strings("see_also")}:
            if target != entry.id:
                counts[target] += 1
    return counts


def _other(lang: str) -> str:
    return next(other for other in LANGUAGES if other != lang)


def _card(ctx: PageContext, entry: Entry, url: str) -> dict[str, object]:
    """What a result card shows, and the facet keys the explorer filters on."""
    summary = ctx.plain(entry, summary_field(entry))
    if not summary and entry.get("status") == "open":  # a FAQ question awaiting its answer
        summary = ctx.ui["faq_open_notice"]
    summary = shorten(summary, SUMMARY_CHARS)
    facets = {
        facet.name: keys for facet in ctx.site.facets if (keys := facet.keys(entry))
    }
    name = ctx.plain_name(entry)
    card: dict[str, object] = {
        "id": entry.id,
        "name": short_name(name),
        "summary": summary,
        "url": url,
        "added": entry.string("added") or "",
        "facets": facets,
    }
    if card["name"] != name:
        card["title"] = name  # the whole of a name shortened for the card
    # read in its own language: an English title on the French site, a summary not translated
    for key, field_name in (("lang", name_field(entry)), ("summary_lang", summary_field(entry))):
        spoken = ctx.read_in(entry, field_name)
        if spoken:
            card[key] = spoken
    status = ctx.status(entry)
    if status:
        card["status"] = status[0]
        rank = ctx.site.browsing_rank(entry)
        if rank:
            card["later"] = rank  # browsing (nothing searched) lists it after current ones
    return card
