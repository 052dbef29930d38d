"""HTML input through trafilatura: offline, with metadata, site rules that prune, gzip and format detection."""
from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path

import pytest

from cleaner import Options, clean_bytes
from cleaner.cli import main
from cleaner.rulebook.load import build_ruleset, shipped_rules_dir

PARAGRAPHS = [
    "The city council approved the new budget on Tuesday after a debate that lasted more than six hours.",
    "Under the plan, spending on public transport rises by twelve percent, while road repairs get less money.",
    "Opposition members said the budget relied on optimistic forecasts and would have to be revised next year.",
    "The mayor defended the plan, saying the city could not afford to wait any longer for better buses.",
]
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council Approves Budget | The Example Times</title>
<link rel="canonical" href="https://news.example-times.test/city/budget">
<meta property="og:url" content="https://news.example-times.test/city/budget">
<meta name="author" content="Jane Reporter">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/city">City</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Council Approves Budget</h1>
<p class="house-note">HOUSE-NOTE-MARKER This newspaper is published by the Example Media Group in Springfield since 1901.</p>
{paragraphs}
</article>
<footer><p>Copyright 2022 The Example Times. All rights reserved.</p><p>Contact us | Imprint | Privacy</p></footer>
</body></html>
"""


def page(extra: str = "") -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS) + extra
    return PAGE.format(paragraphs=body).encode("utf-8")


def test_article_is_extracted_with_metadata(ruleset) -> None:
    result = clean_bytes(page(), ruleset, format="html")
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text
    assert "Sport" not in result.text and "Imprint" not in result.text
    record = result.record
    assert record.source is not None and record.source.format == "html"
    assert record.page_meta["url"] == "https://news.example-times.test/city/budget"
    assert record.page_meta["hostname"] == "news.example-times.test"  # from the page's own tags (html_metadata fast)
    assert record.page_meta["author"] == "Jane Reporter"
    assert record.title == "Council Approves Budget"  # "| The Example Times" set off by its separator
    assert record.lang == "en"
    full = clean_bytes(page(), ruleset, format="html", options=Options(html_metadata="full"))
    assert full.text == result.text  # the text is trafilatura's either way
    assert full.record.page_meta["hostname"] == "example-times.test"  # trafilatura's registered domain
    assert (full.record.page_meta["author"], full.record.title) == ("Jane Reporter", "Council Approves Budget")
    assert full.record.options.as_record()["html_metadata"] == "full" and "html_metadata" not in record.options.as_record()


def test_nothing_is_fetched(ruleset, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert PARAGRAPHS[0] in clean_bytes(page(), ruleset, format="html").text


def site_rules(prune: str) -> object:
    shipped = [(str(p), p.read_bytes()) for p in sorted(shipped_rules_dir().rglob("*.toml"))]
    site = f"""[site]
id = "example-times"
domains = ["example-times.test"]
prune_xpath = ["{prune}"]

[[rule]]
id = "budget-note"
match = '^Opposition members said'
removes = ["Opposition members said x"]
keeps = ["Members said"]
""".encode()
    return build_ruleset(shipped + [("example-times.toml", site)])


def test_host_picks_the_site_and_its_prune_rules_run_before_extraction() -> None:
    plain = clean_bytes(page(), build_ruleset([]), format="html")
    assert "HOUSE-NOTE-MARKER" in plain.text  # the note survives extraction unless pruned
    result = clean_bytes(page(), site_rules("//p[@class='house-note']"), format="html")
    assert result.record.site == "example-times"
    assert "HOUSE-NOTE-MARKER" not in result.text
    assert "Opposition members said" not in result.text  # the site's text rules ran too
    assert [d.rule for d in result.record.dropped] == ["example-times/budget-note"]


def test_a_bad_prune_xpath_is_a_rule_error() -> None:
    from cleaner.rulebook.load import RuleError

    with pytest.raises(RuleError, match="example-times prune_xpath: bad XPath"):
        site_rules("//div[@class=")


def test_formats_names_and_gzip_through_the_cli(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html.gz").write_bytes(gzip.compress(page()))
    (src / "b.htm").write_bytes(page())
    (src / "c.txt").write_bytes(page())  # HTML saved as text: recognized by its content
    (src / "d.txt.gz").write_bytes(gzip.compress(b"Plain Text Headline\n\nA plain paragraph of text.\n"))
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--glob", "*.gz", "--glob", "*.htm", "--glob", "*.txt",
                 "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".cleaner-index",
        "a.meta.json", "a.txt", "b.meta.json", "b.txt", "c.meta.json", "c.txt", "d.meta.json", "d.txt", "manifest.jsonl"]
    for name in "abc":
        sidecar = json.loads((out / f"{name}.meta.json").read_text("utf-8"))
        assert sidecar["source"]["format"] == "html", name
        assert PARAGRAPHS[1] in (out / f"{name}.txt").read_text("utf-8")
    a = json.loads((out / "a.meta.json").read_text("utf-8"))
    assert a["source"]["compression"] == "gzip" and a["source"]["bytes"] == len(page())
    assert (out / "d.txt").read_text("utf-8") == "Plain Text Headline\n\nA plain paragraph of text.\n"
    assert main(["clean", str(src / "c.txt"), "-o", str(tmp_path / "forced"), "--format", "text", "--quiet"]) == 0
    assert "<p>" in (tmp_path / "forced" / "c.txt").read_text("utf-8")


def test_html_output_cannot_be_restored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.html").write_bytes(page())
    assert main(["clean", str(tmp_path / "p.html"), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    assert main(["restore", str(tmp_path / "out" / "p.txt"), "--to", str(tmp_path / "back")]) == 1
    assert "the input was html" in capsys.readouterr().err


def test_gzip_text_restores_to_its_content(tmp_path: Path) -> None:
    raw = b"Headline Of A Gzipped File\n\nSome text.\r\nShare\n"
    (tmp_path / "x.txt.gz").write_bytes(gzip.compress(raw))
    assert main(["clean", str(tmp_path / "x.txt.gz"), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    assert main(["restore", str(tmp_path / "out" / "x.txt"), "--to", str(tmp_path / "back")]) == 0
    assert (tmp_path / "back" / "x.txt").read_bytes() == raw


def test_broken_gzip_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    assert main(["clean", str(tmp_path / "bad.txt.gz"), "-o", str(tmp_path / "out")]) == 1
    assert "bad.txt.gz: not a readable gzip file" in capsys.readouterr().err
