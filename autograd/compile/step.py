"""``compile_grad``: trace a loss once, run it as generated plain-float code.

``compile_grad(fn, *example_args)`` calls ``fn`` once on Values made from the
example arguments and compiles the graph that call recorded (the recorded
graph *is* the trace) into one straight-line Python function on floats: the
forward pass, then the backward pass, one statement per node, in the
engine's order and with its arithmetic, so its gradients are bitwise those
of ``fn(*args).backward()``. ``step.source`` shows it.

The pieces, each in its own file: ``trace.py`` (fn called on Values, its
graph the trace), ``program.py``/``analysis.py``/``names.py``/``dots.py``
(what to write), ``body.py``/``skips.py``/``functions.py``/``templates.py``
(the writing), ``version.py``/``sources.py`` (one trace compiled, and where
its source lives), ``dispatch.py`` (which version runs a call).

Examples:
    >>> from autograd import Value
    >>> w = Value(0.5, label="w")
    >>> step = compile_grad(lambda x: (w * x).sigmoid(), 2.0)
    >>> round(step(2.0), 6), round(w.grad, 6)
    (0.731059, 0.393224)
    >>> print(step.source)
    def loss_and_grad(params, grads, x):
        # parameters, in order
        w, = params
        # their gradients so far
        d_w, = grads
        # forward
        v1 = w * x
        loss = 1.0 / (1.0 + exp(-v1)) if v1 >= 0.0 else exp(v1) / (1.0 + exp(v1))  # sigmoid
        # backward: each node's gradient, then what it adds to its inputs'
        d_loss = 1.0
        d_v1 = d_loss * loss * (1.0 - loss)  # sigmoid: out * (1 - out)
        d_w += d_v1 * x
        return loss, [d_w]
    <BLANKLINE>
"""

from __future__ import annotations

import math
import numbers
import os
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from autograd.compile.dialects import GuardFailed
from autograd.compile.dispatch import FALLBACK_ERRORS, MAX_VERSIONS, Stats, Versions
from autograd.compile.names import identifier
from autograd.compile.trace import CompileError, Params, Tracer
from autograd.compile.version import Version
from autograd.core import hooks
from autograd.core.modes import modes
from autograd.core.value import Value

__all__ = ["CompileError", "CompiledStep", "MAX_VERSIONS", "Stats", "compile_grad"]

Backend = Literal["python", "numpy"]
Reduce = Literal["sum", "mean"]


