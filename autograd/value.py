"""``Value``: one scalar node of the computation graph."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable

from autograd import anomaly, engine, ops
from autograd.modes import modes
from autograd.ops import (
    ABS,
    ADD,
    DIV,
    DOT,
    EXP,
    LOG,
    MUL,
    NEG,
    POW,
    RELU,
    SIGMOID,
    SQRT,
    SUB,
    SUM,
    TANH,
)


def as_float(x) -> float:
    """A real number as a float; anything else is a TypeError naming its type."""
    if type(x) is float:
        return x
    if type(x) is int:  # as in x * 2: skip the slower check against numbers.Real
        return float(x)
    if isinstance(x, numbers.Real) or _is_numpy_bool(x):
        return float(x)
    raise TypeError(f"expected a real number, got {type(x).__name__}: {x!r}")


def _is_numpy_bool(x) -> bool:
    # numpy registers its integer and float scalars as numbers.Real, but not
    # numpy.bool_; recognised by name, as glassgrad does not depend on numpy.
    kind = type(x)
    return kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")


def apply(op: ops.Op, *operands) -> Value:
    """Run ``op`` forward and record the node: the one place nodes are made.

    Plain-number operands are stored in ``inputs`` as floats (constants), not
    wrapped as nodes: that halves allocations on chains like ``x * 2 + 1``.
    """
    # Unrolled for one and two operands: every node goes through here. Exact
    # types are tested first, so a Value or a float operand needs no call.
    arity = len(operands)
    if arity == 2:  # the operators
        a, b = operands
        if type(a) is not Value and type(a) is not float:
            a = _operand(a)
        if type(b) is not Value and type(b) is not float:
            b = _operand(b)
        inputs = (a, b)
        data = op.forward(a if type(a) is float else a.data, b if type(b) is float else b.data)
    elif arity == 1:  # activations and the other methods
        (a,) = operands
        if type(a) is not Value and type(a) is not float:
            a = _operand(a)
        inputs = (a,)
        data = op.forward(a if type(a) is float else a.data)
    else:  # n-ary: one pass over the types in C decides the work
        kinds = set(map(type, operands))
        inputs = operands if kinds <= _NODES_AND_CONSTANTS else tuple(map(_operand, operands))
        data = op.forward(
            *(
                [x.data for x in inputs]
                if kinds == _NODES_ONLY
                else [x if type(x) is float else x.data for x in inputs]
            )
        )
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node._hooks = ()
    node._origin = None
    if modes.recording:
        node.op = op.name
        node.inputs = inputs
    else:
        node.op = ""
        node.inputs = ()
    if modes.anomaly:
        anomaly.check_forward(op.name, data, inputs)
        node._origin = anomaly.user_origin()
    return node


def _operand(x) -> Value | float:
    """A Value (subclasses included) as it is; any other real number as a float."""
    return x if isinstance(x, Value) else as_float(x)


_new = object.__new__  # a node's fields come from its op, not from __init__


class Value:
    """A scalar in a computation graph, with the gradient backward() gives it.

    >>> a = Value(2.0, label="a")
    >>> b = a * a + 1
    >>> b.backward()
    >>> (b.data, a.grad)
    (5.0, 4.0)
    """

    __slots__ = ("data", "grad", "label", "op", "inputs", "_hooks", "_origin", "__weakref__")

    def __init__(self, data: float, label: str = "") -> None:
        if isinstance(data, Value):
            raise TypeError(
                "Value(Value) is not allowed: a Value already is a "
                "node; use it directly, or Value(v.data) for a copy"
            )
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.data: float = as_float(data)
        self.grad: float = 0.0
        self.label: str = label
        self.op: str = ""  # "" for a leaf, else the name of its op
        self.inputs: tuple = ()  # operands in order: Values, or float constants
        self._hooks: tuple[Callable[[float], None], ...] = ()
        self._origin: str | None = None  # where user code made it, in anomaly mode

    def __repr__(self) -> str:
        return (
            f"Value(data={self.data:.6g}, grad={self.grad:.6g}, "
            f"op={self.op!r}, label={self.label!r})"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Jupyter shows a Value as the drawing of its graph (text without dot)."""
        from autograd.viz import GraphvizNotInstalled, draw_graph  # viz needs Value

        try:
            return draw_graph(self)._repr_mimebundle_(include, exclude)
        except GraphvizNotInstalled:
            return {"text/plain": repr(self)}

    def __float__(self) -> float:
        return self.data

    # Comparisons read the data, so a backward rule such as relu's can branch
    # on an input whether it is a float or a Value. __eq__ stays identity:
    # Values are graph nodes, used as dict keys and compared in tuples.
    def __lt__(self, other) -> bool:
        return self.data < float(other)

    def __le__(self, other) -> bool:
        return self.data <= float(other)

    def __gt__(self, other) -> bool:
        return self.data > float(other)

    def __ge__(self, other) -> bool:
        return self.data >= float(other)

    def __add__(self, other) -> Value:
        return apply(ADD, self, other)

    def __radd__(self, other) -> Value:
        return apply(ADD, other, self)

    def __sub__(self, other) -> Value:
        return apply(SUB, self, other)

    def __rsub__(self, other) -> Value:
        return apply(SUB, other, self)

    def __mul__(self, other) -> Value:
        return apply(MUL, self, other)

    def __rmul__(self, other) -> Value:
        return apply(MUL, other, self)

    def __truediv__(self, other) -> Value:
        return apply(DIV, self, other)

    def __rtruediv__(self, other) -> Value:
        return apply(DIV, other, self)

    def __pow__(self, other) -> Value:
        return apply(POW, self, other)

    def __rpow__(self, other) -> Value:
        return apply(POW, other, self)

    def __neg__(self) -> Value:
        return apply(NEG, self)

    def __abs__(self) -> Value:
        return apply(ABS, self)

    def exp(self) -> Value:
        return apply(EXP, self)

    def log(self) -> Value:
        return apply(LOG, self)

    def tanh(self) -> Value:
        return apply(TANH, self)

    def sigmoid(self) -> Value:
        return apply(SIGMOID, self)

    def relu(self) -> Value:
        return apply(RELU, self)

    def sqrt(self) -> Value:
        return apply(SQRT, self)

    @staticmethod
    def sum(xs: Iterable[Value | float]) -> Value:
        """One n-ary node: x0 + x1 + ... (a 10,000-term sum is 1 node deep).

        >>> Value.sum([Value(1.0), 2, Value(3.0)]).data
        6.0
        """
        return apply(SUM, *xs)

    @staticmethod
    def dot(ws: Iterable[Value | float], xs: Iterable[Value | float]) -> Value:
        """One n-ary node: w0*x0 + w1*x1 + ...; its inputs are (*ws, *xs).

        >>> Value.dot([Value(2.0), 3], [4, Value(5.0)]).data
        23.0
        """
        ws, xs = tuple(ws), tuple(xs)
        if len(ws) != len(xs):
            raise ValueError(f"dot needs as many weights as inputs, got {len(ws)} and {len(xs)}")
        return apply(DOT, *ws, *xs)

    def backward(self, seed: float = 1.0) -> None:
        """Fill ``.grad`` of every node in this graph with d self / d node.

        Leaves accumulate (+=) across calls; every other node's ``.grad`` is
        set fresh. The walk is iterative: a 1,000,000-deep chain works.
        """
        engine.backward(self, seed)

    def register_hook(self, fn: Callable[[float], None]) -> None:
        """Call ``fn(self.grad)`` once per backward, when that gradient is
        final (for a leaf it includes earlier calls' gradients, as ``.grad``
        does).

        >>> x = Value(3.0); seen = []
        >>> x.register_hook(seen.append)
        >>> (x * x).backward(); seen
        [6.0]
        """
        if not callable(fn):
            raise TypeError(f"a hook must be callable, got {type(fn).__name__}")
        self._hooks += (fn,)


_NODES_ONLY = frozenset({Value})
_NODES_AND_CONSTANTS = frozenset({Value, float})
