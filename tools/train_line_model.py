"""Train the line model on the devset, report cross-validated figures, and write the shipped model.

usage: python tools/train_line_model.py [--devset DIR] [--cache DIR] [--folds 5] [--thresholds 0.2,0.3,0.4]
                                        [--content model,auto] [--threshold T] [--write] [--jobs N]

Needs the `train` extra (LightGBM): pip install -e '.[train]'.

Data: the devset only (../shared/devset). Units are the lines the rules leave
of each page's dumps (text-page, and text-recall, so that the model also
learns what an article dump with little chrome looks like), exactly what the
model sees at run time.
Labels are weak: a line is article text when trafilatura's extraction of the
same page's HTML holds it (the same line, or for lines of 25 characters or
more, a part of the extraction; both compared in NFKC without list markers); a line holding one of the page's `with`
snippets is article text and one holding a `without` snippet is not, and
those lines weigh SNIPPET_WEIGHT times as much.

Cross-validation: pages are split into folds (seeded); each fold's pages are
cleaned with `--content model` by a model trained on the other folds, through
the real pipeline (rules, model to a fixed point, fallback block, title), for
text-page and text-recall, and scored with the devset's score.py. These are
the figures to quote; figures on training pages are not evidence.

With --write, a model trained on every page goes to cleaner/content/line-model.json,
and the digest of the training data (every devset file read) is printed for
docs/line-model.md. Deterministic: the same data gives the same bytes.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "cleaner" / "content" / "line-model.json"
SEED = 0
SNIPPET_WEIGHT = 3.0
_SPACES = re.compile(r"\s+")
_LIST_MARK = re.compile(r"^[*+\-•·▪–]\s*")


def _fold(text: str) -> str:
    """A line as labels compare it: NFKC, white space folded, a leading list marker gone (trafilatura
    writes list items as `- item`, text dumps as `* item`)."""
    return _LIST_MARK.sub("", _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip())


def _extract(path: Path) -> str:
    from trafilatura import extract

    return extract(gzip.decompress(path.read_bytes()), include_comments=False) or ""


def extractions(devset: Path, ids: list[str], cache: Path | None, jobs: int) -> dict[str, str]:
    """trafilatura's text of each page's HTML (kept in `cache` between runs)."""
    cached = cache / "extractions.json" if cache else None
    if cached and cached.is_file():
        found = json.loads(cached.read_text("utf-8"))
        if set(ids) <= set(found):
            return found
    with ProcessPoolExecutor(jobs) as pool:
        texts = dict(zip(ids, pool.map(_extract, [devset / "html" / f"{i}.html.gz" for i in ids], chunksize=8)))
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    return texts


def labels(lines: list[str], extraction: str, page: dict) -> tuple[np.ndarray, np.ndarray]:
    """Each line's label (1 article text) and weight."""
    extracted = [_fold(x) for x in extraction.split("\n")]
    exact = {x for x in extracted if x}
    joined = " ".join(x for x in extracted if x)
    folded = [_fold(line) for line in lines]
    y = np.array([line in exact or (len(line) >= 25 and line in joined) for line in folded], dtype=float)
    w = np.ones(len(lines))
    for k, line in enumerate(lines):
        if any(s.strip() and s.strip() in line for s in page["with"]):
            y[k], w[k] = 1.0, SNIPPET_WEIGHT
        elif any(s.strip() and s.strip() in line for s in page["without"]):
            y[k], w[k] = 0.0, SNIPPET_WEIGHT
    return y, w


def rules_lines(text: str) -> list[str]:
    """The lines the rules leave of a document: what the model sees."""
    from cleaner import Options, clean_text
    from cleaner.core import default_ruleset

    out = clean_text(text, default_ruleset(), options=Options(content="rules")).text  # what the model is fed
    return out[:-1].split("\n\n") if out else []


def gold_labels(lines: list[str], page: dict) -> tuple[np.ndarray, np.ndarray]:
    """A devsites page's lines labelled by its hand-made gold: article text where the gold holds the line
    (the same paragraph, or for lines of 25 characters or more, a part of one), and the headline."""
    paragraphs = [_fold(x) for x in page["gold"].split("\n")]
    exact = {x for x in paragraphs if x} | {_fold(page.get("headline") or "")} - {""}
    joined = " ".join(x for x in paragraphs if x)
    folded = [_fold(line) for line in lines]
    y = np.array([line in exact or (len(line) >= 25 and line in joined) for line in folded], dtype=float)
    return y, np.ones(len(lines))


