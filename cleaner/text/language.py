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
import re
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib.resources import files
from itertools import islice
from random import Random

UNDETERMINED = "und"
MIN_LETTERS = 40  # below this langdetect guesses more than it measures
SEED = 0
_MAGIC = b"corpus-cleaner langdetect profiles 1\n"
_MAX_TEXT = 10000  # Detector.max_text_length
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's own test: 'A' <= ch <= 'z'
_NON_LATIN = re.compile("[\u0300-\u1dff\u1f00-\U0010ffff]")  # >= U+0300, not Latin Extended Additional
_BLOB = "langprofiles.bin"


class _LazyProbabilities(Mapping[str, list[float]]):
    """langdetect's word -> per-language probability map, each vector built on first lookup."""

    def __init__(self, words: list[str], starts: array, langs: array, probs: array, size: int) -> None:
        self.index = dict(zip(words, range(len(words))))  # word -> row; also the fast membership test
        self._starts, self._langs, self._probs, self._size = starts, langs, probs, size
        self._built: dict[str, list[float]] = {}

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> list[float]:
        vector = self._built.get(word)
        if vector is None:
            i = self.index[word]
            vector = [0.0] * self._size
            for k in range(self._starts[i], self._starts[i + 1]):
                vector[self._langs[k]] = self._probs[k]
            self._built[word] = vector
        return vector

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


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
    loaded = _load_blob(files("cleaner.text").joinpath(_BLOB).read_bytes())
    if loaded is None:
        made.load_profile(PROFILES_DIRECTORY)
    else:
        made.langlist, made.word_lang_prob_map = loaded
    return made


def codes() -> frozenset[str]:
    """Every code `detect` can answer: langdetect's languages, and "und" for text too short to tell."""
    return frozenset(factory().langlist) | {UNDETERMINED}


