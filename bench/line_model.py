"""Speed of the line model alone: features and scoring to a fixed point, per document, on one core.

usage: python bench/line_model.py [--devset DIR] [--bytes 2500]

Takes the devset's whole-page dumps, cut to about --bytes of text each (at a
line end), runs the rules once, then times the model on the lines they leave
(features, both stages, every round until it drops no more). Prints documents
per second and the time per part.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=REPO.parent / "shared" / "devset")
    parser.add_argument("--bytes", type=int, default=2500)
    args = parser.parse_args()
    from cleaner import Options, clean_text
    from cleaner.content import features
    from cleaner.content.model import shipped
    from cleaner.content.select import model_drops
    from cleaner.core import default_ruleset

    rules, model = default_ruleset(), shipped()
    docs = []
    for path in sorted((args.devset / "text-page").glob("*.txt")):
        text = path.read_text("utf-8")
        cut = text[: args.bytes].rsplit("\n", 1)[0] if len(text) > args.bytes else text
        out = clean_text(cut, rules, options=Options(content="rules")).text  # what the model is fed
        if out:
            docs.append(out[:-1].split("\n\n"))
    model_drops(docs[0], range(len(docs[0])), model)  # first use: load the model, build the tables
    start = time.perf_counter()
    for lines in docs:
        model_drops(lines, range(len(lines)), model)
    whole = time.perf_counter() - start
    start = time.perf_counter()
    for lines in docs:
        features.doc_features(lines)
    feats = time.perf_counter() - start
    start = time.perf_counter()
    for lines in docs:
        model.scores(lines)
    once = time.perf_counter() - start
    lines = sum(map(len, docs)) / len(docs)
    print(f"{len(docs)} documents of about {args.bytes} bytes ({lines:.0f} lines each after the rules), one core:")
    print(f"  model to a fixed point  {len(docs) / whole:.0f} docs/s  ({1000 * whole / len(docs):.2f} ms/doc)")
    print(f"  one round of scoring    {1000 * once / len(docs):.2f} ms/doc, of which features "
          f"{1000 * feats / len(docs):.2f} ms")


if __name__ == "__main__":
    main()
