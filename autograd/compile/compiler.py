"""``compile_grad``: trace a loss once, run it as generated plain-float code.

``compile_grad(fn, *example_args)`` calls ``fn`` once on Values made from the
example arguments and compiles the graph that call recorded (the recorded
graph *is* the trace) into one straight-line Python function on floats: the
forward pass, then the backward pass, one statement per node, in the
engine's order and with its arithmetic, so its gradients are bitwise those
of ``fn(*args).backward()``. ``step.source`` shows it.

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

import builtins
import inspect
import linecache
import math
import os
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from typing import Any, Literal, cast

from autograd.compile import codegen, templates
from autograd.compile.codegen import Argument, Graph, NotCompilable, Program, Structure
from autograd.compile.templates import NUMPY, GuardFailed
from autograd.core.engine import topological_order
from autograd.core.grad import grad
from autograd.core.modes import DataRead, modes, watch_data
from autograd.core.value import Value

MAX_VERSIONS = 8
"""How many compiled versions a step keeps, one per outcome of the
comparisons ``fn`` makes on Values (``if z > 0``). A call matching none of
them past this bound runs on the engine (``stats.fallbacks``)."""

VALUE_READS = ("float", "int", "round", "format", "item")

# What plain-float code raises where the engine gives inf or nan (x / 0,
# exp overflow, log of a negative), or where arguments do not fit the trace:
# the call runs on the engine instead, which gives its own result or error.
FALLBACK_ERRORS = (ArithmeticError, ValueError, TypeError)

Backend = Literal["python", "numpy"]
Params = Iterable[Value] | Iterable[tuple[str, Value]]


class CompileError(ValueError):
    """``fn`` did something the compiled code could not repeat."""


@dataclass
class Stats:
    """What a step's calls ran on: ``compiled`` calls (a batch is one),
    ``fallbacks`` to the engine (per call, or per sample of a batch),
    ``retraces`` (a new version compiled), and ``python_loops``: numpy
    batches that ran in the Python loop instead."""

    compiled: int = 0
    fallbacks: int = 0
    retraces: int = 0
    python_loops: int = 0


_serial = count(1)


class Version:
    """One trace compiled: its graph, its source, and its functions (the
    batch loop and the numpy batch are generated on first use)."""

    def __init__(self, graph: Graph, label: str, filenames: list[str]) -> None:
        self.graph = graph
        self.filename = f"<compile_grad {label}>"
        self.filenames = filenames  # every file name registered with linecache
        self.build()

    def build(self) -> None:
        """Generate and compile the single-call function (again, when a later
        trace found more parameters: the functions take them all)."""
        self.program = Program(self.graph)
        self.source, reached = self.program.single("loss_and_grad")
        self.reached = [i for i, p in enumerate(self.graph.params) if p in reached]
        self.wide_indices = self.program.wide_indices()
        # functional's starting gradients: -0.0 + g is g, as grad() takes a first
        # contribution as it is; a parameter this version never reaches gets 0.0
        self.zero_start = [-0.0 if p in reached else 0.0 for p in self.graph.params]
        self.single = self._define(self.source, "loss_and_grad", self.filename)
        self._batch: Callable[..., tuple[float, list[float]]] | None = None
        self._numpy: Callable[..., tuple[float, list[float]]] | None | Literal[False] = None

    def _define(
        self, source: str, name: str, filename: str, program: Program | None = None
    ) -> Callable[..., tuple[float, list[float]]]:
        """Compile ``source`` under ``filename``, registered with linecache so
        tracebacks and pdb show the generated lines."""
        program = program or self.program
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        self.filenames.append(filename)
        scope = templates.namespace(program.dialect) | program.custom
        if program.constants:
            import numpy as np

            scope |= {name: np.array(value) for name, value in program.constants.items()}
        exec(compile(source, filename, "exec"), scope)
        return cast(Callable[..., tuple[float, list[float]]], scope[name])

    def batch(self) -> Callable[..., tuple[float, list[float]]]:
        if self._batch is None:
            source = self.program.batch("loss_and_grad_batch")
            self._batch = self._define(
                source, "loss_and_grad_batch", f"{self.filename[:-1]} batch>"
            )
        return self._batch

    def numpy(self) -> Callable[..., tuple[float, list[float]]] | None:
        """The numpy batch function, or None when the graph has an op
        without a numpy template (a custom op)."""
        if self._numpy is None:
            program = Program(self.graph, NUMPY)
            try:
                source = program.numpy_batch("loss_and_grad_numpy")
            except NotCompilable:
                self._numpy = False
                return None
            self._numpy = self._define(
                source, "loss_and_grad_numpy", f"{self.filename[:-1]} numpy>", program
            )
        return self._numpy or None


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
        self.stats = Stats()
        self.arg_names = _argument_names(fn, len(example_args))
        self.name = codegen.identifier(getattr(fn, "__name__", "")) or "fn"
        self.params: list[Value] = []
        self.param_names: list[str | None] = []
        self._fixed_params = params is not None
        if params is not None:
            self._set_params(params)
        self.versions: list[Version] = []
        self._written: list[tuple[int, Value]] = []  # the parameters a batch adds into
        self._filenames: list[str] = []
        self._eager_only = ""
        weakref.finalize(self, _forget_sources, self._filenames)
        self._trace(example_args)

    # --- tracing ---

    def _trace(self, args: Sequence[object]) -> Value:
        """Call fn on Values made from ``args``, compile what it recorded as
        a new version, and return the loss it recorded."""
        if not modes.recording:
            raise CompileError(
                "compile_grad traces fn by recording its graph: not inside no_grad()"
            )
        arguments = [
            Argument(name, _as_leaves(arg, name))
            for name, arg in zip(self.arg_names, args, strict=True)
        ]
        with watch_data() as reads:
            loss = self.fn(*[_unwrap(a.structure) for a in arguments])
        if not isinstance(loss, Value):
            raise CompileError(f"fn must return a Value (the loss), got {type(loss).__name__}")
        guards = _guards(reads)
        known = len(self.params)
        graph = self._graph(loss, arguments, guards)
        if len(self.params) > known:  # new parameters: earlier versions must take them too
            for earlier in self.versions:
                earlier.build()
        label = f"{self.name} v{len(self.versions) + 1} #{next(_serial)}"
        self.versions.append(Version(graph, label, self._filenames))
        written = sorted({i for v in self.versions for i in v.reached})
        self._written = [(i, self.params[i]) for i in written]
        return loss

    def _graph(self, loss: Value, arguments: list[Argument], guards: list[DataRead]) -> Graph:
        order = topological_order(loss)
        numbering = {node: i for i, node in enumerate(order)}
        everything = list(reversed(order))
        for read in guards:  # compared Values the loss does not depend on are computed too
            for subject in (read.node, read.other):
                if isinstance(subject, Value) and subject not in numbering:
                    for node in reversed(topological_order(subject)):
                        if node not in numbering:
                            numbering[node] = len(numbering)
                            everything.append(node)
        arg_leaves = {leaf for a in arguments for leaf, _ in codegen._leaves(a)}
        leaves = [n for n in everything if not n.inputs and n not in arg_leaves]
        if any(n._hooks and (n.inputs or n in arg_leaves) for n in everything):
            self._eager_only = "a node recorded by fn has a hook"
        if not self._fixed_params:
            known = set(self.params)
            for leaf in leaves:
                if leaf not in known:
                    self.params.append(leaf)
                    self.param_names.append(None)
        else:
            known = set(self.params)
            missing = [leaf for leaf in leaves if leaf not in known]
            if missing:
                leaf = missing[0]
                raise CompileError(
                    f"the loss depends on a Value that is not in params and not made from an "
                    f"argument: {leaf!r}; add it to params, or make it a float constant"
                )
        return Graph(
            root=loss,
            forward=[n for n in everything if n.inputs],
            walk=topological_order(loss, leaves=False),
            arguments=arguments,
            params=self.params,
            param_names=self.param_names,
            guards=guards,
            numbering=numbering,
        )

    def _set_params(self, params: Params) -> None:
        for item in params:
            name, p = item if isinstance(item, tuple) else (None, item)
            if not isinstance(p, Value):
                raise TypeError(f"params must be Values or (name, Value) pairs, got {item!r}")
            if p.inputs:
                raise ValueError(
                    f"params must be leaves (made by Value(...)), got a node of op {p.op!r}"
                )
            self.params.append(p)
            self.param_names.append(name)
        if len(set(self.params)) != len(self.params):
            raise ValueError("params lists a Value twice")

    # --- calling ---

    def __call__(self, *args: object) -> float:
        """The loss at ``args``; adds the gradient into each parameter's
        ``.grad``, exactly as ``fn(*args).backward()``."""
        # _eager_reason's checks and the reads of the parameters, in one pass:
        # on a small graph this bookkeeping costs as much as the generated code
        params = self.params
        if self._eager_only or modes.anomaly or not modes.recording:
            return self._fall_back(args)
        values: list[float] = []
        start: list[float] = []
        for p in params:
            if p._hooks:
                return self._fall_back(args)
            values.append(p.data)
            g = p.grad
            start.append(-0.0 if g is None else g)  # -0.0 + g is g, as the engine takes g
        for version in self.versions:
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
            self.stats.compiled += 1
            return loss
        else:
            if len(self.versions) < MAX_VERSIONS:
                self.stats.retraces += 1
                traced = self._trace(args)
                traced.backward()
                return traced.data
        return self._fall_back(args)

    def _fall_back(self, args: Sequence[object]) -> float:
        self.stats.fallbacks += 1
        return self._eager(args)

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
        return self._evaluate(values, args)

    def batch(
        self, samples: Iterable[Sequence[object]], *, reduce: Literal["sum", "mean"] = "sum"
    ) -> float:
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
        if reduce not in ("sum", "mean"):
            raise ValueError(f"reduce must be 'sum' or 'mean', got {reduce!r}")
        samples = samples if isinstance(samples, list) else list(samples)
        if not samples:
            raise ValueError("batch needs at least one sample")
        if self._eager_reason():
            self.stats.fallbacks += len(samples)
            losses = [self.fn(*self._leaves(sample)) for sample in samples]
            total = Value.sum(losses)
            total = total / len(samples) if reduce == "mean" else total
            total.backward()
            return total.data
        values = [p.data for p in self.params]
        loss, grads = self._batch(values, samples)
        if reduce == "mean":
            loss, grads = loss / len(samples), [g / len(samples) for g in grads]
        for i, p in self._written:
            g = grads[i]
            p.grad = g if p.grad is None else p.grad + g
        return loss

    def _batch(
        self, values: list[float], samples: list[Sequence[object]]
    ) -> tuple[float, list[float]]:
        if self.backend == "numpy" and len(self.versions) == 1:
            function = self.versions[0].numpy()
            if function is not None:
                found = _numpy_batch(function, values, samples)
                if found is not None:
                    self.stats.compiled += 1
                    return found
            self.stats.python_loops += 1
        if len(self.versions) == 1:
            try:
                loss, grads = self.versions[0].batch()(values, samples)
                self.stats.compiled += 1
                return loss, grads
            except GuardFailed:
                pass
            except FALLBACK_ERRORS:
                pass
        total, sums = 0.0, [0.0] * len(values)
        for sample in samples:  # sample by sample: each finds its version or falls back
            loss, grads = self._evaluate(values, sample)
            total += loss
            sums = [a + b for a, b in zip(sums, grads, strict=True)]
        return total, sums

    def _evaluate(self, values: list[float], args: Sequence[object]) -> tuple[float, list[float]]:
        """(loss, gradients) on floats: a matching version, else a retrace,
        else the engine."""
        for version in self.versions:
            try:
                result = version.single(values, version.zero_start, *args)
            except GuardFailed:
                continue
            except FALLBACK_ERRORS:
                break
            self.stats.compiled += 1
            return result
        else:
            if len(self.versions) < MAX_VERSIONS:
                self.stats.retraces += 1
                with _holding(self.params, values):
                    return self._floats(self._trace(args))
        self.stats.fallbacks += 1
        with _holding(self.params, values):
            return self._floats(self.fn(*self._leaves(args)))

    def _floats(self, loss: Value) -> tuple[float, list[float]]:
        return loss.data, [g.data for g in grad(loss, self.params)]

    def _eager_reason(self) -> str:
        if self._eager_only:
            return self._eager_only
        if modes.anomaly:
            return "anomaly mode is on"
        if not modes.recording:
            return "no_grad() is on"
        for p in self.params:  # a loop reads slots faster than any(map(attrgetter))
            if p._hooks:
                return "a parameter has a hook"
        return ""

    def _eager(self, args: Sequence[object]) -> float:
        loss = self.fn(*self._leaves(args))
        loss.backward()
        return loss.data

    def _leaves(self, args: Sequence[object]) -> list[object]:
        return [_unwrap(_as_leaves(a, n)) for n, a in zip(self.arg_names, args, strict=True)]

    # --- reading the code ---

    @property
    def source(self) -> str:
        """The generated Python of the first version (``fn`` as traced by
        ``compile_grad``); later versions are in ``versions[i].source``."""
        return self.versions[0].source

    def save_source(self, path: str | os.PathLike[str]) -> None:
        """Write the source to ``path`` and run it from there from now on, so
        an editor shows it and ``break path:N`` in pdb stops in it."""
        version = self.versions[0]
        with open(path, "w", encoding="utf-8") as file:
            file.write(version.source)
        version.filename = os.fspath(path)
        version.single = version._define(version.source, "loss_and_grad", version.filename)

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
    ``step.functional(values, *args)`` works on floats only.

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

    >>> from autograd import Value
    >>> a = Value(3.0, label="a")
    >>> step = compile_grad(lambda x: a * x + x * x, 2.0)
    >>> step(2.0), a.grad
    (10.0, 2.0)
    >>> step.params == [a]
    True
    """
    return CompiledStep(fn, example_args, params, backend)


