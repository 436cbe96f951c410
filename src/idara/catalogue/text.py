"""Search normalisation for French, Arabic, Darija and Arabizi: fold, tokenise, stem.

Index and query go through the same functions, so whatever they do is symmetric. The
Arabic rules follow the "light10" stemmer (Larkey, Ballesteros and Connell, 2007): letter
variants unified, diacritics and tatweel dropped, a short list of prefixes and suffixes
removed. French gets a light stemmer in the spirit of Savoy's (plurals, final -e).
Arabizi (Darija in Latin letters) writes some Arabic sounds with digits: 9 for ق, 7 for ح,
3 for ع; those are mapped to letters so that "lbita9a" and "lbitaqa" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ک": "ك",
        "ڭ": "ك",
        "گ": "ك",
        "ی": "ي",
        "ڤ": "ف",
        "پ": "ب",
        "چ": "ج",
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Eastern Arabic-Indic digits
    }
)
_LATIN_MAP = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "’": "'", "ʼ": "'"})
_ARABIZI_DIGITS = str.maketrans({"2": "", "3": "a", "5": "kh", "7": "h", "8": "gh", "9": "q"})

# A word in the source text, diacritics included (for highlighting the original spelling).
WORD = re.compile(r"[^\W_]+(?:[\u064b-\u065f\u0670\u0640][^\W_]*)*|[^\W_]", re.UNICODE)
_TOKEN = re.compile(r"[a-z0-9]+|[\u0621-\u064a]+")

_CONSONANTS = frozenset("bcdfgjkmnpqrstvwxz")
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cette",
        "comment",
        "d",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "est",
        "et",
        "il",
        "j",
        "je",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "ma",
        "me",
        "mes",
        "mon",
        "ne",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "ton",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "faire",
        "fait",
        "faut",
        "veux",
        "voudrais",
        "dois",
        "doit",
        "puis",
        "peux",
        "ai",
        "svp",
        "stp",
        "في",
        "من",
        "على",
        "الي",
        "الى",
        "عن",
        "او",
        "ما",
        "كيف",
        "هل",
        "ماذا",
        "التي",
        "الذي",
        "هذا",
        "هذه",
        "مع",
        "ان",
        "لا",
        "بعد",
        "قبل",
        "كل",
        "ديال",
        "ديالي",
        "ديالو",
        "شنو",
        "اشنو",
        "كيفاش",
        "واش",
        "بغيت",
        "نبغي",
        "نقدر",
        "باش",
        "فين",
        "علاش",
        "اش",
        "شي",
        "dyal",
        "dial",
        "chno",
        "achno",
        "kifach",
        "kifash",
        "wach",
        "ndir",
        "bghit",
        "bghina",
        "n9der",
        "nqder",
        "bach",
        "fin",
        "fen",
        "3lach",
        "ach",
        "chi",
    ]
)


def _accent_table() -> dict[int, str]:
    # Latin letters with diacritics (é, ç, ñ, ...) to their base letters, computed once.
    table = {}
    for code in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        if base and base.isascii() and base != chr(code):
            table[code] = base
    return table


_FOLD = {**_accent_table(), **_LATIN_MAP, **_ARABIC_MAP}


def fold(text: str) -> str:
    """Lower-case, compose, drop Latin accents and Arabic diacritics, unify letter variants."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _ARABIC_MARKS.sub("", text).translate(_FOLD)


def _stem_arabic(word: str) -> str:
    # Unlike light10, a lone و is kept: stripping it breaks words such as وطنية.
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    # الإلكترونية folds to الالكترونيه: the article before a word that itself starts with ال.
    if word.startswith("ال") and len(word) >= 5:
        word = word[2:]
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def _collapse_doubles(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def _stem_latin(word: str) -> str:
    if any(c.isdigit() for c in word):
        if word.isdigit():
            return word
        word = word.translate(_ARABIZI_DIGITS)
    # The Darija article glued to a word ("lpermis", "lbasbor"); no French word starts so.
    if len(word) >= 4 and word[0] == "l" and word[1] in _CONSONANTS:
        word = word[1:]
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return _collapse_doubles(word)


@lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str:
    """The index term of one folded word, or "" for a stopword."""
    if word in STOPWORDS:
        return ""
    if "\u0621" <= word[0] <= "\u064a":
        return _stem_arabic(word)
    return _stem_latin(word)


def tokens(text: str) -> list[str]:
    """The index terms of a text, in order (stopwords removed)."""
    # Short texts (document names, aliases, authorities) repeat across services: cache them.
    if len(text) <= 200:
        return list(_short_tokens(text))
    return _tokenise(text)


@lru_cache(maxsize=100_000)
def _short_tokens(text: str) -> tuple[str, ...]:
    return tuple(_tokenise(text))


def _tokenise(text: str) -> list[str]:
    out = []
    for word in _TOKEN.findall(fold(text)):
        term = normalise_word(word)
        if term:
            out.append(term)
    return out


@lru_cache(maxsize=100_000)
def term_of(word: str) -> str:
    """The index term of one word as written in a text (for highlighting), or ""."""
    found = _TOKEN.findall(fold(word))
    return normalise_word(found[0]) if len(found) == 1 else ""


def slugify(text: str, *, max_length: int = 80) -> str:
    """A readable ASCII slug of a French title, cut at a word boundary."""
    # Elided articles (d', l') would leave one-letter words in the address.
    words = [w for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 1 or w.isdigit()]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "service"


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, giving up (returning limit + 1) past the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
