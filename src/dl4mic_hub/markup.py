"""Catalogue text to HTML that a browser can only display: the render stage's safety layer.

Catalogue text comes from pull requests by people we do not know. It is rendered here with
markdown-it-py in CommonMark mode, configured for untrusted input: no raw HTML, no images, links
only to http(s), mailto and in-page anchors. The HTML it returns is then embedded in the pages
that the site generator (Python-Markdown) processes again, so every character that Python-Markdown
or one of its extensions would act on (emphasis, links, attribute lists ``{: ...}``, emoji
``:name:``, table pipes...) is written as a numeric character reference: the generator passes
the fragment through untouched, and the reader sees exactly the text that was written.

``escape()`` is the same protection for plain values; the page templates apply it to every
value they print that is not already safe HTML (see ``render``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

import markupsafe
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from .markdown import SAFE_SCHEMES
from .model import Entry, glossary_names
from .text import NO_BREAK_SPACE, binds_across, typeset

# Characters with a meaning for HTML, Python-Markdown or one of its extensions (emphasis, code,
# links, attribute lists, emoji, tables, headings, abbreviations...).
_ACTIVE = re.compile(r"""[\\`*_{}\[\]<>#+!|:~^=&"]""")
# Stricter than markdown.scheme_of: nothing, not even a space, may come before the scheme.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Control characters, spaces and DEL: never in an address a reader may follow.
_UNFOLLOWABLE = re.compile(r"[\x00-\x20\x7f]")


def escape(text: object) -> Markup:
    """Plain text as HTML that neither a browser nor Python-Markdown interprets, on one line
    or several (line breaks are kept)."""
    return Markup(_ACTIVE.sub(lambda m: f"&#{ord(m.group(0))};", str(text)))


def escape_attribute(text: object) -> Markup:
    """A value for a double-quoted HTML attribute, on one line. Python-Markdown copies HTML
    tags as they are, so HTML escaping is enough (and keeps URLs readable)."""
    return Markup(html.escape(" ".join(str(text).split()), quote=False).replace('"', "&quot;"))


def html_format(template: str, *values: object) -> Markup:
    """``template``'s ``{}`` fields filled with ``values``, each HTML-escaped unless it is safe
    HTML already: what ``Markup(template).format(*values)`` does, without the cost of
    ``string.Formatter`` (pages call it tens of thousands of times)."""
    return Markup(template.format(*map(markupsafe.escape, values)))


def safe_link(url: str) -> str | None:
    """``url`` when a reader may follow it (http, https, mailto, or a same-page ``#anchor``),
    else None. Control characters and spaces never reach an attribute."""
    if _UNFOLLOWABLE.search(url):
        return None
    if url.startswith("#"):
        return url
    match = _SCHEME.match(url)
    return url if match and match.group(1).lower() in SAFE_SCHEMES else None


def _text_rule(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    text = typeset(tokens[idx].content, env.get("lang"))
    terms: _TermLinks | None = env.get("terms")
    if terms is None or not tokens[idx].meta.get(_TERMS_ALLOWED):
        return str(escape(text))
    return terms.linked(text)


def _code_inline_rule(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f"<code>{escape(tokens[idx].content)}</code>"


def _code_block_rule(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f"<pre><code>{escape(tokens[idx].content)}</code></pre>\n"


def _link_open_rule(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    href = safe_link(str(tokens[idx].attrGet("href") or ""))
    if href is None:  # validateLink already refused it; a second, independent check
        tokens[idx].meta["dropped"] = True
        return ""
    title = tokens[idx].attrGet("title")
    title_attr = f' title="{escape_attribute(title)}"' if title else ""
    return f'<a href="{escape_attribute(href)}"{title_attr}>'


def _link_close_rule(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # find the matching link_open to know whether it was dropped
    depth = 0
    for back in range(idx - 1, -1, -1):
        token = tokens[back]
        if token.type == "link_close":
            depth += 1
        elif token.type == "link_open":
            if depth == 0:
                return "" if token.meta.get("dropped") else "</a>"
            depth -= 1
    return "</a>"


def _no_links(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return ""


def _space(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return NO_BREAK_SPACE if _binds(tokens, idx, env) else " "


def _softbreak_rule(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return NO_BREAK_SPACE if _binds(tokens, idx, env) else "\n"


def _binds(tokens: Sequence[Token], idx: int, env: Any) -> bool:
    """Whether the line break at ``idx`` stands for a space French binds ("bien\n?")."""
    before = tokens[idx - 1].content if idx > 0 else ""
    after = tokens[idx + 1].content if idx + 1 < len(tokens) else ""
    return binds_across(before, after, (env or {}).get("lang"))


def _validate_link(url: str) -> bool:
    return safe_link(url) is not None


def _parser(*, links: bool, one_line: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.add_render_rule("text", _text_rule)
    md.add_render_rule("code_inline", _code_inline_rule)
    md.add_render_rule("code_block", _code_block_rule)
    md.add_render_rule("fence", _code_block_rule)
    if links:
        md.add_render_rule("link_open", _link_open_rule)
        md.add_render_rule("link_close", _link_close_rule)
    else:
        md.add_render_rule("link_open", _no_links)
        md.add_render_rule("link_close", _no_links)
    if one_line:
        md.add_render_rule("softbreak", _space)
        md.add_render_rule("hardbreak", _space)
    else:
        md.add_render_rule("softbreak", _softbreak_rule)
    return md


@cache
def _parsers() -> dict[str, MarkdownIt]:
    return {
        "block": _parser(links=True, one_line=False),
        "inline": _parser(links=True, one_line=True),
        "label": _parser(links=False, one_line=True),
    }


# Every catalogue text is rendered many times (its page, the lists it appears in, the search
# index, the exports, in each language): the results are kept, keyed by the text itself.
_MEMO_SIZE = 1 << 16


# `lang`: the language the text is written in; French gets its no-break spaces before ? ! : ;
# and inside « » (text.typeset), in the text only: code stays as written.
@lru_cache(maxsize=_MEMO_SIZE)
def block(text: str, lang: str | None = None) -> Markup:
    """Block Markdown (paragraphs, lists, code) as safe HTML."""
    return Markup(_parsers()["block"].render(text, {"lang": lang}).strip())


@lru_cache(maxsize=_MEMO_SIZE)
def inline(text: str, *, links: bool = True, lang: str | None = None) -> Markup:
    """One line of inline Markdown (emphasis, code, links) as safe HTML; ``links=False`` keeps
    only the text of links (for a label that is itself a link)."""
    parser = _parsers()["inline" if links else "label"]
    return Markup(parser.renderInline(text, {"lang": lang}).strip())


@lru_cache(maxsize=_MEMO_SIZE)
def plain(text: str, lang: str | None = None) -> str:
    """The text a reader sees, without any markup, on one line: for titles, meta descriptions,
    feeds and search. Not escaped: escape it for the place it goes."""
    if "\n" not in text:  # one line (titles, labels): no block can start but on the first
        tokens = _parsers()["label"].parseInline(text)
    else:  # a list's "- " and a heading's "#" are markup, not what a reader sees
        tokens = _parsers()["label"].parse(text)
    parts: list[str] = []
    for token in tokens:
        if token.type == "list_item_open" and token.markup in (".", ")"):
            parts.append(f" {token.info}{token.markup} ")  # "1." says an order: kept
        elif token.type in ("code_block", "fence"):
            parts.append(f" {token.content} ")
        elif token.nesting == 1 and token.block:
            parts.append(" ")  # between two blocks
        children = token.children or []
        for place, child in enumerate(children):
            if child.type == "text":
                parts.append(typeset(child.content, lang))
            elif child.type == "code_inline":
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(NO_BREAK_SPACE if _binds(children, place, {"lang": lang}) else " ")
    return _RUN_OF_SPACES.sub(" ", "".join(parts)).strip()


# --- glossary terms in entry texts ---------------------------------------------------------------

#: What a text's caller says of a glossary term found in it: the link's opening tag (safe HTML
#: it built), or None to leave the name as text (the term is already linked, or is the entry's).
TermLink = Callable[[str], "Markup | None"]
_TERMS_ALLOWED = "terms"  # a text token's meta: outside links and headings
# A space in a name is any run of spaces in the text (French spacing puts no-break ones), an
# apostrophe either one a text may use.
_NAME_SPACE = re.compile(r"[\s\u00a0\u202f]+")


def name_key(name: str) -> str:
    """How names of glossary terms compare: case, runs of spaces and apostrophes aside."""
    return _NAME_SPACE.sub(" ", name.replace("\u2019", "'")).strip().lower()


# How a name's space and apostrophe are matched (see name_key).
_NAME_SIGNS = {" ": _NAME_SPACE.pattern, "'": "['\u2019]"}


def _names_pattern(keys: Iterable[str]) -> str:
    """One alternation of every name, as a tree of their shared beginnings ("segmentation(?:
    d'instances|)"): a word start tries each first letter once, not every name in turn (four
    times faster than a list of names on the real catalogue). Longer names are tried before
    the names they extend, so the longest name wins where several begin."""
    tree: dict[str, Any] = {}
    for key in keys:
        node = tree
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here

    # Each node's pattern after its children's, without recursion: the tree is as deep as the
    # longest name, which a pull request chooses (a recursive walk crashed on 1,000 letters).
    made: dict[int, str] = {}
    stack: list[tuple[dict[str, Any], bool]] = [(tree, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for char, child in node.items() if char)
            continue
        # "" (where a name ends) sorts last: the names that go on are tried first
        branches = [(_NAME_SIGNS.get(char) or re.escape(char)) + made[id(node[char])]
                    if char else "" for char in sorted(node, reverse=True)]
        made[id(node)] = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return made[id(tree)]


def term_names(term: Entry, lang: str) -> list[tuple[str, tuple[Any, ...]]]:
    """:func:`model.glossary_names` as a reader reads them (Markdown made plain), each with
    the path of the field that holds it: what texts are searched for."""
    return [(plain(written), path) for written, path in glossary_names(term, lang)]


def glossary_finder(terms: Iterable[Entry], lang: str) -> TermFinder:
    """The :class:`TermFinder` of every glossary term's ``lang`` names; a name two terms share
    goes to the first by id (``validate`` warns of it), and every ``not_linked`` phrase is
    found and never linked."""
    ordered = sorted(terms, key=lambda term: term.id)
    unlinked = [(plain(phrase), "") for term in ordered
                for phrase in term.text_lists("not_linked").get(lang, [])]
    names = [(name, term.id) for term in ordered for name, _path in term_names(term, lang)]
    return TermFinder(unlinked + names)


class TermFinder:
    """Where the names of glossary terms occur in the texts of one language: one pattern for
    every name, compiled once, tried longest name first ("segmentation d'instances" before
    "segmentation"), whole words only, case-insensitive; accents count as written. A hyphen
    joins words into another name: "CNN" is not found in "Mask R-CNN", nor "U-Net" in
    "U-Net-like" (which loses a link rather than risk a wrong one).

    ``names``: (name as a reader reads it, term id), first claim of a name wins; an id of ""
    marks a phrase that holds a name but means something else ("batch processing"): it is
    found, so that the name inside it is not, and never linked."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self._terms: dict[str, str] = {}
        for name, term in names:
            key = name_key(name)
            if key:
                self._terms.setdefault(key, term)
        self.pattern: re.Pattern[str] | None = (
            re.compile(r"(?<![\w-])" + _names_pattern(self._terms) + r"(?![\w-])",
                       re.IGNORECASE) if self._terms else None)

    def term_of(self, found: str) -> str:
        """The id of the term a name found by :attr:`pattern` belongs to ("" for none)."""
        return self._terms.get(name_key(found), "")


class _TermLinks:
    """The glossary terms of one text being rendered: :class:`TermFinder` finds them,
    ``link`` says how each is linked."""

    def __init__(self, finder: TermFinder, link: TermLink) -> None:
        self.finder, self.link = finder, link

    def linked(self, text: str) -> str:
        """``text`` escaped as :func:`escape` does, each name ``link`` accepts made a link."""
        pattern = self.finder.pattern
        if pattern is None:
            return str(escape(text))
        parts: list[str] = []
        done = 0
        for found in pattern.finditer(text):
            term = self.finder.term_of(found.group(0))
            opening = self.link(term) if term else None
            if opening is None:
                continue
            parts += [escape(text[done:found.start()]), opening, escape(found.group(0)), "</a>"]
            done = found.end()
        parts.append(escape(text[done:]))
        return "".join(parts)


def _allow_terms(tokens: Sequence[Token], env: Any, one_line: bool) -> None:
    """Mark the text tokens a term may be linked in: never in a link (a link in a link is
    not HTML) nor a heading. Code is never a text token. Lines of a paragraph are joined
    first, as the page shows them, so that a name written across a line break is found."""
    heading = 0
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            heading += token.nesting
        elif token.type == "inline" and not heading and token.children:
            token.children = _joined_lines(token.children, env, one_line)
            in_link = 0
            for child in token.children:
                if child.type in ("link_open", "link_close"):
                    in_link += child.nesting
                elif child.type == "text" and not in_link:
                    child.meta[_TERMS_ALLOWED] = True


def _joined_lines(children: list[Token], env: Any, one_line: bool) -> list[Token]:
    """``children`` where each text, line break, text becomes one text, the break written as
    its render rule writes it (_softbreak_rule, _space)."""
    joined: list[Token] = []
    place = 0
    while place < len(children):
        child = children[place]
        if (child.type == "softbreak" and joined and joined[-1].type == "text"
                and place + 1 < len(children) and children[place + 1].type == "text"):
            space = (NO_BREAK_SPACE if _binds(children, place, env)
                     else " " if one_line else "\n")
            joined[-1].content += space + children[place + 1].content
            place += 2
            continue
        joined.append(child)
        place += 1
    return joined


def with_terms(text: str, lang: str | None, finder: TermFinder, link: TermLink, *,
               one_line: bool = False) -> Markup:
    """:func:`block` (or :func:`inline` when ``one_line``) of ``text``, where each name of a
    glossary term ``finder`` finds in its text (not in links, code or headings) is linked as
    ``link`` says. Not kept: the links depend on the page, and on what it linked before."""
    if finder.pattern is None or not finder.pattern.search(text):  # most texts: as they are
        return inline(text, lang=lang) if one_line else block(text, lang)
    parser = _parsers()["inline" if one_line else "block"]
    env = {"lang": lang, "terms": _TermLinks(finder, link)}
    tokens = parser.parseInline(text, env) if one_line else parser.parse(text, env)
    _allow_terms(tokens, env, one_line)
    return Markup(parser.renderer.render(tokens, parser.options, env).strip())


# Spaces and line breaks, but not the no-break spaces French spacing put there.
_RUN_OF_SPACES = re.compile(r"[^\S\u00a0\u202f]+")
