"""A deterministic benchmark corpus: real articles with chrome mixed in.

usage: python bench/make_corpus.py OUTDIR [--docs 20000] [--seed 1]

Articles come from samples/raw and, when present, ../shared/devset/text-recall;
each document gets a few lines of site chrome at its head and tail, drawn
from the kinds the shipped rules handle. Documents go into folders of 1,000.
The same arguments always give the same bytes.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAD_CHROME = [
    "• Live", "    • Audio Only", "  • facebook", "  • twitter", "News > World", "Published 6 January 2022",
    "Share", "Facebook | Twitter | Email", "Kategorie: News", "Lesezeit: 3 Minuten", "Advertisement",
]
TAIL_CHROME = [
    "RELATED:\n\nMarkets Rally As Talks Resume", "Comments", "Leave a Reply", "Please enter your comment!",
    "Sign up for our daily newsletter", "© 2022 Example Media. All rights reserved.", "Schreibe einen Kommentar",
    "Mehr zum Thema", "Quelle: dpa", "Follow us on Twitter", "Lea también: Nuevas medidas para el transporte",
]


def sources() -> list[str]:
    found = sorted((REPO / "samples" / "raw").glob("*.txt"))
    devset = REPO.parent / "shared" / "devset" / "text-recall"
    if devset.is_dir():
        found += sorted(devset.glob("*.txt"))
    return [p.read_text("utf-8") for p in found]


def make(out: Path, docs: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    texts = sources()
    paths = []
    for i in range(docs):
        head = rng.sample(HEAD_CHROME, rng.randint(0, 3))
        tail = rng.sample(TAIL_CHROME, rng.randint(0, 3))
        body = rng.choice(texts).strip("\n")
        path = out / f"part-{i // 1000:03d}" / f"doc-{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(head + [body] + tail) + "\n", "utf-8")
        paths.append(path)
    return paths


def make_warc(path: Path, records: int) -> int:
    """A gzipped WARC of `records` HTML response records: the devset's pages (the tests' slice without
    it), in turn, each on a host of its own. Returns the payload bytes."""
    import gzip
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    devset = REPO.parent / "shared" / "devset" / "html"
    pages = sorted((devset if devset.is_dir() else REPO / "tests" / "data" / "devset" / "html").glob("*.html.gz"))
    total = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(records):
            body = gzip.decompress(pages[i % len(pages)].read_bytes())
            total += len(body)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://host{i}.example.org/{pages[i % len(pages)].name[:12]}",
                                                          "response", payload=io.BytesIO(body), http_headers=http))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = make(args.outdir, args.docs, args.seed)
    print(f"wrote {len(paths)} documents, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB, to {args.outdir}")


if __name__ == "__main__":
    main()
