"""``Value``, one scalar node of the computation graph, and ``apply``, the one
place nodes are made.

Layers point one way: ``floats``, ``ops``, ``modes`` and the ``engine`` (which
walks node attributes) below, ``Value`` here, ``grad``, custom ops and the
backward steps above it in the core, and the views, checks and compiler
above the core. ``Value.backward()`` calls the engine below it. How Jupyter
shows a Value is registered from above (``register_display``: ``autograd``
registers the views' drawing), so the core never imports a higher layer.
"""

from __future__ import annotations

import numbers
import threading
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, SupportsFloat, TypeAlias

from autograd.core import anomaly, engine, hooks
from autograd.core.floats import INF, _is_numpy_bool, as_float
from autograd.core.hooks import HookHandle
from autograd.core.modes import DataRead, Untracked, modes
from autograd.core.node import Hook
from autograd.core.ops import (
    ABS,
    ADD,
    CLAMP,
    COS,
    DIV,
    DOT,
    EXP,
    LEAKY_RELU,
    LOG,
    MUL,
    NEG,
    POW,
    POW_CONSTANT_BASE,
    POW_CONSTANT_EXPONENT,
    RELU,
    SIGMOID,
    SIN,
    SOFTPLUS,
    SQRT,
    SUB,
    SUM,
    TANH,
    Op,
)

Number: TypeAlias = "float | int | SupportsFloat"
Operand: TypeAlias = "Value | float | int | SupportsFloat"
Display = Callable[["Value", Iterable[str] | None, Iterable[str] | None], dict[str, Any]]


def _is_operand(x: object) -> bool:
    """What an operator accepts; for anything else it returns NotImplemented,
    so that Python asks the other operand (a numpy array, a user type)."""
    return isinstance(x, Value | numbers.Real) or _is_numpy_bool(x)


def apply(op: Op, *operands: Operand) -> Value:
    """Run ``op`` forward and record the node: the one place nodes are made.

    Plain-number operands are stored in ``inputs`` as floats (constants), not
    wrapped as nodes: that halves allocations on chains like ``x * 2 + 1``.
    An operand that is neither a Value nor a real number makes it return
    ``NotImplemented``, so that an operator lets the other operand's type
    try (``Value(2.0) * numpy_array`` works both ways); callers that are not
    operators turn that into a TypeError with ``applied``.

    Examples:
        >>> apply(EXP, Value(0.0)).data
        1.0
    """
    # Unrolled for one and two operands: every node goes through here. Exact
    # types are tested first, so a Value or a float operand needs no call.
    arity = len(operands)
    inputs: tuple[Value | float, ...]
    if arity == 2:  # the operators
        a, b = operands
        if type(a) is not Value and type(a) is not float:
            a = _operand(a)
            if a is NotImplemented:
                return NotImplemented  # type: ignore[no-any-return]  # the operator protocol
        if type(b) is not Value and type(b) is not float:
            b = _operand(b)
            if b is NotImplemented:
                return NotImplemented  # type: ignore[no-any-return]  # the operator protocol
        inputs = (a, b)
        data = op.forward(
            a if type(a) is float else a.data,  # type: ignore[union-attr]  # a Value here
            b if type(b) is float else b.data,  # type: ignore[union-attr]  # a Value here
        )
    elif arity == 1:  # activations and the other methods
        (a,) = operands
        if type(a) is not Value and type(a) is not float:
            a = _checked_operand(a)
        inputs = (a,)
        data = op.forward(a if type(a) is float else a.data)  # type: ignore[union-attr]
    else:  # n-ary: one pass over the types in C decides the work
        kinds = set(map(type, operands))
        inputs = (
            operands  # type: ignore[assignment]  # every kind is Value or float
            if kinds <= _NODES_AND_CONSTANTS
            else tuple(map(_checked_operand, operands))
        )
        data = op.forward(
            *(
                [x.data for x in inputs]  # type: ignore[union-attr]  # all Values
                if kinds == _NODES_ONLY
                else [x if type(x) is float else x.data for x in inputs]  # type: ignore[union-attr]
            )
        )
    if type(data) is not float:
        data = _forward_result(op, data)
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node._hooks = ()
    node._origin = None
    if modes.recording:
        node.op = op
        node.inputs = inputs
    else:
        node.op = ""
        node.inputs = ()
        if modes.leaving:
            _untracked(node, op, inputs)
    if modes.anomaly:
        anomaly.check_forward(op, data, inputs)
        node._origin = anomaly.user_origin()
    return node