class Data:
    """Per page and dump: lines, features, labels, weights. A page's dumps stay together in folds; `site` says
    which site each page is of (a devset page is its own), so that folds can keep a site's pages together."""

    def __init__(self, devset: Path, cache: Path | None, jobs: int, modes: list[str], devsites: Path | None = None) -> None:
        from cleaner.content.features import doc_features

        self.pages = [json.loads(line) for line in (devset / "pages.jsonl").read_text("utf-8").splitlines() if line.strip()]
        self.ids = [p["id"] for p in self.pages]
        self.site = {i: i for i in self.ids}
        self.modes = modes
        texts = extractions(devset, self.ids, cache, jobs)
        self.X, self.y, self.w = {}, {}, {}
        for page in self.pages:
            for mode in modes:
                key = (page["id"], mode)
                lines = rules_lines((devset / mode / f"{page['id']}.txt").read_text("utf-8"))
                self.X[key], _ = doc_features(lines)
                self.y[key], self.w[key] = labels(lines, texts[page["id"]], page)
        self.sites_pages: list[dict] = []
        if devsites is not None:
            rows = (devsites / "pages.jsonl").read_text("utf-8").split("\n")  # not splitlines: U+2028 is in texts
            self.sites_pages = [json.loads(row) for row in rows if row]
            for page in self.sites_pages:
                self.ids.append(page["id"])
                self.site[page["id"]] = page["site"]
                for mode in modes:
                    key = (page["id"], mode)
                    lines = rules_lines((devsites / mode / f"{page['id']}.txt").read_text("utf-8"))
                    self.X[key], _ = doc_features(lines)
                    self.y[key], self.w[key] = gold_labels(lines, page)

    def keys(self, ids: list[str]) -> list[tuple[str, str]]:
        return [(i, mode) for i in ids for mode in self.modes]

    def stack(self, ids: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        keys = self.keys(ids)
        return (np.concatenate([self.X[k] for k in keys]), np.concatenate([self.y[k] for k in keys]),
                np.concatenate([self.w[k] for k in keys]))


STAGE2_TREES = 100  # stage 2 reads stage 1's scores: fewer trees do (measured), and the model runs faster
TREES = {"n_estimators": 200, "num_leaves": 15, "max_depth": 6, "learning_rate": 0.1, "min_child_samples": 40, "subsample": 0.8,
         "subsample_freq": 1, "colsample_bytree": 0.8}


def fit_trees(X: np.ndarray, y: np.ndarray, w: np.ndarray, names: list[str], trees: int = TREES["n_estimators"]) -> dict:
    """Boosted trees (LightGBM, seeded and deterministic), flattened to arrays: node k of a tree tests
    `feature[k]` against `threshold[k]`; a leaf has feature -1 and its value."""
    import lightgbm

    fitted = lightgbm.LGBMClassifier(**{**TREES, "n_estimators": trees}, random_state=SEED, deterministic=True, force_row_wise=True,
                                     n_jobs=2, verbose=-1)
    fitted.fit(X, y, sample_weight=w)
    flat, depth = [], 0
    for info in fitted.booster_.dump_model()["tree_info"]:
        tree: dict[str, list] = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}

        def walk(node: dict, level: int, tree: dict[str, list] = tree) -> int:
            nonlocal depth
            k = len(tree["feature"])
            for key in tree:
                tree[key].append(0)
            if "leaf_value" in node or "split_feature" not in node:
                depth = max(depth, level)
                tree["feature"][k], tree["value"][k] = -1, round(float(node.get("leaf_value", 0.0)), 6)
                return k
            assert node["decision_type"] == "<=", node
            tree["feature"][k], tree["threshold"][k] = int(node["split_feature"]), float(node["threshold"])
            tree["left"][k] = walk(node["left_child"], level + 1)
            tree["right"][k] = walk(node["right_child"], level + 1)
            return k

        walk(info["tree_structure"], 0)
        flat.append(tree)
    return {"features": names, "depth": depth, "trees": flat}


