"""What the line model sees of each line: features of the line, of its neighbours, and of the page.

The features read the lines as the rules leave them (repaired, spaces
folded, blank lines gone) and nothing of the layout (indentation, blank
lines), so a cleaned text, cleaned again, shows the model the same lines with
the same features: that is what makes the model's decisions a fixed point.
Per-character work is one numpy pass over the document's code points; per
line, str methods and regexes; no per-character Python loops.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from cleaner.text.prose import SENTENCE_MARKS

# ---------------------------------------------------------------- code-point table
F_ALPHA, F_DIGIT, F_UPPER, F_SPACE, F_SEP, F_PUNCT = 1, 2, 4, 8, 16, 32
SEPS = "|»›·•>/"


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """Each BMP code point's classes (letter, digit, upper, space, separator), built on first use."""
    t = np.zeros(65536, dtype=np.uint8)
    for cp in range(65536):
        c = chr(cp)
        v = 0
        if c.isalpha():
            v |= F_ALPHA
            if c.isupper():
                v |= F_UPPER
        elif c.isdigit():
            v |= F_DIGIT
        elif c.isspace():
            v |= F_SPACE
        else:
            v |= F_PUNCT
        t[cp] = v
    for c in SEPS:
        t[ord(c)] |= F_SEP
    return t


_FLAGS = np.array([F_ALPHA, F_DIGIT, F_UPPER, F_SPACE, F_SEP], dtype=np.uint8)

# ---------------------------------------------------------------- stopwords
# Small hand-written lists (function words) for en, de, fr, es, it, nl, pt, pl, ru.
_STOP_TXT = """
the of and to in a is that for it on with as was at by be this are from or an have not
but his they which you we he she has had were their been will would there its can more
all about also one when who what our your if into than then so no
der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an
werden aus er hat dass daß sie nach wird bei einer um am sind noch wie einem über einen so zum
war haben nur oder aber vor zur bis mehr durch man sein wurde sei ich wir ihr
le la les de des du et en un une est que qui dans pour pas sur au avec il elle ce se ne
sont par plus son sa ses nous vous leur mais ou été aux cette être
el los las del y que en un una por con para es se no al lo como su más pero sus le ya o
fue este ha sí porque esta entre cuando muy sin sobre también me hasta hay donde
il di che e è per non una sono da con si ma come anche più gli dei nel alla della delle
lo degli questo ha ci ad al hanno quando
het een van en in is dat op te de zijn voor met niet aan er om ook als bij of door maar
naar dan wordt hij zij wel nog worden heeft kan uit deze dit waren
o os as um uma em do da dos das no na não se por com para mais como foi ao pelo pela seu sua
ele ela são ou quando muito já também
w i z na się nie do to że jest o jak a od po co tak za ale przez dla oraz czy jego jej są być
było które który która tym też może już
и в не на что с по как это он она они к из у за от то так но все же для был была было
бы о до его ее её мы вы же ли или только при был были когда уже
"""
STOPWORDS = frozenset(_STOP_TXT.split())

_WORD = re.compile(r"\w+")
_URL = re.compile(r"https?://|www\.|\.(?:com|de|org|net|html?|php)\b", re.I)
_MAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_COPY = re.compile(r"©|\(c\)|copyright|all rights reserved", re.I)
_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\. ?[A-ZÄÖÜa-zäöü]{3,9}\.? \d{4}\b")
_BULLET_START = ("*", "+", "-", "•", "·", "▪", "►", "–", "—", "»", "›", ">", "■", "◦", "o ")
_SENT_END = frozenset(SENTENCE_MARKS)
_CLOSERS = " \"'”’«»)]）」"


# ---------------------------------------------------------------- base (line) features
LINE_NAMES = [
    "log_chars", "log_words", "end_punct", "end_colon", "end_comma", "alpha_share",
    "digit_share", "upper_share", "sep_share", "punct_share", "cap_word_share",
    "stop_share", "docfreq_share", "mean_word_len", "n_sent_marks", "n_commas",
    "has_sep", "n_sep", "url", "email", "copyright", "date", "bullet", "starts_digit",
    "dup", "rel_pos", "log_pos", "log_pos_end", "prose",
]
NL = len(LINE_NAMES)
_IX = {n: i for i, n in enumerate(LINE_NAMES)}


