"""What ``detect_anomaly()`` checks and how it reports a non-finite result."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from typing import Any

from autograd.core.node import Node
from autograd.core.ops import value_of

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class AnomalyError(ArithmeticError):
    """An op produced nan or inf while ``detect_anomaly()`` was on."""


def user_origin() -> str:
    """``file:line`` of the innermost frame outside this package: the line of
    user code that is creating a node right now."""
    frame = sys._getframe(1)
    while frame is not None and (
        os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _PACKAGE_DIR
    ):
        frame = frame.f_back  # type: ignore[assignment]  # None ends the loop
    if frame is None:
        return "<unknown>"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _describe(operand: Node | float) -> str:
    if isinstance(operand, float):
        return f"constant {operand!r}"
    return f"{operand.label or '<unnamed>'}={operand.data!r}"


def _report(
    phase: str, op: str, results: Sequence[Any], inputs: Sequence[Node | float], origin: str
) -> AnomalyError:
    described = ", ".join(_describe(x) for x in inputs)
    shown = ", ".join(repr(value_of(r)) for r in results)
    return AnomalyError(
        f"{phase} of op {str(op)!r} produced {shown}\n"
        f"  inputs: {described or '(none)'}\n"
        f"  node created at {origin}"
    )


def check_forward(op: str, result: float, inputs: Sequence[Node | float]) -> None:
    if not math.isfinite(result):
        raise _report("forward", op, [result], inputs, user_origin())


def check_backward(node: Node, input_grads: Sequence[Any]) -> None:
    # Constants get a gradient from their rule too, but nobody receives it.
    bad = [
        g
        for x, g in zip(node.inputs, input_grads)
        if not isinstance(x, float) and not math.isfinite(value_of(g))
    ]
    if bad:
        raise _report(
            "backward",
            node.op,
            bad,
            node.inputs,
            node._origin or "<created outside detect_anomaly()>",
        )