def fit_model(data: Data, ids: list[str], threshold: float) -> dict:
    """Stage 1 on the pages' features; stage 2 on stage 1's out-of-fold scores (an inner 3-way split)."""
    from cleaner.content import features
    from cleaner.content.model import Trees

    X, y, w = data.stack(ids)
    stage1 = fit_trees(X, y, w, features.FEATURE_NAMES)
    inner = [ids[k::3] for k in range(3)]
    rows = []
    for k in range(3):
        part = fit_trees(*data.stack([i for j in range(3) if j != k for i in inner[j]]), features.FEATURE_NAMES)
        scorer = Trees.from_json(part)
        rows += [(key, np.concatenate([data.X[key], features.stage2_features(scorer.proba(data.X[key]))], axis=1))
                 for key in data.keys(inner[k])]
    order = {key: n for n, key in enumerate(data.keys(ids))}
    rows.sort(key=lambda r: order[r[0]])
    X2 = np.concatenate([r[1] for r in rows])
    stage2 = fit_trees(X2, y, w, features.FEATURE_NAMES + features.S2_NAMES, STAGE2_TREES)
    return {"format": 2, "threshold": threshold, "stage1": stage1, "stage2": stage2,
            "trained_on": "devset text-page and text-recall: the lines the rules leave; labels from "
                          "trafilatura's extraction of each page's HTML and the pages' snippets"}


def score(devset: Path, mode: str, out: Path) -> tuple[float, float]:
    said = subprocess.run([sys.executable, str(devset / "score.py"), str(devset / mode), str(out), "--show", "0"],
                          capture_output=True, text=True, check=True).stdout
    found = re.search(r"kept ([\d.]+) .*removed ([\d.]+)", said)
    assert found, said
    return float(found.group(1)), float(found.group(2))


def data_digest(devset: Path, ids: list[str]) -> str:
    """sha256 over every devset file the training reads, in a fixed order."""
    digest = hashlib.sha256((devset / "pages.jsonl").read_bytes())
    for i in ids:
        for part in (f"html/{i}.html.gz", f"text-page/{i}.txt", f"text-recall/{i}.txt"):
            digest.update((devset / part).read_bytes())
    return "sha256:" + digest.hexdigest()