# --- helpers -------------------------------------------------------------------


_TAKEN = set(templates.NAMESPACE_NAMES) | set(dir(builtins))


def _argument_names(fn: Callable[..., object], n: int) -> list[str]:
    """fn's positional parameter names where they make safe variable names,
    else ``arg0``, ``arg1``...; checks that fn takes n arguments."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return [f"arg{i}" for i in range(n)]
    try:
        signature.bind(*range(n))
    except TypeError as e:
        raise TypeError(f"fn cannot take the {n} example arguments given: {e}") from None
    positional = [
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    names: list[str] = []
    for i in range(n):
        wanted = positional[i] if i < len(positional) else ""
        name = codegen.identifier(wanted) if wanted else None
        if not name or name != wanted or name in _TAKEN or name in names:
            name = f"arg{i}"
        names.append(name)
    return names


def _as_leaves(arg: object, name: str) -> Structure:
    """An argument as leaves: each number a Value labelled by its place
    (``x[0][1]``), lists and tuples kept as lists."""
    if isinstance(arg, Value):
        raise TypeError(f"argument {name} is a Value: pass numbers (compile_grad makes the leaves)")
    if isinstance(arg, (list, tuple)):
        return [_as_leaves(x, f"{name}[{i}]") for i, x in enumerate(arg)]
    return Value(arg, label=name)  # type: ignore[arg-type]  # Value checks the number


def _unwrap(structure: object) -> object:
    return structure if isinstance(structure, Value) else list(structure)  # type: ignore[call-overload]


def _guards(reads: list[DataRead]) -> list[DataRead]:
    for read in reads:
        if read.how in VALUE_READS:
            raise CompileError(
                f"fn reads a Value's number with {read.how}() during the trace "
                f"({read.node!r}): the compiled code would repeat the number it got then. "
                f"Use a comparison (it becomes a guard), or read the value outside fn"
            )
    return reads


@contextmanager
def _holding(params: list[Value], values: list[float]) -> Iterator[None]:
    """The parameters hold ``values`` inside the block, their own data after."""
    saved = [p.data for p in params]
    for p, v in zip(params, values, strict=True):
        p.data = v
    try:
        yield
    finally:
        for p, v in zip(params, saved, strict=True):
            p.data = v


def _numpy_batch(
    function: Callable[..., tuple[Any, list[Any]]],
    values: list[float],
    samples: list[Sequence[object]],
) -> tuple[float, list[float]] | None:
    """The numpy batch's result as floats, or None when a guard failed or a
    number is not finite (the Python loop then decides, sample by sample)."""
    import numpy as np

    try:
        with np.errstate(all="ignore"):
            loss, grads = function(values, samples)
    except (GuardFailed, *FALLBACK_ERRORS):
        return None
    result = float(loss), [float(g) for g in grads]
    if not (math.isfinite(result[0]) and all(map(math.isfinite, result[1]))):
        return None
    return result


def _require_numpy() -> None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise ImportError(
            "compile_grad(..., backend='numpy') needs numpy: pip install numpy "
            "(or use the default backend='python')"
        ) from None


def _forget_sources(filenames: list[str]) -> None:
    for filename in filenames:
        linecache.cache.pop(filename, None)