def _operand(x: object) -> Value | float:
    """A Value (subclasses included) as it is, any other real number as a
    float, anything else NotImplemented."""
    return x if isinstance(x, Value) else as_float(x) if _is_operand(x) else NotImplemented


def _checked_operand(x: object) -> Value | float:
    """As ``_operand``, but anything else is a TypeError naming its type."""
    return x if isinstance(x, Value) else as_float(x)


def applied(op: Op, operands: tuple[Operand, ...]) -> Value:
    """``apply(op, *operands)`` for callers that are not operators: an operand
    of an unknown type is a TypeError naming it, instead of NotImplemented."""
    node = apply(op, *operands)
    if node is NotImplemented:
        raise TypeError(
            f"op {str(op)!r} takes Values and real numbers, got "
            f"{', '.join(type(x).__name__ for x in operands)}"
        )
    return node


def _forward_result(op: Op, data: object) -> float:
    if isinstance(data, numbers.Real) and not isinstance(data, Value):
        return float(data)
    raise TypeError(
        f"forward of op {op!r} returned {type(data).__name__} {data!r}; "
        f"a forward must return one real number"
    )


_new = object.__new__  # a node's fields come from its op, not from __init__


def _data(x: object) -> float:
    return x.data if isinstance(x, Value) else as_float(x)


def _untracked(node: Value, op: Op | None, inputs: tuple[Value | float, ...]) -> None:
    """Note, for ``watch_untracked()``, a Value made outside the graph."""
    made = modes.leaving.get(threading.get_ident())
    if made is not None:
        made.append(Untracked(node, op, inputs))


def _watched(node: Value, how: str, other: Value | float | None, result: Any) -> Any:
    """Return ``result``, noting it first when ``watch_data()`` is on."""
    if modes.watching:
        reads = modes.watching.get(threading.get_ident())
        if reads is not None:
            reads.append(DataRead(node, how, other, result))
    return result


