"""The line model: two stages of boosted trees read from a JSON file, applied with numpy alone.

Stage 1 scores each line from its features and its neighbours'; stage 2
sees stage 1's scores around each line as well. Each stage is a sum of
regression trees (trained with LightGBM, shipped as flat arrays of numbers:
no code, no pickle) and returns the probability that a line is article text.
tools/train_line_model.py writes the file, from the devset alone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from cleaner.content import features, shipped_bytes, shipped_digest


@dataclass(frozen=True)
class Trees:
    """Boosted regression trees (LightGBM's, flattened): a line goes left where its feature is <= the threshold.

    All trees' nodes sit in flat arrays with each node's two children side by
    side (right = left + 1) and a leaf pointing to itself with a threshold of
    +inf, so every line walks `depth` steps in every tree at once: a few numpy
    gathers per step and document, whatever the number of trees.
    """

    feature: np.ndarray  # per node, the column it tests (0 at leaves)
    threshold: np.ndarray  # per node; +inf at leaves
    child: np.ndarray  # per node, its left child's flat index (itself at leaves; right child = left + 1)
    value: np.ndarray  # per node, the leaf value (0 elsewhere)
    roots: np.ndarray  # each tree's root
    depth: int  # of the deepest leaf

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Trees:
        feature: list[int] = []
        threshold: list[float] = []
        child: list[int] = []
        value: list[float] = []
        roots = []
        for tree in data["trees"]:
            # lay the tree out again, level by level, so that siblings are adjacent
            order, k = [0], 0
            while k < len(order):
                node = order[k]
                if tree["feature"][node] >= 0:
                    order += [tree["left"][node], tree["right"][node]]
                k += 1
            at = {node: len(feature) + n for n, node in enumerate(order)}
            roots.append(at[0])
            for node in order:
                leaf = tree["feature"][node] < 0
                feature.append(0 if leaf else tree["feature"][node])
                threshold.append(np.inf if leaf else tree["threshold"][node])
                child.append(at[node] if leaf else at[tree["left"][node]])
                value.append(tree["value"][node] if leaf else 0.0)
        return cls(np.asarray(feature, np.intp), np.asarray(threshold, float), np.asarray(child, np.intp),
                   np.asarray(value, float), np.asarray(roots, np.intp), int(data["depth"]))

    def proba(self, X: np.ndarray) -> np.ndarray:
        n, width = X.shape
        flat = np.ascontiguousarray(X, dtype=float).ravel()
        offsets = (np.arange(n, dtype=np.intp) * width)[:, None]
        at = np.broadcast_to(self.roots, (n, len(self.roots)))
        for _ in range(self.depth):
            right = flat.take(offsets + self.feature.take(at)) > self.threshold.take(at)
            at = self.child.take(at) + right
        z = self.value.take(at).sum(axis=1)  # LightGBM's first tree holds the base score
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class LineModel:
    stage1: Trees
    stage2: Trees | None
    threshold: float  # a line scoring below it is boilerplate
    digest: str  # sha256 of the model file: sidecars and reruns name the model by it

    @classmethod
    def from_json(cls, data: dict[str, Any], digest: str = "") -> LineModel:
        if data["stage1"]["features"] != features.FEATURE_NAMES:
            raise ValueError("the model was trained on other features than this code computes")
        stage2 = Trees.from_json(data["stage2"]) if data.get("stage2") else None
        return cls(Trees.from_json(data["stage1"]), stage2, float(data["threshold"]), digest)

    def scores(self, lines: list[str]) -> tuple[np.ndarray, tuple[int, int] | None]:
        """Each line's probability of being article text, and the densest block of prose."""
        X, block = features.doc_features(lines)
        if not lines:
            return np.zeros(0), block
        p = self.stage1.proba(X)
        if self.stage2 is not None:
            p = self.stage2.proba(np.concatenate([X, features.stage2_features(p)], axis=1))
        return p, block


@lru_cache(maxsize=1)
def shipped() -> LineModel:
    """The model shipped with the package, loaded on first use."""
    return LineModel.from_json(json.loads(shipped_bytes()), shipped_digest())
