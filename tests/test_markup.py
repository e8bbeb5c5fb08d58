"""markup: catalogue text becomes HTML that a browser can only display, and that the site
generator (Python-Markdown and its extensions) copies without reading it as Markdown."""

from __future__ import annotations

import html

import markdown
import pytest

from dl4mic_hub import markup

# Python-Markdown with every extension the page templates use (mkdocs.yml).
GENERATOR = markdown.Markdown(extensions=["admonition", "attr_list", "tables", "toc"])


def through_generator(fragment: str) -> str:
    """What the site generator makes of a fragment placed in a paragraph of a page."""
    GENERATOR.reset()
    return GENERATOR.convert(f"Before {fragment} after")


@pytest.mark.parametrize(
    "text",
    [
        "*emphasis* and **strong** and `code`",
        "a | table | pipe",
        "{: onclick=alert(1) } attribute list",
        ":smile: :material-pencil: emoji",
        "[link](https://example.org/)",
        "<b>raw</b> & &amp; entities",
        "# not a heading ## no",
        "trailing \\ backslash",
        "== mark == ~~strike~~ ^^ins^^",
    ],
)
def test_escaped_text_reaches_the_reader_exactly_as_written(text: str) -> None:
    out = through_generator(markup.escape(text))
    assert html.unescape(out) == f"<p>Before {text} after</p>"


def test_inline_markdown_is_rendered_and_links_are_kept() -> None:
    out = markup.inline("See *this* [page](https://example.org/a_(b)) and `x|y`")
    assert "<em>this</em>" in out
    assert '<a href="https://example.org/a_(b)">page</a>' in html.unescape(out)
    assert "<code>x&#124;y</code>" in out


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "![img](https://evil.example/x.png)",
        '<img src=x onerror="alert(1)">',
        "<script>alert(1)</script>",
        "<svg/onload=alert(1)>",
        "<a href=javascript:alert(1)>x</a>",
        "[x](https://e.org/){: onclick=alert(1) }",
        "&#106;avascript:alert(1)",
        "[x](&#106;avascript:alert(1))",
        "x <img src=x onerror=alert(1) <",
    ],
)
def test_untrusted_markdown_never_yields_script_or_remote_images(text: str) -> None:
    for rendered in (markup.block(text), markup.inline(text)):
        final = through_generator(rendered)
        lowered = final.lower()
        assert "<script" not in lowered
        assert "<img" not in lowered and "<svg" not in lowered
        assert "onerror=" not in lowered and "onload=" not in lowered
        assert "onclick=" not in lowered
        assert 'href="javascript' not in lowered and 'href="data' not in lowered
        assert 'href="vbscript' not in lowered and 'href="file' not in lowered
        assert 'src="' not in lowered  # nothing loads from elsewhere without a click


def test_link_schemes_are_an_allow_list() -> None:
    assert markup.safe_link("https://example.org/") == "https://example.org/"
    assert markup.safe_link("mailto:someone@example.org")
    assert markup.safe_link("#anchor") == "#anchor"
    for bad in ("javascript:x", "data:x", "//evil.example/", "relative/page", "https://a b/",
                "https://e.org/\nx"):
        assert markup.safe_link(bad) is None, bad
    # the validator's scheme reading allows leading spaces; a link's address never has them
    assert markup.safe_link("\u00a0https://example.org/") is None


def test_block_keeps_paragraphs_and_lists() -> None:
    out = markup.block("First.\n\n- one\n- two\n\n1. a\n2. b")
    assert out.startswith("<p>First.</p>")
    assert "<ul>\n<li>one</li>" in out and "<ol>\n<li>a</li>" in out


def test_plain_text_drops_markup_but_keeps_link_text() -> None:
    assert markup.plain("A *b* [c (d)](https://e.org/) `f` <g>") == "A b c (d) f <g>"
    assert markup.plain("one\ntwo") == "one two"


