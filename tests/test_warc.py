"""WARC and WET files: one output record per HTML response and WET conversion, as if each were a file."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from cleaner import Options, clean_bytes, clean_text
from cleaner.cli import main

from .conftest import SLICE

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

SPUTNIK_CHROME = ("Talks on the new treaty resumed in Geneva on Monday, officials said.\nSputnik\n"
                  "The delegations met for three hours and agreed to meet again next week.\nDiscuss\n")


def pages(n: int) -> list[Path]:
    return sorted((SLICE / "html").glob("*.html.gz"))[:n]


def write_warc(path: Path) -> list[dict]:
    """Four HTML responses, a request, a PDF response, three WET conversions (one on sputniknews.com)."""
    made = []
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for k, page in enumerate(pages(4)):
            url = f"https://news{k}.example.org/a/{page.name[:12]}"
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(gzip.decompress(page.read_bytes())),
                                               http_headers=http)
            writer.write_record(record)
            made.append({"url": url, "id": record.rec_headers.get_header("WARC-Record-ID"), "html": page})
            if k == 1:
                writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
                pdf = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url + ".pdf", "response", payload=io.BytesIO(b"%PDF-1.4"),
                                                              http_headers=pdf))
        dumps = [(f"https://blog{k}.example.net/{page.name[:12]}", (SLICE / "text-recall" / f"{page.name[:12]}.txt").read_bytes())
                 for k, page in enumerate(pages(2))]  # the same pages' article dumps, as WET records
        dumps.append(("https://sputniknews.com/world/treaty", SPUTNIK_CHROME.encode("utf-8")))
        for url, text in dumps:
            record = writer.create_warc_record(url, "conversion", payload=io.BytesIO(text),
                                               warc_content_type="text/plain")
            writer.write_record(record)
            made.append({"url": url, "id": record.rec_headers.get_header("WARC-Record-ID"), "text": text})
    return made


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_a_warc_gives_a_record_per_page_cleaned_as_its_file(tmp_path: Path, ruleset) -> None:
    made = write_warc(tmp_path / "crawl.warc.gz")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "crawl.warc.gz"), "-o", str(out), "--quiet"]) == 0
    got = read_jsonl(out / "crawl.jsonl")
    assert [r["id"] for r in got] == [m["id"] for m in made]
    for record, source in zip(got, made):
        assert list(record) == ["id", "text", "metadata"]
        assert record["metadata"]["url"] == source["url"] and record["metadata"]["date"]
        if "html" in source:
            as_file = clean_bytes(gzip.decompress(source["html"].read_bytes()), ruleset, format="html")
            assert record["metadata"]["cleaner"]["source"]["format"] == "html"
        else:
            as_file = clean_bytes(source["text"], ruleset)
        if "sputnik" not in source["url"]:
            assert record["text"] == as_file.text
    sputnik = got[-1]["metadata"]["cleaner"]
    assert sputnik["site"] == "sputnik"  # by the WARC's host: the text has no Sputnik fingerprint
    assert {d["rule"] for d in sputnik["dropped"]} == {"sputnik/photo-credit", "sputnik/discuss-link"}
    assert clean_text(SPUTNIK_CHROME).record.site is None
    summary = json.loads((out / "crawl.meta.json").read_text("utf-8"))
    assert (summary["records"], summary["written"], summary["skipped"], summary["bad"]) == (9, 7, 2, [])
    entry = json.loads((out / "manifest.jsonl").read_text("utf-8"))
    assert (entry["format"], entry["skipped"]) == ("warc", 2)
    assert main(["clean", str(tmp_path / "crawl.warc.gz"), "-o", str(out), "--quiet"]) == 0  # nothing changed:
    assert json.loads((out / "manifest.jsonl").read_text("utf-8"))["fresh"] is False  # reused, not cleaned again


def test_a_truncated_warc_keeps_the_records_before_the_break(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_warc(tmp_path / "whole.warc")
    data = (tmp_path / "whole.warc").read_bytes()
    cut = data.index(b"WARC/1.", data.index(b"WARC/1.", data.index(b"WARC/1.", 10) + 10) + 10) + 400
    (tmp_path / "cut.warc").write_bytes(data[:cut])
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "cut.warc"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    broke = [line for line in err.splitlines() if "breaks off" in line]
    assert len(broke) == 1 and broke[0].startswith(f"{tmp_path / 'cut.warc'}: offset ")
    offset = int(broke[0].split("offset ")[1].split(":")[0])
    assert 0 < offset < cut
    assert len(read_jsonl(out / "cut.jsonl")) == 2  # the two whole records before the one that broke off


def test_without_the_extra_the_message_says_which_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            ruleset) -> None:
    from cleaner.batch import records_in
    from cleaner.batch.shards import clean_shard

    write_warc(tmp_path / "a.warc")
    real = records_in.importlib.import_module

    def missing(name: str) -> object:
        if name.startswith("warcio"):
            raise ImportError(name)
        return real(name)

    monkeypatch.setattr(records_in.importlib, "import_module", missing)
    with pytest.raises(records_in.MissingExtra, match=r"needs warcio: pip install 'corpus-cleaner\[warc\]'"):
        clean_shard(tmp_path / "a.warc", tmp_path / "a.jsonl", ruleset, Options())
    assert not (tmp_path / "a.jsonl").exists()


def test_a_file_that_is_no_warc_is_one_line_of_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.warc").write_bytes(b"this is not a WARC file at all\n" * 20)
    assert main(["clean", str(tmp_path / "x.warc"), "-o", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{tmp_path / 'x.warc'}: not a readable WARC file")
    assert not (tmp_path / "out" / "x.jsonl").exists()


def test_a_response_without_its_uri_is_one_bad_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """warcio stops the whole file at such a record; the shard keeps the others and names that one."""
    warc = tmp_path / "crawl.warc.gz"
    with open(warc, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        ids = []
        for k, page in enumerate(pages(3)):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://news.example.org/{k}", "response", http_headers=http,
                                               payload=io.BytesIO(gzip.decompress(page.read_bytes())))
            if k == 1:
                record.rec_headers.remove_header("WARC-Target-URI")
            writer.write_record(record)
            ids.append(record.rec_headers.get_header("WARC-Record-ID"))
    out = tmp_path / "out"
    assert main(["clean", str(warc), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) >= 2 and err[0].startswith(f"{warc}: offset ")
    assert err[0].endswith(": a response record without WARC-Target-URI: its HTTP headers cannot be read")
    assert [r["id"] for r in read_jsonl(out / "crawl.jsonl")] == [ids[0], ids[2]]
    summary = json.loads((out / "crawl.meta.json").read_text("utf-8"))
    assert summary["position"] == "offset" and [b["id"] for b in summary["bad"]] == [ids[1]]
    assert summary["bad"][0]["offset"] == int(err[0].split("offset ")[1].split(":")[0]) > 0
