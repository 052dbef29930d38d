"""The pages of a run, read once and kept in a temporary file for the learner's later passes.

The learner reads its pages several times (to count, to group, to decide);
reading sidecars is the slow part, so each page is parsed once and pickled
here. Pages are visited in the order of their keys, whatever the order the
run listed them in: what is learned does not depend on the input's order.
"""
from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from types import TracebackType

from cleaner.learning.corpus import Page


class Spool:
    def __init__(self, pages: Iterable[Page]) -> None:
        self._file = tempfile.TemporaryFile()
        where: list[tuple[str, int]] = []
        for page in pages:
            where.append((page.key, self._file.tell()))
            pickle.dump(page, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        where.sort()
        self.keys = [k for k, _ in where]
        self._offsets = [offset for _, offset in where]

    def __len__(self) -> int:
        return len(self._offsets)

    def __iter__(self) -> Iterator[Page]:
        """Every page, in key order."""
        for offset in self._offsets:
            self._file.seek(offset)
            yield pickle.load(self._file)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
