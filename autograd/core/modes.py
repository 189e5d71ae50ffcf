"""The documented global modes: ``no_grad``/``enable_grad``, ``detect_anomaly``,
``watch_data``, and ``no_gc`` (Python's cyclic garbage collector paused).

Each is a context manager that restores the previous setting in ``finally``,
so a block that raises leaves the engine as it found it. They are
process-wide, not per thread: every op reads them, and a ``threading.local``
read costs several times a slot read. The engine itself never changes a mode
to do its own work, so a mode set by one thread is changed only by that
thread's blocks.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TypeVar

from autograd.core.node import Node


@dataclass(frozen=True)
class DataRead:
    """One place where a Value's data reached Python control flow: a
    comparison (``how`` is ``"<"``, ``"<="``, ``">"`` or ``">="``, against
    ``other``), or ``bool``, ``float``, ``int``, ``round``, ``format``,
    ``item`` (``other`` is None). ``result`` is what Python got."""

    node: Node
    how: str
    other: Node | float | None
    result: object


@dataclass(frozen=True)
class Untracked:
    """A Value made outside the graph while ``watch_data()`` watched: by
    ``detach()`` of ``inputs[0]`` (``op`` None), or by ``op`` on ``inputs``
    under ``no_grad()``. It is a leaf, but its number came from those
    inputs: ``compile_grad`` computes it from them on every call."""

    node: Node
    op: str | None
    inputs: tuple[Node | float, ...]


class _Modes:
    """The only global state in the engine; read on every op, so slots."""

    __slots__ = ("recording", "anomaly", "watching", "leaving")

    def __init__(self) -> None:
        self.recording = True  # build the graph; off inside no_grad()
        self.anomaly = False  # check every result; on inside detect_anomaly()
        # Per thread (by threading.get_ident()), inside its watch_data() and
        # watch_untracked() blocks; empty, so false, when no thread watches.
        self.watching: dict[int, list[DataRead]] = {}
        self.leaving: dict[int, list[Untracked]] = {}


modes = _Modes()


@contextmanager
def _recording(on: bool) -> Iterator[None]:
    previous = modes.recording
    modes.recording = on
    try:
        yield
    finally:
        modes.recording = previous


def no_grad() -> AbstractContextManager[None]:
    """Ops inside the block record no graph: results are leaves (op "").

    Examples:
        >>> from autograd import Value
        >>> with no_grad():
        ...     y = Value(2.0) * 3
        >>> (y.data, y.op, y.inputs)
        (6.0, '', ())
    """
    return _recording(False)


def enable_grad() -> AbstractContextManager[None]:
    """Ops inside the block record their graph, even inside ``no_grad()``
    (as ``torch.enable_grad``); the checkers use it.

    Examples:
        >>> from autograd import Value
        >>> with no_grad(), enable_grad():
        ...     y = Value(2.0) * 3
        >>> y.op
        '*'
    """
    return _recording(True)


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """The first op whose result is nan or inf, in forward or in backward,
    raises ``AnomalyError`` naming the op, its inputs and the line of your
    code that created the node.

    Examples:
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


@contextmanager
def watch_data() -> Iterator[list[DataRead]]:
    """Collect every ``DataRead`` inside the block: each time a Value's data
    decides Python control flow (``if z > 0``, ``max(a, b)``, ``float(v)``).
    ``compile_grad`` traces with it to know which branches a graph depends on.
    Only the reads of the thread that opened the block are collected, so
    another thread's comparisons never land in a trace.

    Examples:
        >>> from autograd import Value
        >>> a, b = Value(1.0), Value(2.0)
        >>> with watch_data() as reads:
        ...     bigger = max(a, b)
        >>> [(r.how, r.result) for r in reads]
        [('>', True)]
    """
    with _watching(modes.watching) as reads:
        yield reads


@contextmanager
def watch_untracked() -> Iterator[list[Untracked]]:
    """Collect every ``Untracked`` Value its thread makes inside the block:
    one whose number left the graph, by ``detach()`` or an op under
    ``no_grad()``. ``compile_grad`` traces with it, so that the compiled
    code computes such a value from its source on every call.

    Examples:
        >>> from autograd import Value
        >>> x = Value(2.0)
        >>> with watch_untracked() as made:
        ...     y = (x * 3).detach()
        >>> [(u.node is y, u.op, u.inputs[0].data) for u in made]
        [(True, None, 6.0)]
    """
    with _watching(modes.leaving) as made:
        yield made


Seen = TypeVar("Seen")


@contextmanager
def _watching(watches: dict[int, list[Seen]]) -> Iterator[list[Seen]]:
    """A new list in ``watches`` for this thread inside the block (threads
    watch apart, so two traces at once each see their own), its previous
    one after."""
    thread = threading.get_ident()
    previous = watches.get(thread)
    found: list[Seen] = []
    watches[thread] = found
    try:
        yield found
    finally:
        if previous is None:
            del watches[thread]
        else:
            watches[thread] = previous


class _Collector:
    """Who has paused Python's cyclic garbage collector with ``no_gc()``:
    the count of open blocks in every thread, and whether it ran before the
    first of them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pauses = 0
        self.was_enabled = False


_collector = _Collector()


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the block, and restore
    it after, even when the block raises.

    glassgrad's graphs hold no reference cycles, so reference counting frees
    a graph the moment its last Value is dropped; the cyclic collector finds
    nothing in them, yet while a big graph is alive each of its passes walks
    every node (a 2-16-16-1 step over 1,600 points spends a sixth of its time
    there). Wrap a training step in ``no_gc()`` and its cost stays flat as
    the graph grows; ``fit`` does so for each batch.

    The collector is process-wide state: the first block to open (in any
    thread) pauses it, the last to close restores what it was, so blocks in
    several threads, or nested, never turn it on early; one that was off
    before stays off. Your own cyclic garbage made inside the block waits
    for the collector's next run after it.

    Examples:
        >>> import gc
        >>> with no_gc():
        ...     paused = not gc.isenabled()
        >>> paused, gc.isenabled()
        (True, True)
    """
    with _collector.lock:
        if _collector.pauses == 0:
            _collector.was_enabled = gc.isenabled()
            gc.disable()
        _collector.pauses += 1
    try:
        yield
    finally:
        with _collector.lock:
            _collector.pauses -= 1
            if _collector.pauses == 0 and _collector.was_enabled:
                gc.enable()
