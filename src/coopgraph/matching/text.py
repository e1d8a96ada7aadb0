"""Words of offers, requests and activities: tokens and TF-IDF cosine, in English, Spanish and French.

The texts of the graph are short (labels, descriptions, aims) and in the languages the documents
use, so the tokens are plain: accents folded, lower case, words of three letters or more, the
common words of the three languages dropped, a final ``s`` dropped from longer words (``films``
and ``film`` meet; ``archivos`` and ``archivo`` too).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORD_TEXT = """
    the and for with from that this these those into their there which what when where will would
    have has had was were are been being its our your they them than then also such other more most
    between about among through under over within without each every some any all both same very can
    may shall should must not but per via who whom whose how
    los las del con por para una uno unos unas que como entre sobre sus ser han fue son esta este
    estos estas ese esos esa esas hacia desde cada otro otra otros otras mas muy tambien donde cuando
    les des aux avec pour dans sur une qui que est sont par ces cette entre leur leurs plus ainsi
    """
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
"""Common words of English, Spanish and French that say nothing about a field of cooperation."""


def tokens(text: str) -> list[str]:
    """The words of ``text`` that matching compares.

    Examples
    --------
    >>> tokens("Co-production of Films and the Audiovisual sector; producción audiovisual")
    ['production', 'film', 'audiovisual', 'sector', 'produccion', 'audiovisual']
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out: list[str] = []
    for word in _WORD.findall(folded):
        if len(word) < 3 or word in STOPWORDS or word.isdigit():
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


def bag(texts: Iterable[str]) -> Counter[str]:
    """The token counts of several texts together.

    >>> bag(["film film", "films"])["film"]
    3
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(tokens(text))
    return counts


class TextIndex:
    """TF-IDF vectors of a set of documents, with an inverted index for cosine queries.

    Parameters
    ----------
    documents
        Token counts by document key.

    Examples
    --------
    >>> index = TextIndex({"a": bag(["film festival"]), "b": bag(["museum archive"])})
    >>> {k: round(v, 3) for k, v in index.query(bag(["films"])).items()}
    {'a': 0.707}
    """

    def __init__(self, documents: Mapping[str, Counter[str]]) -> None:
        n = max(len(documents), 1)
        df: Counter[str] = Counter()
        for counts in documents.values():
            df.update(counts.keys())
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
        self.postings: dict[str, list[tuple[str, float]]] = {}
        for key, counts in documents.items():
            vector = {t: (1 + math.log(c)) * self.idf[t] for t, c in counts.items()}
            norm = math.sqrt(sum(w * w for w in vector.values()))
            if norm == 0:
                continue
            for t, w in vector.items():
                self.postings.setdefault(t, []).append((key, w / norm))

    def query(self, counts: Counter[str]) -> dict[str, float]:
        """Cosine similarity of ``counts`` with every document that shares a word with it."""
        unseen = math.log(1 + max(len(self.postings), 1)) + 1.0
        vector = {t: (1 + math.log(c)) * self.idf.get(t, unseen) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in vector.values()))
        if norm == 0:
            return {}
        scores: dict[str, float] = {}
        for t, w in vector.items():
            for key, dw in self.postings.get(t, ()):
                scores[key] = scores.get(key, 0.0) + w / norm * dw
        return scores

    def shared_words(self, counts: Counter[str], other: Counter[str], limit: int = 4) -> list[str]:
        """The words ``counts`` and ``other`` share, rarest first."""
        common = set(counts) & set(other)
        return sorted(common, key=lambda t: (-self.idf.get(t, 0.0), t))[:limit]
