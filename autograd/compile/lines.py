"""How generated lines are laid out: indented blocks, lists of names
wrapped at ``LINE_LENGTH``, and long sums split over lines."""

from __future__ import annotations

import sys

TERMS_PER_LINE = 32
"""A long sum or dot is written over several lines of at most this many
terms (``v = v + t32 + ...``): a 10,000-term expression on one line would
exceed the depth ``compile()`` accepts."""

LINE_LENGTH = 96  # where lists of names (parameters, gradients) wrap

ADDS_AS_SUM = sys.version_info >= (3, 12)
"""From Python 3.12 on, ``sum()`` of floats compensates its rounding, so
``0.0 + t0 + t1`` and ``sum((t0, t1), 0.0)`` may differ in the last bit. The
engine's sums and dots call ``sum()``; there, the generated ones do too."""


def indented(lines: list[str]) -> list[str]:
    return [f"    {line}" for line in lines]


def rows(names: list[str], separator: str) -> list[str]:
    """The names joined by ``separator``, over rows of about LINE_LENGTH."""
    found: list[list[str]] = [[]]
    width = 0
    for name in names:
        if found[-1] and width + len(name) + len(separator) > LINE_LENGTH:
            found.append([])
            width = 0
        found[-1].append(name)
        width += len(name) + len(separator)
    return [separator.join(row) for row in found]


def wrapped(names: list[str], head: str, tail: str) -> list[str]:
    """``head names... tail``, the names wrapped over lines of LINE_LENGTH."""
    one_line = f"{head}{', '.join(names)}{tail}"
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    return [head, *indented([f"{row}," for row in rows(names, ", ")]), tail.lstrip(",")]


def long_sum(
    name: str, terms: list[str], comment: str, zero: bool = True, as_sum: bool = ADDS_AS_SUM
) -> list[str]:
    """``name = 0.0 + t0 + t1 + ...`` as Python's ``sum(terms, 0.0)`` adds,
    left to right, over lines of TERMS_PER_LINE terms. Without ``zero``,
    ``name = t0 + t1 + ...``: one addition fewer, and the same number but
    where every term is -0.0 (the total is then -0.0, not 0.0), which the
    batch loop, within 1e-12 of the engine, allows. With ``as_sum``,
    ``name = sum((t0, t1, ...), 0.0)``, as the engine adds where
    ``ADDS_AS_SUM``."""
    note = f"  # {comment}" if comment else ""
    if as_sum:
        return _sum_call(name, terms, note)
    lines, head = [], "0.0"
    if not zero and terms:
        head, terms = terms[0], terms[1:]
    for start in range(0, max(len(terms), 1), TERMS_PER_LINE):
        chunk = terms[start : start + TERMS_PER_LINE]
        lines.append(f"{name} = {' + '.join([head, *chunk])}{note}")
        head, note = name, ""
    return lines


def _sum_call(name: str, terms: list[str], note: str) -> list[str]:
    if len(terms) <= 4:
        return [f"{name} = sum(({', '.join(terms)},), 0.0){note}"]
    return [f"{name} = sum(({note}", *indented([f"{row}," for row in rows(terms, ", ")]), "), 0.0)"]
