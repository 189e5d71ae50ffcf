"""The pieces of a drawing's HTML-like labels (Graphviz's tables), and the
one way text gets into them: ``text()``. Labels and names are data: they are
escaped here, line breaks included, and nothing a user passes reaches DOT
otherwise.
"""

from __future__ import annotations

import html
import math
import re

from autograd.core.value import Value

COLORS = {
    "input": "#cfe8ff",
    "parameter": "#ffe08a",
    "intermediate": "#ffffff",
    "non-finite": "#ff8a8a",
    "constant": "#eeeeee",
}

# Characters XML cannot hold (graphviz parses HTML-like labels as XML): C0
# controls become their Unicode control pictures, the rest U+FFFD.
_UNPRINTABLE = {
    **{c: 0x2400 + c for c in range(0x20)},
    0x7F: 0x2421,
    **{c: 0xFFFD for c in range(0xD800, 0xE000)},
    0xFFFE: 0xFFFD,
    0xFFFF: 0xFFFD,
}


def text(anything: str) -> str:
    """Any text as the text of an HTML-like label, line breaks kept.

    Graphviz expands ``\\N`` (the node's id), ``\\G`` and the like even in
    HTML-like labels, and reads ``\\\\`` as one backslash: hence the doubling.

    Examples:
        >>> text("a<b\\nc")
        'a&lt;b<BR/>c'
    """
    lines = re.split(r"\r\n|\r|\n", str(anything))
    return "<BR/>".join(
        html.escape(line.translate(_UNPRINTABLE)).replace("\\", "\\\\") for line in lines
    )


def number(x: float) -> str:
    return f"{x:.4g}"


def number_range(xs: list[float]) -> str:
    return f"{number(min(xs))} … {number(max(xs))}" if xs else "none"


def finite(node: Value) -> bool:
    return math.isfinite(node.data) and math.isfinite(float(node.grad))


def table(rows: list[str], color: str) -> str:
    return (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3" '
        f'BGCOLOR="{color}">{"".join(rows)}</TABLE>>'
    )


def row(*cells: str, span: int = 1, port: str = "") -> str:
    """One table row; ``span`` widens every cell but the first, and ``port``
    names the first for edges to end at."""
    wide = f' COLSPAN="{span}"' if span > 1 else ""
    first, *rest = cells
    named = f' PORT="{port}"' if port else ""
    return f"<TR><TD{named}>{first}</TD>{''.join(f'<TD{wide}>{c}</TD>' for c in rest)}</TR>"


def heading(title: str, columns: int, color: str) -> str:
    return f'<TR><TD COLSPAN="{columns}" BGCOLOR="{color}"><B>{title}</B></TD></TR>'