def known(lang: str) -> str | None:
    """A detected language as rules take it: None where it is undetermined."""
    return None if lang == UNDETERMINED else lang


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code as langdetect names it, probability rounded to 4 places), or ("und", 0.0)."""
    if next(islice(_LETTER.finditer(text), MIN_LETTERS - 1, None), None) is None:
        return UNDETERMINED, 0.0
    probabilities = _detect(text)
    if not probabilities:
        return UNDETERMINED, 0.0
    lang, prob = probabilities[0]
    return lang, round(prob, 4)


# langdetect's Detector, step for step, with its per-character Python calls
# replaced by regular expressions, str.translate and list comprehensions. It
# makes the same random draws on the same n-gram list, so its answers are
# langdetect's own; tests/test_langid.py checks the n-gram lists and the
# answers against langdetect itself.

def _detect(text: str) -> list[tuple[str, float]]:
    from langdetect.detector import Detector

    made = factory()
    text = _prepare(text, Detector)
    known = made.word_lang_prob_map
    ngrams = extract_ngrams(text, _index())
    if not ngrams:
        return []
    langlist = made.langlist
    size = len(langlist)
    rng = Random()
    rng.seed(made.seed)
    langprob = [0.0] * size
    draw = rng.choice
    trials = 7
    width, limit, threshold = Detector.ALPHA_WIDTH, Detector.ITERATION_LIMIT, Detector.CONV_THRESHOLD
    for _ in range(trials):
        prob = [1.0 / size] * size
        weight = (Detector.ALPHA_DEFAULT + rng.gauss(0.0, 1.0) * width) / Detector.BASE_FREQ
        # langdetect normalizes and tests for convergence after draws 0, 5, 10, ...: draw 0 alone, then five
        # draws in one pass, normalized and multiplied in its order ((p / total) * a) * b ..., so the same
        # floats. max(p) / total is max(p / total): correctly rounded division keeps the order.
        vector = known[draw(ngrams)]
        prob = [p * (weight + v) for p, v in zip(prob, vector)]
        i = 0
        while True:
            total = sum(prob)
            if max(prob) / total > threshold or i >= limit:
                break
            a, b, c, d, e = known[draw(ngrams)], known[draw(ngrams)], known[draw(ngrams)], known[draw(ngrams)], known[draw(ngrams)]
            prob = [p / total * (weight + va) * (weight + vb) * (weight + vc) * (weight + vd) * (weight + ve)
                    for p, va, vb, vc, vd, ve in zip(prob, a, b, c, d, e)]
            i += 5
        langprob = [lp + p / total / trials for lp, p in zip(langprob, prob)]
    found = [(lang, p) for lang, p in zip(langlist, langprob) if p > Detector.PROB_THRESHOLD]
    found.sort(key=lambda lp: lp[1], reverse=True)
    return found


def _prepare(text: str, detector) -> str:
    """Detector.append and cleaning_text: drop URLs and e-mail addresses, Vietnamese marks, the length cap."""
    from langdetect.utils.ngram import NGram

    text = detector.URL_RE.sub(" ", text)
    if "@" in text:  # every address has one; without, the address pattern is tried at every letter for nothing
        text = detector.MAIL_RE.sub(" ", text)
    text = _SPACES.sub(" ", NGram.normalize_vi(text)[:_MAX_TEXT])
    non_latin = len(_NON_LATIN.findall(text))  # no letter beyond Latin (most texts): no Latin letter to count
    if non_latin and len(_LATIN.findall(text)) * 2 < non_latin:
        text = _LATIN.sub("", text)
    return text


class _Normalized(dict):
    """str.translate table for NGram.normalize, filled one character at a time as texts need them."""

    def __missing__(self, code: int) -> int:
        from langdetect.utils.ngram import NGram

        self[code] = ord(NGram.normalize(chr(code)))
        return self[code]


_NORMALIZED = _Normalized()


class NgramIndex:
    """The n-grams a table knows, and what each word of text yields from them, worked out once per word.

    Owned by whoever owns the table: the detector keeps one for its own
    (`_index`); the word cache is bounded, so long runs do not grow it."""

    def __init__(self, known: Iterable[str]) -> None:
        self.canonical = {gram: gram for gram in known}  # each n-gram's one shared string
        self.words: dict[str, tuple[list[str], list[str]]] = {}


@lru_cache(maxsize=1)
def _index() -> NgramIndex:
    known = factory().word_lang_prob_map
    return NgramIndex(getattr(known, "index", known))


def extract_ngrams(text: str, index: NgramIndex) -> list[str]:
    """langdetect's NGram window over the text: the 1- to 3-grams it would look up, in its order.

    Words are runs of non-space characters after normalization; a window
    starts with a space at each word, and no n-gram is taken while the window
    ends in two capitals (an acronym) or is a lone space. What a word yields
    depends on the word alone, so it is worked out once per word and kept.
    """
    words = text.translate(_NORMALIZED).split(" ")
    cache, canonical = index.words, index.canonical
    found: list[str] = []
    extend = found.extend
    last = len(words) - 1
    for position, word in enumerate(words):
        if not word:
            continue
        grams = cache.get(word)
        if grams is None:
            if len(cache) >= _MAX_CACHED_WORDS:
                cache.clear()
            grams = cache[word] = _word_ngrams(word, canonical)
        extend(grams[0])
        if position < last:  # a space follows the word
            extend(grams[1])
    return found


_MAX_CACHED_WORDS = 50_000


def _word_ngrams(word: str, canonical: dict[str, str]) -> tuple[list[str], list[str]]:
    """The n-grams langdetect takes inside `word`, and those it takes at the space after it.

    langdetect slides a window of up to three characters that starts as a space; after the word's
    j-th character it holds (" " + word)[j-1 : j+2] (the first time, " " and the character). No
    n-gram is taken where this character and the one before are capitals. `canonical` maps each
    known n-gram to one shared string, which is what the lists hold.
    """
    padded = " " + word
    get = canonical.get
    taken: list[str | None] = []
    for j, char in enumerate(word):
        if j and char.isupper() and word[j - 1].isupper():
            continue
        if j:
            window = padded[j - 1:j + 2]
            taken += (get(char), get(window[1:]), get(window))
        else:
            taken += (get(char), get(padded[:2]))
    window = (padded[max(0, len(word) - 2):len(word) + 1] + " ")[-3:]
    return [g for g in taken if g is not None], [g for g in (get(window[-2:]), get(window)) if g is not None]