def by_site(args: argparse.Namespace, data: Data, folds: list[list[str]], models: list[dict]) -> str:
    """Cross-validated by site: each page of the devset and devsites cleaned (--content model) by the model
    of the fold its site is not in; the devset scored by its score.py, devsites by F1 (headline dropped),
    and the share of devsites pages whose input holds the headline as a line that keep it (title kept)."""
    from cleaner import Options, clean_text
    from cleaner.content.model import LineModel
    from cleaner.core import default_ruleset

    sites_ids = {p["id"] for p in data.sites_pages}
    headline = {p["id"]: _SPACES.sub(" ", p.get("headline") or "").strip() for p in data.sites_pages}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("text-page", "text-recall"):
            devset_out, sites_out = Path(tmp, f"devset-{mode}"), Path(tmp, f"sites-{mode}")
            devset_out.mkdir()
            sites_out.mkdir()
            held = kept = 0
            for fold, weights in zip(folds, models):
                model = LineModel.from_json(weights)
                for i in fold:
                    root = args.devsites if i in sites_ids else args.devset
                    text = (root / mode / f"{i}.txt").read_text("utf-8")
                    if i not in sites_ids:
                        result = clean_text(text, default_ruleset(), options=Options(), model=model)
                        (devset_out / f"{i}.txt").write_text(result.text, "utf-8")
                        continue
                    dropped = clean_text(text, default_ruleset(), options=Options(title="drop"), model=model)
                    (sites_out / f"{i}.txt").write_text(dropped.text, "utf-8")
                    if headline[i] and headline[i] in {_SPACES.sub(" ", x).strip() for x in text.split("\n")}:
                        held += 1
                        kept_text = clean_text(text, default_ruleset(), options=Options(), model=model).text
                        kept += headline[i] in {_SPACES.sub(" ", x).strip() for x in kept_text.split("\n\n")}
            said = subprocess.run([sys.executable, str(args.devsites / "score.py"), str(sites_out)],
                                  capture_output=True, text=True, check=True).stdout
            f1 = re.search(r"F1 ([\d.]+).*gold words lost ([\d.]+)", said)
            assert f1, said
            devset_kept, devset_removed = score(args.devset, mode, devset_out)
            rows.append(f"| {mode} | {devset_kept:.4f} / {devset_removed:.4f} | {float(f1.group(1)):.4f} / "
                        f"{float(f1.group(2)):.4f} | {kept} of {held} |")
    return "\n".join(["| dumps | devset kept / removed | devsites F1 / gold words lost | headline kept |",
                      "|---|---|---|---|", *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--devset", type=Path, default=REPO.parent / "shared" / "devset")
    parser.add_argument("--cache", type=Path, default=None, help="keep trafilatura's extractions here between runs")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--thresholds", default="0.3,0.4,0.5", help="thresholds to cross-validate")
    parser.add_argument("--threshold", type=float, default=0.4, help="the threshold the written model carries")
    parser.add_argument("--write", action="store_true", help="train on every page and write the shipped model")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--content", default="model,auto", help="the --content modes to cross-validate")
    parser.add_argument("--modes", default="text-page,text-recall", help="the dumps whose lines train the model")
    parser.add_argument("--devsites", type=Path, default=None,
                        help="also train on devsites' pages, labelled by their gold and headline; folds by site, "
                        "and its figures cross-validated by site (each page cleaned by a model that never saw "
                        "its site)")
    args = parser.parse_args(argv)
    from cleaner import Options, clean_text
    from cleaner.content.model import LineModel
    from cleaner.core import default_ruleset

    started = time.time()
    data = Data(args.devset, args.cache, args.jobs, args.modes.split(","), args.devsites)
    print(f"{len(data.ids)} pages, {args.modes}: {sum(len(v) for v in data.y.values())} lines "
          f"({sum(v.sum() for v in data.y.values()):.0f} article) in {time.time() - started:.0f} s", file=sys.stderr)
    if args.folds > 1 and args.devsites is not None:
        sites = sorted(set(data.site.values()))
        order = list(np.random.RandomState(SEED).permutation(len(sites)))
        fold_of = {sites[n]: k for k in range(args.folds) for n in order[k::args.folds]}
        folds = [[i for i in data.ids if fold_of[data.site[i]] == k] for k in range(args.folds)]
        models = [fit_model(data, [i for j, f in enumerate(folds) if j != k for i in f], args.threshold)
                  for k in range(args.folds)]
        print(by_site(args, data, folds, models), flush=True)
    elif args.folds > 1:
        order = list(np.random.RandomState(SEED).permutation(len(data.ids)))
        folds = [[data.ids[n] for n in sorted(order[k::args.folds])] for k in range(args.folds)]
        thresholds = [float(t) for t in args.thresholds.split(",")]
        print("| --content | threshold | text-page kept | text-page removed | text-recall kept | text-recall removed |")
        print("|---|---|---|---|---|---|")
        with tempfile.TemporaryDirectory() as tmp:
            models = [fit_model(data, [i for j, f in enumerate(folds) if j != k for i in f], 0.5)
                      for k in range(args.folds)]
            for content in args.content.split(","):
                for threshold in thresholds:
                    row = []
                    for mode in ("text-page", "text-recall"):
                        out = Path(tmp, f"{content}-{threshold}-{mode}")
                        out.mkdir()
                        for fold, weights in zip(folds, models):
                            model = LineModel.from_json({**weights, "threshold": threshold})
                            for i in fold:
                                text = (args.devset / mode / f"{i}.txt").read_text("utf-8")
                                result = clean_text(text, default_ruleset(), options=Options(content=content),
                                                    model=model)
                                (out / f"{i}.txt").write_text(result.text, "utf-8")
                        row += score(args.devset, mode, out)
                    print(f"| {content} | {threshold} | " + " | ".join(f"{v:.4f}" for v in row) + " |", flush=True)
    if args.write:
        weights = fit_model(data, data.ids, args.threshold)
        MODEL.write_text(json.dumps(weights, separators=(",", ":")) + "\n", "utf-8")
        print(f"wrote {MODEL.relative_to(REPO)}: sha256:{hashlib.sha256(MODEL.read_bytes()).hexdigest()}")
        print(f"training data: {data_digest(args.devset, data.ids)}")
    print(f"{time.time() - started:.0f} s in all", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
