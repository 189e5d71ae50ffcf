"""Exact skips in the batch loop, as hand-written code skips a dead unit.

A zero gradient arriving at a rule that preserves zeros adds only zeros, so
the loop may skip the rule, or, when nothing else is pending, go on to the
next sample. Only where that is exact: every value the skipped work reads
is finite (0 * inf would have made the engine's gradients nan). The
parameters are checked once per batch (``params_finite``); the rest where
the gradient is 0, through one ``isfinite`` of their sum (a value of an op
with ``finite_inputs`` vouches for its inputs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast

from autograd.compile.analysis import Analysis
from autograd.compile.graph import Graph
from autograd.compile.lines import indented, long_sum
from autograd.compile.names import Names
from autograd.compile.templates import is_relu, template
from autograd.core.ops import Op
from autograd.core.value import Value


class BodyWriter(Protocol):
    """What the skips read of the body writer (body.py), which calls them."""

    graph: Graph
    names: Names
    analysis: Analysis

    def gradient_lines(
        self, node: Value, seen: set[Value], accumulate: Callable[[Value], bool]
    ) -> list[str]: ...


SKIP_FROM = 8  # inputs from which the batch loop skips a node's rule on a zero gradient


def _preserves_zeros(node: Value) -> bool:
    found = template(cast(Op, node.op))
    return found is not None and found.zero_preserving


def _vouches(node: Value) -> bool:
    found = template(cast(Op, node.op))
    return found is not None and found.finite_inputs


def worth_skipping(node: Value) -> bool:
    """A wide node whose rule gives exact zeros for a zero gradient: in the
    batch loop, a dead relu upstream (half a layer at the start of
    training) makes its gradient 0, and its rule can be skipped."""
    return len(node.inputs) >= SKIP_FROM and _preserves_zeros(node)


def unless_zero(writer: BodyWriter, node: Value, seen: set[Value], params: set[Value]) -> list[str]:
    """The node's gradient lines under ``if d_node != 0.0``. Gradients first
    written inside start from 0.0 before it, so they exist either way."""
    names, leads = writer.names, writer.analysis.leads_to_params
    new = [x for x in node.inputs if isinstance(x, Value) and x in leads and x not in seen | params]
    starts = [f"d_{names[x]} = 0.0" for x in dict.fromkeys(new)]
    seen.update(new)
    read = [
        names[x] for x in dict.fromkeys(node.inputs) if isinstance(x, Value) and x not in params
    ]
    if read and _vouches(node):
        total = names[node]  # its own value is finite only if all it reads is
    else:
        total = " + ".join(["0.0", *read])
    finite = f"params_finite and isfinite({total})" if read else "params_finite"
    inner = writer.gradient_lines(node, seen, lambda x: x in params)
    return [
        *starts,
        f"if d_{names[node]} != 0.0 or not ({finite}):  # else it adds only zeros",
        *indented(inner),
    ]


def dead_relu_exit(
    writer: BodyWriter, node: Value, seen: set[Value], done: set[Value], params: set[Value]
) -> list[str]:
    """When a relu's gradient is all the rest of the walk depends on and it
    is 0 (a flat hinge, a dead unit), the rest would add only zeros to the
    parameters' sums: go to the next sample. Only where the rest of the walk
    preserves zeros (no division, log or power, where 0 / 0 makes nan) and
    every value it reads is finite."""
    x = node.inputs[0] if node.inputs else None
    if not is_relu(cast(Op, node.op)) or not isinstance(x, Value):
        return []
    if [n for n in seen if n not in done and n not in params] != [x]:
        return []
    leads = writer.analysis.leads_to_params
    rest = [n for n in writer.graph.walk if n.inputs and n in leads and n not in done]
    if not rest or not all(map(_preserves_zeros, rest)):
        return []
    read = {
        v: None for n in rest for v in (n, *n.inputs) if isinstance(v, Value) and v not in params
    }
    # checking a value of an op with finite_inputs checks its inputs too
    vouched = {x for n in read if n.inputs and _vouches(n) for x in n.inputs}
    names = writer.names
    terms = [names[v] for v in read if v not in vouched]
    check = long_sum("values_read", terms, "", zero=False, as_sum=False)  # a finiteness check
    return [
        f"if d_{names[x]} == 0.0 and params_finite:  # nothing flows back: next sample",
        *indented([*check, "if isfinite(values_read):", "    continue"]),
    ]
