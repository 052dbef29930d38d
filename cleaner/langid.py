"""Language identification with langdetect, seeded so the same text always gets the same answer."""
from __future__ import annotations

UNDETERMINED = "und"
MIN_LETTERS = 40  # below this langdetect guesses more than it measures

_ready = False


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code as langdetect names it, probability rounded to 4 places), or ("und", 0.0)."""
    global _ready
    if sum(1 for c in text if c.isalpha()) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    if not _ready:
        DetectorFactory.seed = 0
        _ready = True
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return UNDETERMINED, 0.0
    return best.lang, round(best.prob, 4)
