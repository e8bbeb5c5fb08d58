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
