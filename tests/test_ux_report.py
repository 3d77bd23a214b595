"""The HTML report (issue 13): no inline handlers, a print stylesheet, labels that say one thing,
and each finding's location. Checked on the page's markup here; tests/test_report_browser.py
drives it in Chromium where one is installed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html

from tests.gatekit import POLICIES, SAMPLE, cli, drop_paragraph, sample_text, write


def _page(*args: str) -> tuple[str, html.HtmlElement]:
    result = cli("report", *args, "--no-progress")
    assert result.exit_code == 0, result.stderr
    return result.stdout, html.fromstring(result.stdout)


@pytest.fixture(scope="module")
def many() -> tuple[str, html.HtmlElement]:
    return _page(str(POLICIES))


def _print_css(text: str) -> str:
    start = text.index("@media print")
    depth, i = 0, text.index("{", start)
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i:j]
    raise AssertionError("unclosed @media print")


def test_no_inline_event_handlers(many: tuple[str, html.HtmlElement]) -> None:
    _, doc = many
    handlers = [(el.tag, a) for el in doc.iter() if isinstance(el.tag, str)
                for a in el.attrib if a.lower().startswith("on")]
    assert handlers == []
    assert len(doc.xpath('//form[@id="filters"]')) == 1
    script = doc.xpath("//script")[0].text
    assert 'getElementById("filters")' in script and '"submit"' in script
    assert "preventDefault" in script


def test_print_shows_the_whole_matrix_and_every_finding(many: tuple[str, html.HtmlElement]) -> None:
    _, doc = many
    css = _print_css(doc.xpath("//style")[0].text)
    # Nothing sticky in print: the pass-rate row and the headers stay in place.
    assert re.search(r"\.matrix thead th,[^{]*\.matrix tfoot th,[^{]*\{\s*position: static", css)
    assert ".matrix-wrap { max-height: none; overflow: visible" in css
    assert "table-layout: fixed" in css and "width: 100%" in css
    assert "details::details-content" in css
    script = doc.xpath("//script")[0].text
    assert '"beforeprint"' in script and "d.open = true" in script
    assert "@page" in doc.xpath("//style")[0].text


def test_a_pass_is_not_badged_with_a_severity(many: tuple[str, html.HtmlElement]) -> None:
    _, doc = many
    passes = doc.xpath('//article[contains(@class, "s-pass")]')
    fails = doc.xpath('//article[contains(@class, "s-fail")]')
    assert passes and fails
    for article in passes:
        assert not article.xpath('.//*[contains(@class, "sev")]')
        header = " ".join(article.xpath("./header")[0].text_content().split())
        assert "ERROR" not in header.upper().replace("ERRORS", "")
    for article in fails:
        assert article.xpath('.//*[contains(@class, "sev")]/text()')[0].endswith("severity")


def test_every_failure_shows_its_location(many: tuple[str, html.HtmlElement]) -> None:
    _, doc = many
    for article in doc.xpath('//article[contains(@class, "s-fail")]'):
        (loc,) = article.xpath('.//p[@class="loc"]')
        assert re.match(r"Where line \d+(–\d+)?, column \d+", " ".join(loc.text_content().split()))


def test_cards_each_say_one_thing(tmp_path: Path) -> None:
    _, doc = _page(str(SAMPLE))
    labels = [" ".join(c.text_content().split()) for c in
              doc.xpath('//div[contains(@class, "card")]/div[@class="label"]')]
    assert len(labels) == len(set(labels))
    # Every built-in rule is error-level: a severity card would repeat the first card's figure.
    values = [" ".join(v.text_content().split()) for v in
              doc.xpath('//div[contains(@class, "card")]/div[@class="value"]')]
    assert len(values) == len(set(values))
    path = write(tmp_path / "p.md", drop_paragraph(sample_text(), "Do Not Track"))
    config = write(tmp_path / "privcheck.yaml", "severity:\n  caloppa.do-not-track: warning\n")
    _, doc = _page(path, "-c", config)
    labels = [" ".join(c.text_content().split()) for c in
              doc.xpath('//div[contains(@class, "card")]/div[@class="label"]')]
    assert "Warning-severity checks passed" in labels and "Error-severity checks passed" in labels


def test_report_counts_agree_with_their_noun(tmp_path: Path) -> None:
    # gone.md does not exist: a file that cannot be read
    write(tmp_path / "p.md", sample_text())
    result = cli("report", str(tmp_path / "p.md"), str(tmp_path / "gone.md"), "--no-progress")
    assert "1 file could not be read" in result.stdout and "file(s)" not in result.stdout
    single, _ = _page(str(SAMPLE))
    assert "1 policy checked against" in single
