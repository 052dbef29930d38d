"""Hugging Face `datasets`: clean a dataset's `text` column.

    from cleaner import Options
    from cleaner.integrations.hf import clean_dataset

    ds = clean_dataset(ds, num_proc=2)                                # shipped rules, default options
    ds = clean_dataset(ds, ["my-rules/"], Options(content="auto"))

Each row's `text` is cleaned as a JSONL shard's record is (rules chosen by
the host of its `url` column, or `metadata["url"]`, when there is one) and a
`cleaner` column holds its sidecar as a JSON string (Arrow needs one type
per column; a sidecar's fields vary). A row cleaned away entirely is left
out, as a shard and datatrove leave it out. `clean_batch` and `cleaner_for`
are the batch functions for a `Dataset.map` of your own: there rows keep
their place, and an emptied one comes out as "" with its sidecar's
`filtered` saying why. Rules load once per worker process.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

from cleaner import Options, clean_bytes
from cleaner.batch.withheld import withheld
from cleaner.options import DEFAULTS
from cleaner.record.sidecar import escape_surrogates, to_sidecar
from cleaner.rulebook.load import load_ruleset
from cleaner.rulebook.model import Ruleset
from cleaner.text.pagemeta import host_of, record_url

Batch = dict[str, list[Any]]


@functools.lru_cache(maxsize=8)
def _ruleset(rules: tuple[str, ...]) -> Ruleset:
    return load_ruleset(rules)


def _clean(batch: Batch, rules: tuple[str, ...], options: Options) -> Batch:
    ruleset = _ruleset(rules)
    n = len(batch["text"])
    ids = batch.get("id") or list(range(n))
    addresses: list[dict[str, Any]] = [{key: batch[key][k] for key in ("url", "metadata") if key in batch}
                                       for k in range(n)]
    texts, sidecars = [], []
    for text, address, ident in zip(batch["text"], addresses, ids):
        result = clean_bytes((text or "").encode("utf-8", "surrogatepass"), ruleset, options=options,
                             host=host_of(record_url(address)))  # the site as a JSONL record's
        texts.append(result.text)
        sidecar = to_sidecar(result, str(ident), filtered=withheld(result.record, None))
        sidecars.append(escape_surrogates(json.dumps(sidecar.to_json(), ensure_ascii=False)))
    return {"text": texts, "cleaner": sidecars}


def cleaner_for(rules: Sequence[str] = (), options: Options = DEFAULTS) -> Callable[[Batch], Batch]:
    """A batch function with these rules and options (picklable, so `num_proc` works)."""
    return functools.partial(_clean, rules=tuple(rules), options=options)


clean_batch = cleaner_for()
clean_batch.__doc__ = "Clean a batch's `text` with the shipped rules and default options; add `cleaner` (the sidecar as JSON)."


def _kept(batch: Batch) -> list[bool]:
    return [bool(text) for text in batch["text"]]


def clean_dataset(dataset: Any, rules: Sequence[str] = (), options: Options = DEFAULTS, *,
                  num_proc: int | None = None, batch_size: int = 1000) -> Any:
    """`dataset` cleaned, with its `cleaner` column, less the rows cleaned away entirely (a shard and the
    datatrove step leave them out too)."""
    mapped = dataset.map(cleaner_for(rules, options), batched=True, num_proc=num_proc, batch_size=batch_size)
    return mapped.filter(_kept, batched=True, num_proc=num_proc, batch_size=batch_size)
