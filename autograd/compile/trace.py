"""Tracing: ``fn`` called once on Values made from the example arguments;
the graph that call recorded *is* the trace. Every leaf the loss depends on
that is not made from an argument is a parameter; each comparison ``fn``
made on a Value is a guard; each value ``fn`` took out of the graph
(``detach()``, an op under ``no_grad()``) is computed from its source."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any, cast

from autograd.compile.graph import Argument, Detached, Graph, Structure
from autograd.compile.names import identifier, is_free
from autograd.core import hooks
from autograd.core.engine import topological_order
from autograd.core.floats import as_float
from autograd.core.modes import DataRead, Untracked, modes, watch_data, watch_untracked
from autograd.core.ops import Op
from autograd.core.value import Value

Inputs = tuple[Value | float, ...]

VALUE_READS = ("float", "int", "round", "format", "item")

Params = Iterable[Value] | Iterable[tuple[str, Value]]


class CompileError(ValueError):
    """``fn`` did something the compiled code could not repeat."""


class Tracer:
    """``fn``, its arguments' names and the parameters found so far (or
    fixed by ``params=``); ``trace`` adds a parameter a new trace finds."""

    def __init__(self, fn: Callable[..., Value], arity: int, params: Params | None) -> None:
        self.fn = fn
        self.arg_names = argument_names(fn, arity)
        self.params: list[Value] = []
        self.param_names: list[str | None] = []
        self.fixed = params is not None
        self.eager_only = ""  # why every call must run on the engine, if it must
        self.watched: list[Value] = []  # the traced nodes that are not parameters
        self.hooks_seen = -1  # hooks.registered.count when they were looked at
        self.first_arguments: list[Argument] = []  # the first trace's: samples' shape
        if params is not None:
            self._set_params(params)

    def trace(self, args: Sequence[object]) -> tuple[Value, Graph]:
        """Call fn on Values made from ``args``; the loss and its graph."""
        if not modes.recording:
            raise CompileError(
                "compile_grad traces fn by recording its graph: not inside no_grad()"
            )
        arguments = [Argument(name, as_leaves(arg, name)) for name, arg in self.named(args)]
        self.first_arguments = self.first_arguments or arguments
        with watch_data() as reads, watch_untracked() as untracked:
            loss = self.fn(*[unwrap(a.structure) for a in arguments])
        if not isinstance(loss, Value):
            raise CompileError(f"fn must return a Value (the loss), got {type(loss).__name__}")
        return loss, self._graph(loss, arguments, _guards(reads), untracked)

    def named(self, args: Sequence[object]) -> list[tuple[str, object]]:
        """``args`` paired with fn's argument names; the wrong number of them
        is a TypeError saying what fn takes."""
        if not isinstance(args, (tuple, list)):
            raise TypeError(
                f"a sample is a tuple of fn's arguments ({', '.join(self.arg_names)}), "
                f"got {type(args).__name__}: {args!r:.60}"
            )
        if len(args) != len(self.arg_names):
            takes = f"{len(self.arg_names)} argument{'s' * (len(self.arg_names) != 1)}"
            listed = f" ({', '.join(self.arg_names)})" if self.arg_names else ""
            raise TypeError(f"the compiled step takes {takes}{listed}, got {len(args)}")
        return list(zip(self.arg_names, args))

    def leaves(self, args: Sequence[object]) -> list[object]:
        """``args`` as fn takes them on the engine: numbers made leaves."""
        return [unwrap(as_leaves(arg, name)) for name, arg in self.named(args)]

    def numbers(self, args: Sequence[object]) -> tuple[object, ...]:
        """``args`` as the engine takes them: each number a float, as
        ``Value()`` makes it (a numpy float32 exactly widened, an int a
        float), lists and tuples kept; the wrong count, a Value or anything
        that is not a real number is a TypeError, as on the engine."""
        if not isinstance(args, (tuple, list)) or len(args) != len(self.arg_names):
            self.named(args)  # raises, saying what fn takes
        return tuple(a if type(a) is float else numbers(n, a) for n, a in zip(self.arg_names, args))

    def samples(self, samples: list[Sequence[object]]) -> list[Sequence[object]]:
        """``numbers`` of every sample, told from a census of their types in
        C: a batch of floats as it is; one whose other numbers are ints or
        bools outside any list (labels) with those columns made floats in C;
        any other sample by sample, in Python."""
        depths = [_depth(a) for a in self.first_arguments]
        try:
            kinds = _kinds(samples, depths)
        except TypeError:  # a sample of another shape: each is looked at below
            kinds = None
        if kinds is not None and all(k == {float} for k in kinds):
            return samples
        if kinds is not None and all(
            k == {float} or (d == 0 and k <= {float, int, bool}) for k, d in zip(kinds, depths)
        ):
            columns = [
                list(map(itemgetter(i), samples))
                if k == {float}
                else list(map(float, map(itemgetter(i), samples)))
                for i, k in enumerate(kinds)
            ]
            return list(zip(*columns))
        return [self.numbers(sample) for sample in samples]

    def _graph(
        self,
        loss: Value,
        arguments: list[Argument],
        guards: list[DataRead],
        untracked: list[Untracked],
    ) -> Graph:
        order = topological_order(loss)
        numbering = {node: i for i, node in enumerate(order)}
        detached = {  # what fn made while traced: Values, from Values and Ops
            cast(Value, u.node): Detached(cast(Op | None, u.op), cast(Inputs, u.inputs))
            for u in untracked
        }
        candidates = list(reversed(order))
        for read in guards:  # compared Values the loss does not depend on are computed too
            for subject in (read.node, read.other):
                if isinstance(subject, Value) and subject not in numbering:
                    candidates += reversed(topological_order(subject))
        everything = _computed_order(candidates, detached)
        detached = {node: d for node, d in detached.items() if node in everything}
        for node in everything:
            numbering.setdefault(node, len(numbering))
        arg_leaves = {leaf for a in arguments for leaf, _ in a.leaves()}
        self.watched += [n for n in everything if n.inputs or n in arg_leaves]
        self.look_for_hooks()
        leaves = [
            n for n in everything if not n.inputs and n not in arg_leaves and n not in detached
        ]
        self._add_params(leaves)
        return Graph(
            root=loss,
            forward=[n for n in everything if n.inputs or n in detached],
            walk=topological_order(loss, leaves=False),
            arguments=arguments,
            params=self.params,
            param_names=self.param_names,
            guards=guards,
            numbering=numbering,
            detached=detached,
        )

    def look_for_hooks(self) -> None:
        """``eager_only`` where a traced node, not a parameter, has a hook
        (parameters' hooks are looked at on each call)."""
        self.hooks_seen = hooks.registered.count
        hooked = any(n._hooks for n in self.watched)
        self.eager_only = "a node recorded by fn has a hook" if hooked else ""

    def _add_params(self, leaves: list[Value]) -> None:
        known = set(self.params)
        missing = [leaf for leaf in leaves if leaf not in known]
        if missing and self.fixed:
            raise CompileError(
                f"the loss depends on a Value that is not in params and not made from an "
                f"argument: {missing[0]!r}; add it to params, or make it a float constant"
            )
        for leaf in dict.fromkeys(missing):
            self.params.append(leaf)
            self.param_names.append(None)

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


def _computed_order(candidates: list[Value], detached: dict[Value, Detached]) -> list[Value]:
    """The candidates (each after its inputs already), with each detached
    value's sources placed before it: a post-order walk that follows a
    detached value to what it was computed from."""
    order: list[Value] = []
    placed: set[Value] = set()
    for start in candidates:
        stack: list[tuple[Value, bool]] = [(start, False)]
        while stack:
            node, inputs_done = stack.pop()
            if node in placed:
                continue
            if inputs_done:
                placed.add(node)
                order.append(node)
                continue
            stack.append((node, True))
            found = detached.get(node)
            inputs = node.inputs if found is None else found.inputs
            stack.extend((x, False) for x in reversed(inputs) if isinstance(x, Value))
    return order


def argument_names(fn: Callable[..., object], n: int) -> list[str]:
    """fn's positional parameter names where they make safe variable names
    (free of every name the generated code makes, ``d_x`` and ``v3``
    included), else ``arg0``, ``arg1``...; checks that fn takes n arguments."""
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
    wanted = [positional[i] if i < len(positional) else "" for i in range(n)]
    names: list[str] = []
    for i, name in enumerate(wanted):
        if not name or identifier(name) != name or not is_free(name) or name in names:
            k = i  # arg<k>, taken by no other argument, wanted or chosen
            while f"arg{k}" in names or f"arg{k}" in wanted:
                k += 1
            name = f"arg{k}"
        names.append(name)
    return names


def as_leaves(arg: object, name: str) -> Structure:
    """An argument as leaves: each number a Value labelled by its place
    (``x[0][1]``), lists and tuples kept as lists."""
    if isinstance(arg, Value):
        raise TypeError(f"argument {name} is a Value: pass numbers (compile_grad makes the leaves)")
    if isinstance(arg, (list, tuple)):
        return [as_leaves(x, f"{name}[{i}]") for i, x in enumerate(arg)]
    return Value(arg, label=name)  # type: ignore[arg-type]  # Value checks the number


def unwrap(structure: object) -> object:
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


def numbers(name: str, arg: object) -> object:
    """One argument as the engine takes it (see ``Tracer.numbers``)."""
    if type(arg) is float:
        return arg
    if isinstance(arg, (list, tuple)):
        if set(map(type, arg)) <= {float}:
            return arg
        return [numbers(f"{name}[{i}]", x) for i, x in enumerate(arg)]
    if isinstance(arg, Value):
        raise TypeError(
            f"argument {name} is a Value: a compiled step takes numbers, as compile_grad's "
            f"example arguments; pass its .data"
        )
    try:
        return as_float(arg)
    except TypeError:
        raise TypeError(
            f"argument {name} must be a real number, or a list of them, got "
            f"{type(arg).__name__}: {arg!r:.40}"
        ) from None


def _depth(argument: Argument) -> int:
    """How many lists deep an argument's first number sits."""
    depth, item = 0, cast(object, argument.structure)
    while isinstance(item, list):
        depth, item = depth + 1, item[0] if item else 0.0
    return depth


def _kinds(samples: list[Sequence[object]], depths: list[int]) -> list[set[type]] | None:
    """The types of each argument's numbers over the samples, when every
    sample is a tuple of the arguments' count (None otherwise): a census in
    C, with no Python loop per sample. A sample whose lists nest otherwise
    raises TypeError or shows a list among the types."""
    if set(map(type, samples)) != {tuple} or set(map(len, samples)) != {len(depths)}:
        return None
    kinds = []
    for k, depth in enumerate(depths):
        items: Any = map(itemgetter(k), samples)
        for _ in range(depth):
            items = chain.from_iterable(items)
        kinds.append(set(map(type, items)))
    return kinds
