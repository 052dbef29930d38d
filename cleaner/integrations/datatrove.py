"""A datatrove pipeline step: `CleanerStep`, between a reader and a writer.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner import Options
    from cleaner.integrations.datatrove import CleanerStep

    LocalPipelineExecutor(pipeline=[JsonlReader("in/"), CleanerStep(options=Options(content="auto")), JsonlWriter("out/")],
                          tasks=4).run()

Each document is cleaned as a JSONL shard's record is (`clean_bytes` on its
text, rules chosen by `metadata["url"]`'s host before any fingerprint); its
text is replaced, the sidecar goes under `metadata["cleaner"]`, a document
cleaned away entirely is dropped, and datatrove's stats count the lines each
rule dropped. Rules load once per worker, on the first document.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from datatrove.pipeline.base import PipelineStep

from cleaner import Options, clean_bytes
from cleaner.options import DEFAULTS
from cleaner.record.sidecar import to_sidecar
from cleaner.rulebook.load import load_ruleset
from cleaner.rulebook.model import Ruleset
from cleaner.text.pagemeta import host_of


class CleanerStep(PipelineStep):
    name = "🧹 corpus-cleaner"
    type = "🔨 - FORMAT"

    def __init__(self, rules: Sequence[str] = (), options: Options = DEFAULTS) -> None:
        super().__init__()
        self.rules = list(rules)  # rule directories beside the shipped rules
        self.options = options  # checked when made, in the driver
        self._ruleset: Ruleset | None = None

    def ruleset(self) -> Ruleset:
        if self._ruleset is None:
            self._ruleset = load_ruleset(self.rules)
        return self._ruleset

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Any:
        for doc in data:
            with self.track_time():
                result = clean_bytes(doc.text.encode("utf-8", "surrogatepass"), self.ruleset(), options=self.options,
                                     host=host_of(doc.metadata.get("url")))
            for dropped in result.record.dropped:
                self.stat_update(dropped.rule)
            if not result.text:
                self.stat_update("emptied")
                continue
            self.stat_update("cleaned")
            doc.text = result.text
            doc.metadata["cleaner"] = to_sidecar(result, str(doc.id)).to_json()
            yield doc
