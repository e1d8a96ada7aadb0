"""Why a match was proposed: the reasons in words and the evidence (nodes, activities) behind them."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from typing import Any


def names(items: Sequence[str], limit: int = 3) -> str:
    """Items joined for a sentence: ``A, B and C``, ``A, B, C and 2 more``.

    Examples
    --------
    >>> names(["A"])
    'A'
    >>> names(["A", "B", "C", "D", "E"])
    'A, B and C and 2 more'
    """
    shown = list(items[:limit])
    text = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def evidence_item(iri: str, label: str, kind: str, reason: str) -> dict[str, Any]:
    """One piece of evidence: a node of the graph and the reason it is cited for.

    >>> evidence_item("x", "X", "activity", "sector")
    {'iri': 'x', 'label': 'X', 'type': 'activity', 'reason': 'sector'}
    """
    return {"iri": iri, "label": label, "type": kind, "reason": reason}


class Explanation:
    """Reasons and evidence of one match, collected as the score is explained."""

    def __init__(self, label: Callable[[str], str]) -> None:
        self.label = label
        self.reasons: list[str] = []
        self.evidence: list[dict[str, Any]] = []
        self._seen: set[tuple[str, str]] = set()

    def cite(self, iris: Iterable[str], kind: str, reason: str, limit: int = 3) -> list[str]:
        """Add up to ``limit`` nodes as evidence; their labels, sorted."""
        chosen = heapq.nsmallest(limit, set(iris), key=lambda i: (self.label(i), i))
        for iri in chosen:
            if (iri, reason) not in self._seen:
                self._seen.add((iri, reason))
                self.evidence.append(evidence_item(iri, self.label(iri), kind, reason))
        return [self.label(i) for i in chosen]

    def say(self, text: str) -> None:
        """Add a reason in words."""
        self.reasons.append(text)

    def text(self) -> str:
        """The reasons, joined."""
        return "; ".join(self.reasons)
