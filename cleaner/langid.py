"""Language identification with langdetect, seeded so the same text always gets the same answer.

langdetect builds its n-gram table from 55 JSON profiles at first use (about
0.2-0.3 s, on every start of the pre-commit hook). The same table ships here
precomputed (`langprofiles.bin`, built from langdetect's own profiles by
`tools/build_langprofiles.py`), loads in a few milliseconds, and fills each
n-gram's probability vector only when a text asks for it. The numbers are
langdetect's own, bit for bit, and languages are in sorted order rather than
the file system's, so answers do not vary between machines. If the installed
langdetect is not the version the table was built from, langdetect's own
loader is used instead.
"""
from __future__ import annotations

import json
import sys
import zlib
from array import array
from functools import lru_cache
from importlib.resources import files
from typing import Iterator, Mapping

UNDETERMINED = "und"
MIN_LETTERS = 40  # below this langdetect guesses more than it measures
SEED = 0
_MAGIC = b"corpus-cleaner langdetect profiles 1\n"
_BLOB = "langprofiles.bin"


class _LazyProbabilities(Mapping[str, list[float]]):
    """langdetect's word -> per-language probability map, each vector built on first lookup."""

    def __init__(self, words: list[str], starts: array, langs: array, probs: array, size: int) -> None:
        self._index = dict(zip(words, range(len(words))))
        self._starts, self._langs, self._probs, self._size = starts, langs, probs, size
        self._built: dict[str, list[float]] = {}

    def __contains__(self, word: object) -> bool:
        return word in self._index

    def __getitem__(self, word: str) -> list[float]:
        vector = self._built.get(word)
        if vector is None:
            i = self._index[word]
            vector = [0.0] * self._size
            for k in range(self._starts[i], self._starts[i + 1]):
                vector[self._langs[k]] = self._probs[k]
            self._built[word] = vector
        return vector

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _langdetect_version() -> str:
    from importlib.metadata import version

    return version("langdetect")


def build_blob() -> bytes:
    """The precomputed table, from langdetect's own profile loader (the shipped file is this)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    order = sorted(range(len(factory.langlist)), key=factory.langlist.__getitem__)
    words = sorted(factory.word_lang_prob_map)
    starts, langs, probs = array("I", [0]), array("B"), array("d")
    for word in words:
        vector = factory.word_lang_prob_map[word]
        for new, old in enumerate(order):
            if vector[old]:
                langs.append(new)
                probs.append(vector[old])
        starts.append(len(langs))
    for a in (starts, probs):
        if sys.byteorder == "big":
            a.byteswap()
    header = {"langdetect": _langdetect_version(), "langs": [factory.langlist[i] for i in order],
              "words": len(words), "entries": len(langs)}
    payload = b"".join([
        "\0".join(words).encode("utf-8"), b"\0\0", starts.tobytes(), langs.tobytes(), probs.tobytes(),
    ])
    return _MAGIC + json.dumps(header).encode() + b"\n" + zlib.compress(payload, 9)


def _load_blob(blob: bytes) -> tuple[list[str], _LazyProbabilities] | None:
    if not blob.startswith(_MAGIC):
        return None
    header_line, _, packed = blob[len(_MAGIC):].partition(b"\n")
    header = json.loads(header_line)
    if header["langdetect"] != _langdetect_version():
        return None
    payload = zlib.decompress(packed)
    text_end = payload.index(b"\0\0")
    words = payload[:text_end].decode("utf-8").split("\0")
    n, m = header["words"], header["entries"]
    pos = text_end + 2
    starts = array("I", payload[pos: pos + 4 * (n + 1)])
    pos += 4 * (n + 1)
    langs = array("B", payload[pos: pos + m])
    probs = array("d", payload[pos + m: pos + m + 8 * m])
    if sys.byteorder == "big":
        starts.byteswap()
        probs.byteswap()
    langlist = header["langs"]
    return langlist, _LazyProbabilities(words, starts, langs, probs, len(langlist))


@lru_cache(maxsize=1)
def factory():
    """One seeded langdetect factory per process, from the shipped table when it fits."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    made = DetectorFactory()
    made.seed = SEED
    loaded = _load_blob(files("cleaner").joinpath(_BLOB).read_bytes())
    if loaded is None:
        made.load_profile(PROFILES_DIRECTORY)
    else:
        made.langlist, made.word_lang_prob_map = loaded
    return made


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code as langdetect names it, probability rounded to 4 places), or ("und", 0.0)."""
    if sum(1 for c in text if c.isalpha()) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    from langdetect.lang_detect_exception import LangDetectException

    detector = factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    return best.lang, round(best.prob, 4)