class Value:
    """A scalar in a computation graph, with the gradient backward() gives it.

    Attributes: ``data`` (the float), ``grad`` (0.0 until a backward pass
    adds into it), ``label`` (a name, "" when unnamed), ``op`` ("" for a
    leaf, else the op that made it: "+", "sigmoid", "dot"...) and
    ``inputs`` (its operands in order: Values, or float constants).

    Examples:
        >>> a = Value(2.0, label="a")
        >>> b = a * a + 1
        >>> b.backward()
        >>> (b.data, a.grad)
        (5.0, 4.0)
    """

    __slots__ = ("data", "grad", "label", "op", "inputs", "_hooks", "_origin", "__weakref__")
    # The operators and methods below are defined one by one (no
    # monkeypatching), so debuggers, IDEs and type checkers see each: the
    # class is long for that reason.

    _display: ClassVar[Display | None] = None  # set by register_display

    data: float
    grad: float
    label: str
    op: str  # "" for a leaf, else the Op (a str equal to its name) that made it
    inputs: tuple[Value | float, ...]  # operands in order: Values, or float constants
    _hooks: tuple[Hook, ...]
    _origin: str | None  # where user code made it, in anomaly mode

    def __init__(self, data: Number, label: str = "") -> None:
        if isinstance(data, Value):
            raise TypeError(
                "Value(Value) is not allowed: a Value already is a "
                "node; use it directly, or v.detach() for a new leaf"
            )
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.data = as_float(data)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.inputs = ()
        self._hooks = ()
        self._origin = None

    def __repr__(self) -> str:
        grad = "None" if self.grad is None else f"{self.grad:.6g}"
        return (
            f"Value(data={self.data:.6g}, grad={grad}, op={str(self.op)!r}, label={self.label!r})"
        )

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """What Jupyter shows for a Value: what the registered display gives
        (``autograd`` registers the drawing of its graph, or a short summary
        past ``max_nodes`` or without ``dot``), else its repr."""
        if Value._display is None:
            return {"text/plain": repr(self)}
        return Value._display(self, include, exclude)

    def __reduce__(self) -> tuple[Callable[[float, float, str], Value], tuple[float, float, str]]:
        """A pickled or deep-copied Value is a leaf with the same data, grad and
        label: its graph is not carried (like a tensor saved without its
        history), so copying a 10,000-deep graph cannot recurse."""
        return _leaf, (self.data, self.grad, self.label)

    # --- reading the number: each is a DataRead under watch_data() --------

    def item(self) -> float:
        """The data as a float, as ``tensor.item()``.

        Examples:
            >>> Value(2.5).item()
            2.5
        """
        return _watched(self, "item", None, self.data)  # type: ignore[no-any-return]

    def __float__(self) -> float:
        return _watched(self, "float", None, self.data)  # type: ignore[no-any-return]

    def __int__(self) -> int:
        return _watched(self, "int", None, int(self.data))  # type: ignore[no-any-return]

    def __round__(self, ndigits: int | None = None) -> float | int:
        return _watched(self, "round", None, round(self.data, ndigits))  # type: ignore[no-any-return]

    def __bool__(self) -> bool:
        """``data != 0``, like a one-element tensor (nan is true)."""
        return _watched(self, "bool", None, self.data != 0)  # type: ignore[no-any-return]

    def __format__(self, spec: str) -> str:
        """``f"{v:.3f}"`` formats the data; ``f"{v}"`` is ``str(v)``.

        Examples:
            >>> f"{Value(2 / 3):.3f}"
            '0.667'
        """
        if not spec:
            return str(self)
        return _watched(self, "format", None, format(self.data, spec))  # type: ignore[no-any-return]

    # Comparisons read the data, so a backward rule such as relu's can branch
    # on an input whether it is a float or a Value. __eq__ stays identity:
    # Values are graph nodes, used as dict keys and compared in tuples.
    def __lt__(self, other: Operand) -> bool:
        if not _is_operand(other):
            return NotImplemented
        return _watched(self, "<", other, self.data < _data(other))  # type: ignore[arg-type,no-any-return]

    def __le__(self, other: Operand) -> bool:
        if not _is_operand(other):
            return NotImplemented
        return _watched(self, "<=", other, self.data <= _data(other))  # type: ignore[arg-type,no-any-return]

    def __gt__(self, other: Operand) -> bool:
        if not _is_operand(other):
            return NotImplemented
        return _watched(self, ">", other, self.data > _data(other))  # type: ignore[arg-type,no-any-return]

    def __ge__(self, other: Operand) -> bool:
        if not _is_operand(other):
            return NotImplemented
        return _watched(self, ">=", other, self.data >= _data(other))  # type: ignore[arg-type,no-any-return]

    # --- operators: a number on either side; any other type gets its turn ---
    # (apply returns NotImplemented for an operand it does not know)

    def __add__(self, other: Operand) -> Value:
        return apply(ADD, self, other)

    def __radd__(self, other: Operand) -> Value:
        return apply(ADD, other, self)

    def __sub__(self, other: Operand) -> Value:
        return apply(SUB, self, other)

    def __rsub__(self, other: Operand) -> Value:
        return apply(SUB, other, self)

    def __mul__(self, other: Operand) -> Value:
        return apply(MUL, self, other)

    def __rmul__(self, other: Operand) -> Value:
        return apply(MUL, other, self)

    def __truediv__(self, other: Operand) -> Value:
        return apply(DIV, self, other)

    def __rtruediv__(self, other: Operand) -> Value:
        return apply(DIV, other, self)

    def __pow__(self, other: Operand) -> Value:
        return apply(POW if isinstance(other, Value) else POW_CONSTANT_EXPONENT, self, other)

    def __rpow__(self, other: Operand) -> Value:
        return apply(POW_CONSTANT_BASE, other, self)

    def __neg__(self) -> Value:
        return apply(NEG, self)

    def __abs__(self) -> Value:
        return apply(ABS, self)

    # --- methods -----------------------------------------------------------

    def abs(self) -> Value:
        """``abs(x)`` as a method, as torch has it."""
        return apply(ABS, self)

    def exp(self) -> Value:
        """``e ** x``; its gradient is ``exp(x)``, the output itself."""
        return apply(EXP, self)

    def log(self) -> Value:
        """The natural logarithm (-inf at 0, nan below); its gradient is ``1 / x``."""
        return apply(LOG, self)

    def tanh(self) -> Value:
        """``tanh(x)``; its gradient is ``1 - tanh(x) ** 2``."""
        return apply(TANH, self)

    def sigmoid(self) -> Value:
        """``1 / (1 + exp(-x))``, stable for any finite x; its gradient is ``out * (1 - out)``."""
        return apply(SIGMOID, self)

    def relu(self) -> Value:
        """``x`` where ``x >= 0``, else 0 (-0.0 and nan pass through, as torch); its
        gradient is 1 where ``x > 0``, else 0."""
        return apply(RELU, self)

    def sqrt(self) -> Value:
        """The square root (nan below 0); its gradient is ``1 / (2 * sqrt(x))``."""
        return apply(SQRT, self)

    def sin(self) -> Value:
        """``sin(x)``; its gradient is ``cos(x)``."""
        return apply(SIN, self)

    def cos(self) -> Value:
        """``cos(x)``; its gradient is ``-sin(x)``."""
        return apply(COS, self)

    def softplus(self) -> Value:
        """``log(1 + exp(x))``, computed as ``x`` above 20 like torch's default.

        Examples:
            >>> round(Value(0.0).softplus().data, 6)
            0.693147
        """
        return apply(SOFTPLUS, self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """``x`` where ``x > 0``, else ``slope * x``; the slope is a constant input.

        Examples:
            >>> Value(-2.0).leaky_relu(0.1).data
            -0.2
        """
        return apply(LEAKY_RELU, self, as_float(slope))

    def clamp(self, lo: float | None = None, hi: float | None = None) -> Value:
        """``x`` limited to ``[lo, hi]`` (None: unbounded on that side); the
        gradient passes where ``lo <= x <= hi``, bounds included, as torch.

        Examples:
            >>> Value(3.0).clamp(-1.0, 1.0).data
            1.0
        """
        low = -INF if lo is None else as_float(lo)
        high = INF if hi is None else as_float(hi)
        if low > high:
            raise ValueError(f"clamp needs lo <= hi, got lo={lo!r}, hi={hi!r}")
        return apply(CLAMP, self, low, high)

    def detach(self) -> Value:
        """A new leaf with the same data, outside this graph.

        Examples:
            >>> x = Value(2.0); y = (x * x).detach(); (y.data, y.op, y.inputs)
            (4.0, '', ())
        """
        leaf = Value(self.data)
        if modes.leaving:
            _untracked(leaf, None, (self,))
        return leaf

    @staticmethod
    def sum(xs: Iterable[Operand]) -> Value:
        """One n-ary node: x0 + x1 + ... (a 10,000-term sum is 1 node deep).

        Examples:
            >>> Value.sum([Value(1.0), 2, Value(3.0)]).data
            6.0
        """
        return applied(SUM, tuple(xs))

    @staticmethod
    def dot(ws: Iterable[Operand], xs: Iterable[Operand]) -> Value:
        """One n-ary node: w0*x0 + w1*x1 + ...; its inputs are (*ws, *xs).

        Examples:
            >>> Value.dot([Value(2.0), 3], [4, Value(5.0)]).data
            23.0
        """
        if type(ws) is not list or type(xs) is not list:  # a neuron's are lists already
            ws, xs = list(ws), list(xs)
        if len(ws) != len(xs):
            raise ValueError(f"dot needs as many weights as inputs, got {len(ws)} and {len(xs)}")
        node = apply(DOT, *ws, *xs)  # NotImplemented only for one pair holding an unknown type:
        return node if node is not NotImplemented else applied(DOT, (*ws, *xs))  # its TypeError

    def backward(self, seed: float = 1.0) -> None:
        """Add d self / d leaf to every leaf's ``.grad`` (they accumulate
        across calls), and set every other node's ``.grad`` to this call's
        gradient. The walk is iterative: a 1,000,000-deep chain works.
        """
        engine.backward(self, seed)

    def register_hook(self, fn: Hook) -> HookHandle:
        """Call ``fn(grad)`` once per backward pass, when this node's gradient
        is final: an intermediate's gradient from that pass, a leaf's
        ``.grad`` with that pass added (leaves accumulate). Returns a
        handle; ``.remove()`` it to stop the calls.

        Examples:
            >>> x = Value(3.0); seen = []
            >>> handle = x.register_hook(seen.append)
            >>> (x * x).backward(); handle.remove(); (x * x).backward(); seen
            [6.0]
        """
        if not callable(fn):
            raise TypeError(f"a hook must be callable, got {type(fn).__name__}")
        self._hooks += (fn,)
        hooks.registered.count += 1
        return HookHandle(self, fn)


def _leaf(data: float, grad: float, label: str) -> Value:
    leaf = Value(data, label)
    leaf.grad = grad
    return leaf


def register_display(display: Display | None) -> None:
    """Set how Jupyter shows a Value: ``display(value, include, exclude)``
    returns a MIME bundle. ``autograd`` registers ``autograd.views``' drawing
    when it is imported: a higher layer registers itself with the core, as
    HIPS autograd's do, so the core imports none of them. None restores the
    plain repr.
    """
    Value._display = display


_NODES_ONLY = frozenset({Value})
_NODES_AND_CONSTANTS = frozenset({Value, float})
