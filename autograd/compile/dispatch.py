"""Which code runs a call: the compiled versions, one per outcome of the
guards, tried in turn; a retrace when none matches (up to
``MAX_VERSIONS``); else the engine. ``Versions`` holds them and runs
everything but the one-call hot path, which ``CompiledStep.__call__`` keeps
inline for speed."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from autograd.compile.dialects import GuardFailed
from autograd.compile.sources import Generated, SourceFiles
from autograd.compile.trace import Tracer
from autograd.compile.version import Version
from autograd.core import hooks
from autograd.core.grad import grad
from autograd.core.modes import modes
from autograd.core.value import Value

MAX_VERSIONS = 8
"""How many compiled versions a step keeps, one per outcome of the
comparisons ``fn`` makes on Values (``if z > 0``). A call matching none of
them past this bound runs on the engine (``stats.fallbacks``)."""

# What plain-float code raises where the engine gives inf or nan (x / 0,
# exp overflow, log of a negative), or where arguments do not fit the trace:
# the call runs on the engine instead, which gives its own result or error.
FALLBACK_ERRORS = (ArithmeticError, ValueError, TypeError)
NOT_COMPILED = (GuardFailed, *FALLBACK_ERRORS)


@dataclass
class Stats:
    """What a step's calls ran on: ``compiled`` calls (a batch is one, a
    training loop one per step), ``fallbacks`` to the engine (per call, or
    per sample of a batch), ``retraces`` (a new version compiled), and
    ``python_loops``: numpy batches that ran in the Python loop instead."""

    compiled: int = 0
    fallbacks: int = 0
    retraces: int = 0
    python_loops: int = 0


class Versions:
    def __init__(self, tracer: Tracer, name: str, backend: str) -> None:
        self.tracer = tracer
        self.name = name
        self.backend = backend
        self.stats = Stats()
        self.all: list[Version] = []
        self.written: list[tuple[int, Value]] = []  # the parameters the versions add into
        self.sources = SourceFiles()
        self._tracing = threading.Lock()  # one trace at a time: versions stay bounded

    def trace(self, args: Sequence[object]) -> Value:
        """Trace fn at ``args`` as a new version; the loss it recorded."""
        params = self.tracer.params
        known = len(params)
        loss, graph = self.tracer.trace(args)
        if len(params) > known:  # new parameters: earlier versions must take them too
            for earlier in self.all:
                earlier.build()
        self.all.append(Version(graph, f"{self.name} v{len(self.all) + 1}", self.sources))
        self.written = [(i, params[i]) for i in sorted({i for v in self.all for i in v.reached})]
        return loss

    def retrace(self, args: Sequence[object]) -> Value | None:
        """A new version for ``args``, or None past ``MAX_VERSIONS``."""
        with self._tracing:
            if len(self.all) >= MAX_VERSIONS:
                return None
            self.stats.retraces += 1
            return self.trace(args)

    def eager_reason(self) -> str:
        if self.tracer.hooks_seen != hooks.registered.count:
            self.tracer.look_for_hooks()
        if self.tracer.eager_only:
            return self.tracer.eager_only
        if modes.anomaly:
            return "anomaly mode is on"
        if not modes.recording:
            return "no_grad() is on"
        for p in self.tracer.params:  # a loop reads slots faster than any(map(attrgetter))
            if p._hooks:
                return "a parameter has a hook"
        return ""

    def eager(self, args: Sequence[object]) -> float:
        """``fn(*args).backward()`` on the engine."""
        self.stats.fallbacks += 1
        loss = self.tracer.fn(*self.tracer.leaves(args))
        loss.backward()
        return loss.data

    def evaluate(self, values: list[float], args: Sequence[object]) -> tuple[float, list[float]]:
        """(loss, gradients) on floats, writing no Value: a matching version,
        else a retrace, else the engine (the parameters hold ``values`` while
        a Value must be made). A retrace that finds a new parameter appends
        its data to ``values``, and its gradient to every result after."""
        params = self.tracer.params
        values.extend(p.data for p in params[len(values) :])
        for version in self.all:
            try:
                result: tuple[float, list[float]] = version.single(
                    values, version.zero_start, *args
                )
            except GuardFailed:
                continue
            except FALLBACK_ERRORS:
                break
            self.stats.compiled += 1
            return result
        else:
            with _holding(self.tracer.params, values):
                traced = self.retrace(args)
                if traced is not None:
                    return self._floats(traced)
        self.stats.fallbacks += 1
        with _holding(self.tracer.params, values):
            return self._floats(self.tracer.fn(*self.tracer.leaves(args)))

    def _floats(self, loss: Value) -> tuple[float, list[float]]:
        return loss.data, [g.data for g in grad(loss, self.tracer.params)]

    def batch(
        self, values: list[float], samples: list[Sequence[object]], seed: float
    ) -> tuple[Any, list[Any]]:
        """The summed loss, and the gradients over ``samples`` with each
        sample's loss seeded with ``seed`` (see Functions.batch): the numpy
        batch, else the generated loop, else sample by sample."""
        if len(self.all) == 1:
            found = self._one_version_batch(self.all[0], values, samples, seed)
            if found is not None:
                self.stats.compiled += 1
                return found
        total, sums = 0.0, [-0.0] * len(values)  # -0.0 + g is g: see Functions.batch
        for sample in samples:  # each finds its version, retraces or falls back
            loss, grads = self.evaluate(values, sample)
            total += loss
            sums += [-0.0] * (len(grads) - len(sums))  # a retrace found a parameter
            sums = [a + b * seed for a, b in zip(sums, grads, strict=True)]
        return total, sums

    def train(
        self, samples: list[Sequence[object]], steps: int, lr: float, seed: float
    ) -> tuple[float, list[float], list[float]] | None:
        """``steps`` SGD iterations in the generated training loop: the last
        summed loss, the weights and the last gradients; None where it cannot
        run, having changed nothing (the weights are locals)."""
        if self.backend != "python" or len(self.all) != 1 or self.eager_reason():
            return None
        function = self.all[0].train()
        if function is None:
            return None
        try:
            loss, weights, grads = function(
                [p.data for p in self.tracer.params], samples, steps, lr, seed
            )
        except NOT_COMPILED:
            return None
        self.stats.compiled += steps
        return loss, weights, grads

    def _one_version_batch(
        self, version: Version, values: list[float], samples: list[Sequence[object]], seed: float
    ) -> tuple[float, list[float]] | None:
        if self.backend == "numpy":
            function = version.numpy()
            if function is not None:
                arrays = _numpy_batch(function, values, samples, seed)
                if arrays is not None:
                    return arrays
            self.stats.python_loops += 1
        try:
            found: tuple[float, list[float]] = version.batch()(values, samples, seed)
        except NOT_COMPILED:
            return None
        return found


def _numpy_batch(
    function: Generated, values: list[float], samples: list[Sequence[object]], seed: float
) -> tuple[float, list[float]] | None:
    """The numpy batch's result as floats, or None when a guard failed or a
    number is not finite (the Python loop then decides, sample by sample)."""
    import numpy as np

    try:
        with np.errstate(all="ignore"):
            loss, grads = function(values, samples, seed)
    except NOT_COMPILED:
        return None
    result = float(loss), [float(g) for g in grads]
    if not (math.isfinite(result[0]) and all(map(math.isfinite, result[1]))):
        return None
    return result


@contextmanager
def _holding(params: list[Value], values: list[float]) -> Iterator[None]:
    """The parameters hold ``values`` inside the block, their own data after
    (those there when it opened: a retrace inside may append more)."""
    held = list(params)
    saved = [p.data for p in held]
    for p, v in zip(held, values, strict=True):
        p.data = v
    try:
        yield
    finally:
        for p, v in zip(held, saved, strict=True):
            p.data = v
