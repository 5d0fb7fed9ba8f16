"""Language guess from stopword density, using the stoplists jusText ships."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import justext

# jusText stoplist name → ISO 639-1, for the languages most news here comes in.
STOPLISTS = {
    "English": "en", "Spanish": "es", "French": "fr", "German": "de", "Italian": "it",
    "Portuguese": "pt", "Dutch": "nl", "Russian": "ru", "Arabic": "ar", "Turkish": "tr",
    "Indonesian": "id", "Polish": "pl", "Swedish": "sv", "Ukrainian": "uk", "Latvian": "lv",
}
MIN_DENSITY = 0.15  # below this share of stopwords no language is claimed
SAMPLE_WORDS = 400
SAMPLE_CHARS = 5000
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def languages_by_stopword() -> dict[str, tuple[str, ...]]:
    """Stopword → the languages listing it, so a text is scanned once."""
    index: dict[str, list[str]] = {}
    for name, code in STOPLISTS.items():
        for word in justext.get_stoplist(name):
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the language whose stopwords cover most of the text, or None."""
    words = [w.lower() for w in WORD.findall(text[:SAMPLE_CHARS])][:SAMPLE_WORDS]
    if len(words) < 10:
        return None
    index = languages_by_stopword()
    hits = Counter(code for word in words for code in index.get(word, ()))
    if not hits:
        return None
    code, count = hits.most_common(1)[0]
    return code if count / len(words) >= MIN_DENSITY else None
