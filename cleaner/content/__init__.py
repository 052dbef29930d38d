"""Main-content detection from text alone: a line model, shipped as data, for pages no rule was written for.

Its modules need numpy, so they load only where `content` calls for the model.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files

RULE = "content/model"  # the rule id the model's drops are recorded under
SHIPPED = "line-model.json"  # the shipped model's weights, beside this file


@lru_cache(maxsize=1)
def shipped_bytes() -> bytes:
    return files("cleaner.content").joinpath(SHIPPED).read_bytes()


def shipped_digest() -> str:
    """The shipped model's digest (the sidecar's `rules` include it), read without loading the model."""
    return "sha256:" + hashlib.sha256(shipped_bytes()).hexdigest()