def test_plain_text_of_a_list_reads_as_a_sentence() -> None:
    # a FAQ answer that is a list showed "sujet : - Learning rate decay ... ; - Demystifying"
    # on its search card: a bullet is markup, an ordered list's number says something
    answer = ("Deux articles :\n\n- *Learning rate decay* ;\n- `Demystifying`.\n\n"
              "## Et\n\n1. Un.\n2) Deux.")
    assert markup.plain(answer) == (
        "Deux articles : Learning rate decay ; Demystifying. Et 1. Un. 2) Deux.")
    assert markup.plain("Avant :\n\n```\npip install x\n```\nAprès") == (
        "Avant : pip install x Après")
    # a line alone is read inline, as titles are shown: "1." and "- " stay text there
    assert markup.plain("1. Intro") == "1. Intro" and markup.plain("- x") == "- x"


def test_attribute_escaping_keeps_urls_readable() -> None:
    assert markup.escape_attribute('https://e.org/?a=1&b="2"') == (
        "https://e.org/?a=1&amp;b=&quot;2&quot;"
    )


def test_french_text_binds_its_signs_but_not_its_code() -> None:
    # "bien" then "?" alone on the next line: French sets a space before ? ! : ; » and after
    # «, which must not break; code, addresses and other languages stay as written
    nbsp = "\u00a0"
    source = 'Pourquoi ? « Oui » ; voir [ici](https://e.org/a?b "Titre ?") : `a : b`\nfin !'
    html = str(markup.inline(source, lang="fr"))
    assert f"Pourquoi{nbsp}?" in html and f"«{nbsp}Oui{nbsp}»{nbsp};" in html
    assert f"</a>{nbsp}&#58;" in html
    assert 'href="https://e.org/a?b"' in html and 'title="Titre ?"' in html
    assert "<code>a &#58; b</code>" in html  # code as typed
    assert f"fin{nbsp}&#33;" in html  # across the line break too ("!" escaped)
    assert str(markup.inline(source, lang="en")).count(nbsp) == 0  # English: as written
    assert nbsp not in str(markup.inline(source))  # no language said: as written
    block = str(markup.block("Réponse :\n\n```\nif a : b\n```\n\nbien\n?", "fr"))
    assert f"Réponse{nbsp}&#58;" in block and "if a &#58; b" in block
    assert f"bien{nbsp}?" in block
    assert markup.plain("Dit-il\n?  « cité »", "fr") == f"Dit-il{nbsp}? «{nbsp}cité{nbsp}»"


# --- glossary terms in entry texts (markup.with_terms) -----------------------------------------

def first_use_links() -> tuple[markup.TermLink, list[str]]:
    """A caller's TermLink as the render stage's: each term linked once; and the terms asked
    about, in order."""
    asked: list[str] = []

    def link(term: str) -> markup.Markup | None:
        asked.append(term)
        if asked.count(term) > 1:
            return None
        return markup.html_format('<a class="dl-term" href="{}">', f"#{term}")

    return link, asked


FINDER = markup.TermFinder([
    ("segmentation", "segmentation"),
    ("Segmentation d'instances", "instance-segmentation"),
    ("U-Net", "u-net"),
    ("batch", "batch"),
    ("batch processing", ""),  # not the term: never linked
])


def test_a_term_is_linked_at_its_first_use_only_and_the_longest_name_wins() -> None:
    link, asked = first_use_links()
    shown = markup.with_terms(
        "La segmentation d’instances, puis la Segmentation d'instances et la segmentation.",
        "fr", FINDER, link)
    # the typographic apostrophe and the capital are the same name; "segmentation" alone is
    # another term, found only where the longer name is not
    assert shown == (
        '<p>La <a class="dl-term" href="#instance-segmentation">segmentation d’instances</a>, '
        "puis la Segmentation d'instances et la "
        '<a class="dl-term" href="#segmentation">segmentation</a>.</p>')
    assert asked == ["instance-segmentation", "instance-segmentation", "segmentation"]


