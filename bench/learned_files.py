"""What `clean --learn` wrote, as a reviewer would judge it, on devsites (or any corpus with site labels).

usage: python bench/learned_files.py [--devsites DIR] [--kind text-page|text-recall|html] [--jobs N]
                                     [--out DIR] [--reuse]

Cleans DIR/<kind> with `--learn --title drop` (the default content mode) into
--out (a temporary folder unless given; --reuse reads a run already there),
scores it with devsites' score.py, and reads the learned files and the
run's sidecars for the figures the learning issue asks for:

  named      text-grouped site files named after the site their pages are
             from (the core of its host, `zephoria` for www.zephoria.org, in
             the file's site id or name)
  keeps      `keeps` cases that are real lines of the corpus (white space folded)
  claimed    pages holding a line (of their whole-page dump) that matches a
             fingerprint of a learned file made from another site's pages (by
             devsites' labels: the site most of the file's pages are from); in
             brackets, pages whose cleaning identified such a file's site
  written    learned rules written (active [[rule]] tables) against those that
             dropped a line in the same run (fired); candidates apart
Prints one Markdown table row per figure.

With --twice N: the whole-page dumps of the first N sites (by name) as a JSONL
shard with their URLs, cleaned with --learn once as they are and once beside a
second shard of the same pages under new ids (a crawl that holds every page
twice): rules written and F1 on the pages, each way.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITES_LINE = re.compile(r"F1 ([\d.]+)\s+P ([\d.]+)\s+R ([\d.]+)\s+gold words lost ([\d.]+)")
PLATFORM = {"www", "com", "org", "net", "co", "uk", "blogspot", "wordpress", "typepad", "blogs", "blog", "info",
            "edu", "gov", "us", "ca", "au", "de", "fr", "io", "tv", "me"}


def host_core(host: str) -> str:
    """The part of a host that names the site: its longest label that is no TLD or hosting platform."""
    labels = [label for label in host.lower().split(".") if label not in PLATFORM]
    return re.sub(r"[^a-z0-9]", "", max(labels, key=len)) if labels else host


def folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devsites", type=Path, default=REPO.parent / "shared" / "devsites")
    parser.add_argument("--kind", default="text-page", choices=("text-page", "text-recall", "html"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="read the run already in --out")
    parser.add_argument("--twice", type=int, default=0, metavar="N", help="the same pages twice, N sites")
    args = parser.parse_args()
    if args.twice:
        return twice(args.devsites, args.twice, args.jobs)
    out = args.out or Path(tempfile.mkdtemp(prefix="learned-files-")) / "out"
    glob = "*.html.gz" if args.kind == "html" else "*.txt"
    if not args.reuse:
        subprocess.run([sys.executable, "-m", "cleaner", "clean", str(args.devsites / args.kind), "--glob", glob,
                        "-o", str(out), "--learn", "--title", "drop", "--jobs", str(args.jobs), "--quiet"], check=True)
    found = SITES_LINE.search(subprocess.run([sys.executable, str(args.devsites / "score.py"), str(out)],
                                             capture_output=True, text=True, check=True).stdout)
    assert found, "score.py gave no totals"
    rows = (args.devsites / "pages.jsonl").read_text("utf-8").split("\n")  # not splitlines: U+2028 is in texts
    pages = {p["id"]: p for p in map(json.loads, filter(None, rows))}
    learned = out / "learned-rules"
    groups = {}  # page id -> (site file's site, way)
    for row in (learned / "groups.tsv").read_text("utf-8").splitlines()[1:]:
        page, site, way = row.split("\t")
        groups[Path(page).name.split(".")[0]] = (site, way)
    files = {}
    for path in sorted(learned.glob("*.toml")):
        doc = tomllib.loads(path.read_text("utf-8"))
        files[doc["learned"]["site"]] = doc
    text_sites = {site for site, way in groups.values() if way == "text" and site != "-"}
    named = 0
    for site in sorted(text_sites):
        members = Counter(pages[p]["site"] for p, (s, _) in groups.items() if s == site and p in pages)
        core = host_core(members.most_common(1)[0][0])
        doc = files.get(site, {}).get("learned", {})
        named += core in folded(site) or core in folded(str(doc.get("name", "")))
    corpus: set[str] = set()
    source = args.devsites / ("text-page" if args.kind == "html" else args.kind)
    for path in sorted(source.glob("*.txt")):
        corpus.update(" ".join(line.split()) for line in path.read_text("utf-8").splitlines())
    keeps = [k for doc in files.values() for rule in doc.get("rule", []) for k in rule.get("keeps", [])]
    real = sum(" ".join(k.split()) in corpus for k in keeps)
    written = sum(len(doc.get("rule", [])) for doc in files.values())
    candidates = sum(path.read_text("utf-8").count("\n# [[rule]]") for path in learned.glob("*.toml"))
    fingerprints = {site: [re.compile(f) for f in doc["learned"].get("fingerprints", [])]
                    for site, doc in files.items()}
    made_from = {site: Counter(pages[p]["site"] for p, (s, _) in groups.items() if s == site and p in pages)
                 .most_common(1)[0][0] for site in files if any(s == site for s, _ in groups.values())}
    holding = 0
    for page in sorted(pages):
        label = pages[page]["site"]
        lines = [" ".join(line.split()) for line in
                 (args.devsites / "text-page" / f"{page}.txt").read_text("utf-8").splitlines()]
        holding += any(f.search(line) for site, fs in fingerprints.items() if made_from.get(site, label) != label
                       for f in fs for line in lines)
    fired: set[str] = set()
    claimed = 0
    for meta in sorted(out.glob("*.meta.json")):
        sidecar = json.loads(meta.read_text("utf-8"))
        fired.update(d["rule"] for d in sidecar["dropped"] if d["rule"].startswith("learned/"))
        site = sidecar["site"]
        claimed += site in made_from and made_from[site] != pages[meta.name.split(".")[0]]["site"]
    print(f"| {args.kind} | F1 {float(found.group(1)):.4f} | lost {float(found.group(4)):.4f} | "
          f"named {named} of {len(text_sites)} | keeps real {real} of {len(keeps)} | "
          f"claimed {holding} ({claimed}) of {len(groups)} | files {len(files)} | rules {written} fired {len(fired)} | "
          f"candidates {candidates} |")
    print(f"(run in {out})", file=sys.stderr)


def twice(devsites: Path, sites: int, jobs: int) -> None:
    rows = (devsites / "pages.jsonl").read_text("utf-8").split("\n")
    pages = [p for p in map(json.loads, filter(None, rows))]
    chosen = sorted({p["site"] for p in pages})[:sites]
    pages = [p for p in pages if p["site"] in chosen]
    work = Path(tempfile.mkdtemp(prefix="learned-twice-"))
    for way, copies in (("once", 1), ("twice", 2)):
        corpus = work / way
        corpus.mkdir()
        for copy in range(copies):
            with (corpus / f"part-{copy}.jsonl").open("w", encoding="utf-8") as shard:
                for p in pages:
                    text = (devsites / "text-page" / f"{p['id']}.txt").read_text("utf-8")
                    url = p["url"] or f"http://{p['site']}/{p['id']}"
                    shard.write(json.dumps({"id": f"{copy}-{p['id']}", "url": url, "text": text}) + "\n")
        out = work / f"{way}-out"
        subprocess.run([sys.executable, "-m", "cleaner", "clean", str(corpus), "--glob", "*.jsonl", "-o", str(out),
                        "--learn", "--title", "drop", "--jobs", str(jobs), "--quiet"], check=True)
        split = work / f"{way}-split"
        split.mkdir()
        for line in (out / "part-0.jsonl").read_text("utf-8").split("\n"):
            if line:
                record = json.loads(line)
                (split / f"{record['id'][2:]}.txt").write_text(record["text"], "utf-8")
        ids = work / "ids"
        ids.write_text("\n".join(p["id"] for p in pages) + "\n")
        found = SITES_LINE.search(subprocess.run([sys.executable, str(devsites / "score.py"), str(split), "--ids",
                                                  str(ids)], capture_output=True, text=True, check=True).stdout)
        assert found, "score.py gave no totals"
        rules = sum(len(tomllib.loads(p.read_text("utf-8")).get("rule", []))
                    for p in (out / "learned-rules").glob("*.toml"))
        print(f"| {sites} sites, {len(pages)} pages, {way} | F1 {float(found.group(1)):.4f} | rules {rules} |")


if __name__ == "__main__":
    main()
