"""Contradictions: two documents giving different values for the same claim subject.

Claims are grouped by (subject, unit) — the block — so this is one pass over claims.
Values within `TOLERANCE` (relative) agree; a claim with a range (value..value_max)
agrees with any value inside it.
"""
from __future__ import annotations

from typing import Optional

from dyad.model import Claim, Contradiction

TOLERANCE = 0.01


def _bounds(c: Claim) -> tuple[float, float]:
    hi = getattr(c, "value_max", None)
    return (c.value, hi if hi is not None and hi >= c.value else c.value)


def disagree(a: Claim, b: Claim, tolerance: float = TOLERANCE) -> bool:
    (alo, ahi), (blo, bhi) = _bounds(a), _bounds(b)
    slack = tolerance * max(abs(ahi), abs(bhi), 1e-12)
    return alo > bhi + slack or blo > ahi + slack


def claim_block(c: Claim) -> tuple[str, str]:
    return (c.subject, c.unit)


def contradiction_in(subject: str, claims: list[Claim], tolerance: float = TOLERANCE) -> Optional[Contradiction]:
    """The contradiction among one block's claims, if any: claims of different documents
    that disagree. Pure, so blocks can be checked anywhere."""
    if len({c.doc_id for c in claims}) < 2:
        return None
    claims = sorted(claims, key=lambda c: (c.value, c.doc_id, c.start))
    # sorted by value, so comparing the extremes of different documents suffices
    involved = {id(a): a for a in claims for b in (claims[0], claims[-1])
                if a.doc_id != b.doc_id and disagree(a, b, tolerance)}
    return Contradiction(subject=subject, claims=list(involved.values())) if involved else None
