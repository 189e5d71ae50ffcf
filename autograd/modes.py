"""The two documented global modes: ``no_grad`` and ``detect_anomaly``.

Both are context managers that restore the previous setting in ``finally``,
so a block that raises leaves the engine as it found it. They are process-wide,
not per thread: every op reads them, and a ``threading.local`` read costs
several times a slot read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class _Modes:
    """The only global state in the engine; read on every op, so two flags."""

    __slots__ = ("recording", "anomaly")

    def __init__(self) -> None:
        self.recording = True  # build the graph; off inside no_grad()
        self.anomaly = False  # check every result; on inside detect_anomaly()


modes = _Modes()


@contextmanager
def no_grad() -> Iterator[None]:
    """Ops inside the block record no graph: results are leaves (op "").

    >>> from autograd import Value
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> (y.data, y.op, y.inputs)
    (6.0, '', ())
    """
    previous = modes.recording
    modes.recording = False
    try:
        yield
    finally:
        modes.recording = previous


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """The first op whose result is nan or inf, in forward or in backward,
    raises ``AnomalyError`` naming the op, its inputs and the line of your
    code that created the node.

    >>> from autograd import Value, AnomalyError
    >>> try:
    ...     with detect_anomaly():
    ...         Value(0.0, label="x").log()
    ... except AnomalyError as e:
    ...     print(str(e).splitlines()[0])
    forward of op 'log' produced -inf
    """
    previous = modes.anomaly
    modes.anomaly = True
    try:
        yield
    finally:
        modes.anomaly = previous
