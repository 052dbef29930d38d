"""The line model: two logistic stages read from a JSON file, applied with numpy alone.

Stage 1 scores each line from its features and its neighbours'; stage 2
sees stage 1's scores around each line as well. Each stage standardizes its
columns, adds one-hot bins for a few of them (a piecewise-constant term per
feature, as a tree would split), and returns the probability that a line is
article text. The file holds numbers only (no code, no pickle);
tools/train_line_model.py writes it, from the devset alone.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

from cleaner.content import features

SHIPPED = "line-model.json"


@dataclass(frozen=True)
class Stage:
    """Logistic regression on standardized columns plus one-hot bins of selected columns."""

    weights: np.ndarray  # per column, standardization folded in
    bias: float
    bins: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # (column, edges, coefficient per bin)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Stage:
        mean, scale = np.asarray(data["mean"], float), np.asarray(data["scale"], float)
        coef = np.asarray(data["coef"], float)
        bins = tuple((int(b["col"]), np.asarray(b["edges"], float), np.asarray(b["coef"], float))
                     for b in data.get("binned", []))
        return cls(coef / scale, float(data["intercept"]) - float(coef @ (mean / scale)), bins)

    def proba(self, X: np.ndarray) -> np.ndarray:
        z = X @ self.weights + self.bias
        for col, edges, coef in self.bins:
            z = z + coef[np.searchsorted(edges, X[:, col], side="right")]
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class LineModel:
    stage1: Stage
    stage2: Stage | None
    threshold: float  # a line scoring below it is boilerplate
    digest: str  # sha256 of the model file: sidecars and reruns name the model by it

    @classmethod
    def from_json(cls, data: dict[str, Any], digest: str = "") -> LineModel:
        if data["stage1"]["features"] != features.FEATURE_NAMES:
            raise ValueError("the model was trained on other features than this code computes")
        stage2 = Stage.from_json(data["stage2"]) if data.get("stage2") else None
        return cls(Stage.from_json(data["stage1"]), stage2, float(data["threshold"]), digest)

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
    data = files("cleaner.content").joinpath(SHIPPED).read_bytes()
    return LineModel.from_json(json.loads(data), "sha256:" + hashlib.sha256(data).hexdigest())