class CompiledStep:
    """A loss compiled by ``compile_grad``; see there."""

    def __init__(
        self,
        fn: Callable[..., Value],
        example_args: tuple[object, ...],
        params: Params | None,
        backend: Backend,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"compile_grad needs a function, got {type(fn).__name__}")
        if backend not in ("python", "numpy"):
            raise ValueError(f"backend must be 'python' or 'numpy', got {backend!r}")
        if backend == "numpy":
            _require_numpy()
        self.fn = fn
        self.backend = backend
        self.name = identifier(getattr(fn, "__name__", "")) or "fn"
        self._tracer = Tracer(fn, len(example_args), params)
        self._versions = Versions(self._tracer, self.name, backend)
        weakref.finalize(self, self._versions.sources.forget)
        self._versions.trace(example_args)

    @property
    def params(self) -> list[Value]:
        """The parameters, in the order the generated code takes them."""
        return self._tracer.params

    @property
    def arg_names(self) -> list[str]:
        """The names the generated code gives fn's arguments."""
        return self._tracer.arg_names

    @property
    def versions(self) -> list[Version]:
        """One compiled version per outcome of fn's comparisons, at most
        ``MAX_VERSIONS`` (8); ``versions[i].source`` is each one's code."""
        return self._versions.all

    @property
    def stats(self) -> Stats:
        """What the calls ran on: compiled code, the engine, retraces."""
        return self._versions.stats

    # --- calling ---

    def __call__(self, *args: object) -> float:
        """The loss at ``args``; adds the gradient into each parameter's
        ``.grad``, exactly as ``fn(*args).backward()``."""
        # The eager checks and the reads of the parameters, in one pass: on
        # a small graph this bookkeeping costs as much as the generated code.
        versions, params = self._versions, self._tracer.params
        args = self._tracer.numbers(args)
        if self._tracer.hooks_seen != hooks.registered.count:
            self._tracer.look_for_hooks()
        if self._tracer.eager_only or modes.anomaly or not modes.recording:
            return versions.eager(args)
        values: list[float] = []
        start: list[float] = []
        for p in params:
            if p._hooks:
                return versions.eager(args)
            values.append(p.data)
            g = p.grad
            start.append(-0.0 if g is None else g)  # -0.0 + g is g, as the engine takes g
        for version in versions.all:
            try:
                loss, grads = version.single(values, start, *args)
            except GuardFailed:
                continue
            except FALLBACK_ERRORS:
                break
            for i in version.wide_indices:
                grads[i] = start[i] + grads[i]
            for i in version.reached:
                params[i].grad = grads[i]
            versions.stats.compiled += 1
            return loss  # type: ignore[no-any-return]  # its arguments are floats
        else:
            traced = versions.retrace(args)
            if traced is not None:
                traced.backward()
                return traced.data
        return versions.eager(args)

    def functional(self, param_values: Iterable[float], *args: object) -> tuple[float, list[float]]:
        """``(loss, gradients)`` at ``param_values`` (in ``params`` order) and
        ``args``, as floats, reading and writing no Value: the shape
        ``scipy.optimize.minimize(fun, x0, jac=True)`` wants. It ignores the
        modes and hooks; where it needs the engine (a guard outside every
        version, or an x / 0) the parameters hold ``param_values`` during
        that call and get their data back after it.
        """
        values = list(map(float, param_values))
        if len(values) != len(self.params):
            raise ValueError(f"expected {len(self.params)} parameter values, got {len(values)}")
        return self._versions.evaluate(values, self._tracer.numbers(args))

    def batch(self, samples: Iterable[Sequence[object]], *, reduce: Reduce = "sum") -> float:
        """The summed (``reduce="sum"``) or mean loss over ``samples``, each a
        tuple of ``fn``'s arguments; adds the gradient of that total into each
        parameter's ``.grad``, within 1e-12 of the engine on
        ``Value.sum([fn(*s) for s in samples])`` (divided by their number for
        "mean"). One generated loop runs every sample, summing parameter
        gradients in local variables, written once.

        With ``backend="numpy"`` every per-sample value is an array over the
        batch. If a sample takes another branch than the trace (a guard), or
        the loss or a gradient is not finite, or the graph has a custom op,
        the whole batch runs in the Python loop instead (``stats.python_loops``).
        """
        samples = self._tracer.samples(_checked_samples(samples, reduce))
        versions = self._versions
        if versions.eager_reason():
            versions.stats.fallbacks += len(samples)
            losses = [self.fn(*self._tracer.leaves(sample)) for sample in samples]
            total = Value.sum(losses)
            total = total / len(samples) if reduce == "mean" else total
            total.backward()
            return total.data
        loss: float
        loss, grads = versions.batch([p.data for p in self.params], samples, _seed(samples, reduce))
        if reduce == "mean":
            loss /= len(samples)
        for i, p in versions.written:
            g = grads[i]
            p.grad = g if p.grad is None else p.grad + g
        return loss

    def train(
        self, samples: Iterable[Sequence[object]], *, steps: int, lr: float, reduce: Reduce = "sum"
    ) -> float:
        """``steps`` iterations of plain SGD on ``samples``: zero every
        parameter's ``.grad``, ``batch(samples, reduce=reduce)``, then
        ``p.data -= lr * p.grad``; returns the last iteration's loss (taken
        before its update). The whole loop runs as generated code with the
        weights in local variables (``train_source`` shows it), written
        back once at the end with the last gradients: bitwise what that
        Python loop gives. Where the generated loop cannot run (another
        branch, the engine's inf or nan, several versions, a wide dot, the
        numpy backend, a hook, a mode) the Python loop runs instead.

        Examples:
            >>> w = Value(1.0, label="w")
            >>> step = compile_grad(lambda x: (w * x - 2.0) ** 2, 1.0)
            >>> round(step.train([(1.0,), (2.0,)], steps=100, lr=0.05, reduce="mean"), 6)
            0.4
            >>> round(w.data, 6)
            1.2
        """
        samples = self._tracer.samples(_checked_samples(samples, reduce))
        steps, lr = _checked_steps(steps), _checked_lr(lr)
        params = self.params
        found = self._versions.train(samples, steps, lr, _seed(samples, reduce))
        if found is not None:
            loss, weights, grads = found
            for p, w, g in zip(params, weights, grads, strict=True):
                p.data, p.grad = w, 0.0 + g  # as a .grad zeroed to 0.0 takes g
            return loss / len(samples) if reduce == "mean" else loss
        for _ in range(steps):
            for p in params:
                p.grad = 0.0
            last = self.batch(samples, reduce=reduce)
            for p in params:
                p.data -= lr * p.grad
        return last

    # --- reading the code ---

    @property
    def source(self) -> str:
        """The generated Python of the first version (``fn`` as traced by
        ``compile_grad``); later versions are in ``versions[i].source``."""
        return self.versions[0].source

    def train_source(self) -> str:
        """The generated training loop ``train`` runs (first version): its
        ``seed`` is 1.0 for ``reduce="sum"``, 1.0 / len(samples) for "mean"."""
        source = self.versions[0].train_source()
        if source is None:
            raise ValueError("this step trains in the Python loop (a wide dot): it has no source")
        return source

    def save_source(self, path: str | os.PathLike[str]) -> None:
        """Write the source to ``path`` and run it from there from now on, so
        an editor shows it and ``break path:N`` in pdb stops in it; a later
        retrace that adds a parameter writes the file again. Only a regular
        file is written (not a FIFO or a device)."""
        self.versions[0].save_source(os.fspath(path))

    def __repr__(self) -> str:
        return (
            f"CompiledStep({self.name}, {len(self.params)} params, "
            f"{len(self.versions)} version(s), backend={self.backend!r})"
        )