def test_terms_are_never_linked_in_links_code_headings_or_phrases_that_mean_another_thing(
) -> None:
    text = ("# U-Net in a heading\n\n"
            "[a U-Net paper](https://example.org/u-net) and `U-Net` in code\n\n"
            "```\nU-Net in a block\n```\n\n"
            "batch processing is not a batch; a U-Net is.")
    link, asked = first_use_links()
    shown = markup.with_terms(text, "en", FINDER, link)
    assert shown.count('class="dl-term"') == 2
    assert ('batch processing is not a <a class="dl-term" href="#batch">batch</a>; a '
            '<a class="dl-term" href="#u-net">U-Net</a> is.') in shown
    assert '<a href="https://example.org/u-net">a U-Net paper</a>' in shown
    assert "<code>U-Net</code>" in shown and "<h1>U-Net in a heading</h1>" in shown
    assert asked == ["batch", "u-net"]  # the phrase asks nothing


@pytest.mark.parametrize("text", ["UNet-like U-Nets", "nnU-Net", "a U-Net-based model",
                                  "batches", "microbatch"])
def test_only_whole_names_are_found(text: str) -> None:
    link, asked = first_use_links()
    assert markup.with_terms(text, "en", FINDER, link) == markup.block(text, "en")
    assert asked == []


def test_a_name_across_a_line_break_is_found_and_the_text_reads_as_before() -> None:
    text = "Une segmentation\nd'instances ; puis\n? et « U-Net\n» fin"
    link, _ = first_use_links()
    shown = markup.with_terms(text, "fr", FINDER, link)
    assert ('<a class="dl-term" href="#instance-segmentation">segmentation\nd\'instances</a>'
            in shown)
    # without its links, exactly what the page showed before: French spacing included
    unlinked = shown.replace('<a class="dl-term" href="#instance-segmentation">', "").replace(
        '<a class="dl-term" href="#u-net">', "").replace("</a>", "")
    assert unlinked == markup.block(text, "fr")
    one_line = markup.with_terms(text, "fr", FINDER, first_use_links()[0], one_line=True)
    assert "segmentation d'instances</a>" in one_line


def test_a_name_holding_markup_is_found_as_text_and_stays_text() -> None:
    finder = markup.TermFinder([("a|b <i>x</i> & .*", "odd")])
    text = "See a|b <i>x</i> & .* here, not abc."
    shown = markup.with_terms(text, "en", finder, first_use_links()[0], one_line=True)
    assert shown.startswith('See <a class="dl-term" href="#odd">a&#124;b &#60;i&#62;x&#60;/i'
                           '&#62; &#38; .&#42;</a> here')
    assert "<i>" not in shown
    # what the site generator makes of it: the same text, one link
    out = through_generator(shown)
    assert out.count("<a ") == 1 and "<i>" not in out
    assert "a|b <i>x</i> & .*</a> here" in html.unescape(out)
    # the name is a name, not a pattern: ".*" does not match any text
    assert markup.with_terms("abc", "en", finder, first_use_links()[0]) == "<p>abc</p>"


def test_a_glossary_without_names_finds_nothing() -> None:
    empty = markup.TermFinder([])
    assert empty.pattern is None
    assert markup.with_terms("U-Net", "en", empty, first_use_links()[0]) == "<p>U-Net</p>"


def test_a_name_as_long_as_a_pull_request_likes_is_still_found() -> None:
    # the pattern was built by a recursive walk as deep as the longest name: 1,000 letters
    # made validate and render stop with an internal error
    long_name = "a" * 3000
    finder = markup.TermFinder([(long_name, "long"), ("a" * 2999 + "b", "other")])
    assert finder.pattern is not None
    found = finder.pattern.search(f"x {long_name} y")
    assert found is not None and finder.term_of(found.group(0)) == "long"