def line_features(lines: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(n, NL) array of the lines' own features (and position); and each line's length in characters."""
    n = len(lines)
    folded = list(lines)  # as the rules see them: stripped, white space folded
    nch = np.fromiter((len(s) for s in folded), dtype=np.float64, count=n)

    # character classes over the whole document in one numpy pass
    text = "\n".join(folded)
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    cls = _table()[np.minimum(cp, 65535)]
    m = (cls[:, None] & _FLAGS[None, :]) != 0  # (N, 5)
    # word starts: non-space char preceded by space or line start
    nonsp = (cls & F_SPACE) == 0
    prev_sp = np.ones_like(nonsp)
    prev_sp[1:] = ~nonsp[:-1]
    ws = nonsp & prev_sp
    capws = ws & ((cls & F_UPPER) != 0)
    mm = np.concatenate([m, ws[:, None], capws[:, None]], axis=1).astype(np.int32)
    cs = np.zeros((len(cp) + 1, mm.shape[1]), dtype=np.int32)
    np.cumsum(mm, axis=0, out=cs[1:])
    starts = np.zeros(n, dtype=np.int64)
    if n > 1:
        starts[1:] = np.cumsum(nch[:-1] + 1).astype(np.int64)
    ends = starts + nch.astype(np.int64)
    cnt = (cs[ends] - cs[starts]).astype(np.float64)
    alpha, digit, upper, space, sep, nwords, capw = cnt.T
    chars = np.maximum(nch, 1.0)
    punct = nch - alpha - digit - space

    # per-line string work (per line, not per character)
    low = [s.lower() for s in folded]
    toks = [_WORD.findall(s) for s in low]
    dc = Counter(w for t in toks for w in t if len(w) <= 4 and not w.isdigit())  # the page's own short words
    docfreq = {w for w, c in dc.most_common(20) if c >= 3}
    stop = np.fromiter((sum(map(STOPWORDS.__contains__, t)) for t in toks), dtype=np.float64, count=n)
    dfs = np.fromiter((sum(map(docfreq.__contains__, t)) for t in toks), dtype=np.float64, count=n)
    ntok = np.fromiter((len(t) for t in toks), dtype=np.float64, count=n)
    tokc = np.fromiter((sum(map(len, t)) for t in toks), dtype=np.float64, count=n)
    ends_s = [s.rstrip(_CLOSERS) for s in folded]
    last = [e[-1:] for e in ends_s]
    endp = np.fromiter((c in _SENT_END for c in last), dtype=np.float64, count=n)
    endcol = np.fromiter((c == ":" or c == "：" for c in last), dtype=np.float64, count=n)
    endcom = np.fromiter((c in ",;、，" for c in last), dtype=np.float64, count=n)
    nsent = np.fromiter((s.count(". ") + s.count("? ") + s.count("! ") + s.count("。") for s in folded), dtype=np.float64, count=n)
    ncomma = np.fromiter((s.count(",") for s in folded), dtype=np.float64, count=n)
    # every URL alternative holds "." or ":", every date a digit (a decimal digit is isdigit(), and the
    # table sees no digit beyond the BMP): lines without them need no search
    url = np.fromiter((("." in s or ":" in s) and _URL.search(s) is not None for s in folded), dtype=np.float64, count=n)
    mail = np.fromiter(("@" in s and _MAIL.search(s) is not None for s in folded), dtype=np.float64, count=n)
    copy = np.fromiter((_COPY.search(s) is not None for s in folded), dtype=np.float64, count=n)
    may_date = digit > 0 if cp.max(initial=0) <= 65535 else np.ones(n, dtype=bool)
    date = np.fromiter((may and _DATE.search(s) is not None for s, may in zip(folded, may_date)), dtype=np.float64, count=n)
    bullet = np.fromiter((s.startswith(_BULLET_START) for s in folded), dtype=np.float64, count=n)
    sdig = np.fromiter((s[:1].isdigit() for s in folded), dtype=np.float64, count=n)
    c = Counter(folded)
    dup = np.fromiter((c[s] > 1 for s in folded), dtype=np.float64, count=n)

    pos = np.arange(n, dtype=np.float64)
    words = np.maximum(nwords, 1.0)
    letters = np.maximum(alpha, 1.0)
    tk = np.maximum(ntok, 1.0)
    prose = ((nwords >= 10) & (endp > 0)).astype(np.float64)

    F = np.empty((n, NL), dtype=np.float64)
    F[:, 0] = np.log1p(nch)
    F[:, 1] = np.log1p(nwords)
    F[:, 2] = endp
    F[:, 3] = endcol
    F[:, 4] = endcom
    F[:, 5] = alpha / chars
    F[:, 6] = digit / chars
    F[:, 7] = upper / letters
    F[:, 8] = sep / chars
    F[:, 9] = punct / chars
    F[:, 10] = capw / words
    F[:, 11] = stop / tk
    F[:, 12] = dfs / tk
    F[:, 13] = np.minimum(tokc / tk, 20.0)
    F[:, 14] = np.log1p(nsent)
    F[:, 15] = np.log1p(ncomma)
    F[:, 16] = (sep > 0)
    F[:, 17] = np.log1p(sep)
    F[:, 18] = url
    F[:, 19] = mail
    F[:, 20] = copy
    F[:, 21] = date
    F[:, 22] = bullet
    F[:, 23] = sdig
    F[:, 24] = dup
    F[:, 25] = pos / max(n - 1, 1)
    F[:, 26] = np.log1p(pos)
    F[:, 27] = np.log1p(n - 1 - pos)
    F[:, 28] = prose
    return F, nch


# ---------------------------------------------------------------- densest prose block
def best_block(score: np.ndarray) -> tuple[int, int] | None:
    """Maximum-sum contiguous run of `score` (vectorised Kadane). Returns (i, j) inclusive, or None."""
    n = len(score)
    if n == 0:
        return None
    cs = np.concatenate([[0.0], np.cumsum(score)])
    mins = np.minimum.accumulate(cs[:-1])
    gain = cs[1:] - mins
    j = int(np.argmax(gain))
    if gain[j] <= 0:
        return None
    i = int(np.argmax(cs[: j + 1] == mins[j]))  # first index where the running min was reached
    return i, j


def block_features(inside_score: np.ndarray, n: int) -> tuple[np.ndarray, tuple[int, int] | None]:
    """inside / before / after flag and log distance to the best block of `inside_score`."""
    out = np.zeros((n, 4))
    bb = best_block(inside_score)
    pos = np.arange(n)
    if bb is None:
        out[:, 3] = np.log1p(n)
        out[:, 1] = 1.0
        return out, bb
    i, j = bb
    out[:, 0] = (pos >= i) & (pos <= j)
    out[:, 1] = pos < i
    out[:, 2] = pos > j
    out[:, 3] = np.log1p(np.maximum(i - pos, 0) + np.maximum(pos - j, 0))
    return out, bb


def prose_score(F: np.ndarray, nch: np.ndarray) -> np.ndarray:
    prose = F[:, _IX["prose"]]
    return np.where(prose > 0, nch / 80.0, -0.5)


# ---------------------------------------------------------------- context features
CTX_COLS = ["log_chars", "log_words", "end_punct", "stop_share", "cap_word_share", "bullet",
            "alpha_share", "has_sep", "prose", "dup", "url"]
WIN_COLS = ["log_chars", "end_punct", "stop_share", "prose", "bullet", "has_sep", "url", "cap_word_share"]
_CTX_IX = [_IX[c] for c in CTX_COLS]
_WIN_IX = [_IX[c] for c in WIN_COLS]
OFFSETS = (-2, -1, 1, 2)
WINDOWS = (3, 8)

CTX_NAMES = ([f"{c}@{o:+d}" for o in OFFSETS for c in CTX_COLS]
             + [f"{c}@win{w}" for w in WINDOWS for c in WIN_COLS]
             + ["in_block", "before_block", "after_block", "log_dist_block",
                "before_first_prose", "after_last_prose", "log_dist_prose",
                "doc_log_lines", "doc_prose_share"])


def shift(A: np.ndarray, o: int) -> np.ndarray:
    """Row i of the result = row i+o of A (zero padded)."""
    out = np.zeros_like(A)
    n = A.shape[0]
    if abs(o) >= n:
        return out
    if o > 0:
        out[: n - o] = A[o:]
    elif o < 0:
        out[-o:] = A[: n + o]
    else:
        out[:] = A
    return out


def window_mean(A: np.ndarray, w: int) -> np.ndarray:
    """Centred mean over +-w rows (edges: mean over available rows)."""
    n = A.shape[0]
    cs = np.zeros((n + 1,) + A.shape[1:])
    np.cumsum(A, axis=0, out=cs[1:])
    lo = np.maximum(np.arange(n) - w, 0)
    hi = np.minimum(np.arange(n) + w + 1, n)
    return (cs[hi] - cs[lo]) / (hi - lo)[:, None]


def context_features(F: np.ndarray, nch: np.ndarray) -> tuple[np.ndarray, tuple[int, int] | None]:
    n = F.shape[0]
    C = F[:, _CTX_IX]
    parts = [shift(C, o) for o in OFFSETS]
    W = F[:, _WIN_IX]
    parts += [window_mean(W, w) for w in WINDOWS]
    blk, bb = block_features(prose_score(F, nch), n)
    parts.append(blk)
    prose = F[:, _IX["prose"]] > 0
    pos = np.arange(n)
    extra = np.zeros((n, 5))
    if prose.any():
        pi = np.nonzero(prose)[0]
        extra[:, 0] = pos < pi[0]
        extra[:, 1] = pos > pi[-1]
        k = np.searchsorted(pi, pos)
        d1 = np.abs(pos - pi[np.minimum(k, len(pi) - 1)])
        d2 = np.abs(pos - pi[np.maximum(k - 1, 0)])
        extra[:, 2] = np.log1p(np.minimum(d1, d2))
    else:
        extra[:, 0] = 1.0
        extra[:, 2] = np.log1p(n)
    extra[:, 3] = np.log1p(n)
    extra[:, 4] = prose.mean() if n else 0.0
    parts.append(extra)
    return np.concatenate(parts, axis=1), bb


# ---------------------------------------------------------------- stage 2 features
S2_OFFSETS = (-3, -2, -1, 1, 2, 3)
S2_WINDOWS = (2, 5, 12)
S2_NAMES = (["s1_logit"] + [f"s1@{o:+d}" for o in S2_OFFSETS]
            + [f"s1_win{w}" for w in S2_WINDOWS]
            + ["s1_in_block", "s1_before_block", "s1_after_block", "s1_log_dist_block",
               "s1_doc_mean", "s1_doc_max", "s1_rank"])


def stage2_features(p: np.ndarray) -> np.ndarray:
    n = len(p)
    pc = np.clip(p, 1e-4, 1 - 1e-4)
    lg = np.log(pc / (1 - pc))
    P = p[:, None]
    parts = [lg[:, None]] + [shift(P, o) for o in S2_OFFSETS] + [window_mean(P, w) for w in S2_WINDOWS]
    blk, _ = block_features(p - 0.5, n)
    parts.append(blk)
    ex = np.zeros((n, 3))
    if n:
        ex[:, 0] = p.mean()
        ex[:, 1] = p.max()
        ex[:, 2] = p / max(p.max(), 1e-6)
    parts.append(ex)
    return np.concatenate(parts, axis=1)


def doc_features(lines: Sequence[str]) -> tuple[np.ndarray, tuple[int, int] | None]:
    """Stage-1 features of a document's lines (line and context), and its densest block of prose."""
    if not lines:
        return np.zeros((0, len(FEATURE_NAMES))), None
    F, nch = line_features(lines)
    Cx, bb = context_features(F, nch)
    return np.concatenate([F, Cx], axis=1), bb


FEATURE_NAMES = LINE_NAMES + CTX_NAMES