def compile_grad(
    fn: Callable[..., Value],
    *example_args: object,
    params: Params | None = None,
    backend: Backend = "python",
) -> CompiledStep:
    """Trace ``fn(*example_args)`` once and compile its graph to plain Python.

    ``example_args`` are numbers or (nested) lists or tuples of numbers; each
    number becomes a leaf labelled after its argument (``x[0]``). Every other
    leaf the loss depends on (a model's weights, a captured Value) is a
    *parameter*: each call reads its current ``.data`` and adds into its
    ``.grad``. ``params`` (Values, or ``model.named_parameters()``) fixes their
    order and gives the generated variables their names.

    The step returned is called like ``fn``: ``step(*args)`` returns the loss
    as a float and accumulates gradients bitwise as ``fn(*args).backward()``
    does; ``step.batch(samples)`` runs many samples in one generated loop;
    ``step.train(samples, steps=, lr=)`` runs SGD on them inside generated
    code; ``step.functional(values, *args)`` works on floats only.

    What it keeps from eager semantics, and how:

    * IEEE results: where plain floats raise (x / 0, exp overflow, log of a
      negative, a negative base to a fractional power) the call runs on the
      engine instead, which gives inf or nan (``stats.fallbacks``).
    * Branches: each comparison fn makes on a Value (``if z > 0``,
      ``max(a, b)``, ``bool(v)``) is a guard. A call whose values take
      another branch traces fn again and keeps one compiled version per
      outcome, up to ``MAX_VERSIONS``; past that it runs on the engine.
    * Reading a value as a number (``float(v)``, ``int``, ``round``,
      ``format``, ``v.item()``) is refused here with a ``CompileError``: the
      number could go anywhere (a constant, a print), and the compiled code
      would repeat the trace's number forever. Compare instead, or move the
      read out of fn. Reading ``v.data`` directly cannot be seen: don't.
    * Hooks on a parameter, anomaly mode, or ``no_grad()`` at call time, and
      hooks recorded by fn on any node, run the call on the engine.
    * A non-leaf Value made outside fn and captured is recomputed from its
      leaves on each call (the engine would reuse its old data).
    * A value fn detaches (``v.detach()``) or computes under ``no_grad()``
      is computed afresh on each call, from what it was made of, and no
      gradient flows through it: as on the engine.
    * Arguments are numbers, as the example arguments: a Value passed to a
      call, ``batch``, ``functional`` or ``train`` is a TypeError, and so is
      the wrong number of arguments.
    * The step reads the parameter Values it found at the trace: replacing
      a parameter's Value object (``layer.neurons[0].w[0] = Value(5.0)``)
      needs a new ``compile_grad``; changing its ``.data`` does not.

    Examples:
        >>> from autograd import Value
        >>> a = Value(3.0, label="a")
        >>> step = compile_grad(lambda x: a * x + x * x, 2.0)
        >>> step(2.0), a.grad
        (10.0, 2.0)
        >>> step.params == [a]
        True
    """
    return CompiledStep(fn, example_args, params, backend)


def _checked_samples(samples: Iterable[Sequence[object]], reduce: str) -> list[Sequence[object]]:
    if reduce not in ("sum", "mean"):
        raise ValueError(f"reduce must be 'sum' or 'mean', got {reduce!r}")
    samples = samples if isinstance(samples, list) else list(samples)
    if not samples:
        raise ValueError("a batch needs at least one sample")
    return samples


def _checked_steps(steps: object) -> int:
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be an int >= 1, got {steps!r}")
    return steps


def _checked_lr(lr: object) -> float:
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not 0 <= float(lr) < math.inf:
        raise ValueError(f"lr must be a finite number >= 0, got {lr!r}")
    return float(lr)


def _seed(samples: list[Sequence[object]], reduce: str) -> float:
    """Each sample's loss's gradient: 1.0 in a sum; in a mean, 1.0 / n, as
    the engine passes it back from ``total / n``."""
    return 1.0 / len(samples) if reduce == "mean" else 1.0


def _require_numpy() -> None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise ImportError(
            "compile_grad(..., backend='numpy') needs numpy: pip install numpy "
            "(or use the default backend='python')"
        ) from None
