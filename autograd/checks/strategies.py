"""Hypothesis strategies for property-based gradient checks (needs hypothesis,
the ``strategies`` extra).

``expressions()`` draws ``(f, xs)``: ``f`` is a random differentiable
expression, callable on Values, and ``xs`` are floats inside its domain,
where ``gradcheck`` and ``gradgradcheck`` hold for correct rules. Domains
hold by construction, not by filtering: an op with a ``domain`` (``log`` and
``sqrt``: ``(0, inf)``, or a ``custom_op(..., domain=...)``) sees each
argument mapped into it (``c*c + 0.5`` for ``(0, inf)``), ``/`` sees
``c*c + 0.5`` as its divisor, ``**`` sees such a base and an exponent in
``(0, 1)``, and ``exp`` sees ``tanh(c)``. So hypothesis never has to reject
an example, and it shrinks a failure to a small formula, which is how it
prints.

Examples:
    >>> from hypothesis import given
    >>> from autograd import gradcheck
    >>> @given(expressions())
    ... def test_every_op(case):
    ...     f, xs = case
    ...     assert gradcheck(f, xs)
    >>> test_every_op()
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from hypothesis import strategies as st

from autograd.core.custom import OpFunction
from autograd.core.ops import OPS, POSITIVE
from autograd.core.value import Value

UNARY = ("neg", "exp", "log", "tanh", "sigmoid", "sqrt", "sin", "cos", "softplus")
BINARY = ("+", "-", "*", "/", "**")
# Not differentiable at a point (0, or clamp's bounds), so a central difference
# may straddle the kink: left out by default, available by name.
KINKED = ("abs", "relu", "leaky_relu", "clamp")
# Constant operands that follow the input of the ops that take them: the
# default slope of Value.leaky_relu, and clamp bounds inside the default input
# range [-2, 2], so that clamp cuts some inputs off.
CONSTANT_OPERANDS: Mapping[str, tuple[float, ...]] = {
    "leaky_relu": (0.01,),
    "clamp": (-1.0, 1.0),
}
EXPONENTS = (2.0, 3.0, 0.5, -1.0)
# How far a mapped argument stays inside its domain: at least MARGIN from an
# infinite interval's end, and a fraction SQUASH of a finite one's half-width
# around its middle.
MARGIN = 0.5
SQUASH = 0.9
UNIT = (0.0, 1.0)


@dataclass(frozen=True)
class Input:
    """A leaf of a formula tree: input number ``index``."""

    index: int


@dataclass(frozen=True)
class Constant:
    """A leaf of a formula tree: a plain number."""

    value: float


# A formula tree: a leaf, or ``(op name, child, ...)``. Leaves are not tuples,
# so no op name (even "x") can be mistaken for one.
Tree: TypeAlias = "Input | Constant | tuple[Any, ...]"


class _Printer(Protocol):
    def text(self, obj: str) -> None: ...


@dataclass(frozen=True)
class Expression:
    """A formula tree over ``n_inputs`` inputs, which prints as its formula.

    Call it on Values (``f(*values)``), or evaluate it with any arithmetic
    through ``evaluate(args, functions)`` (mpmath in the tests).

    Examples:
        >>> f = Expression(("*", Input(0), ("log", Input(1))), 2)
        >>> f
        (x0 * log(x1))
        >>> f(Value(3.0), Value(1.0)).data
        0.0
    """

    tree: Tree
    n_inputs: int

    def __call__(self, *xs: Value) -> Value:
        return self.evaluate(xs, VALUE_FUNCTIONS)  # type: ignore[no-any-return]  # Values in, Value out

    def evaluate(self, xs: Sequence[Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
        # Iterative post-order evaluation: no recursion over the tree's depth.
        results: list[Any] = []
        stack: list[tuple[Tree, bool]] = [(self.tree, False)]
        while stack:
            node, expanded = stack.pop()
            if isinstance(node, Input):
                results.append(xs[node.index])
            elif isinstance(node, Constant):
                results.append(node.value)
            elif expanded:
                arity = len(node) - 1
                args = results[len(results) - arity :]
                del results[len(results) - arity :]
                results.append(functions[node[0]](*args))
            else:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node[1:]))
        return results[0]

    def __repr__(self) -> str:
        return str(self.evaluate([f"x{i}" for i in range(self.n_inputs)], _FORMULAS))

    def _repr_pretty_(self, printer: _Printer, cycle: bool) -> None:
        # Hypothesis (and IPython) print with this hook when it exists; without
        # it they would print the dataclass's fields, not the formula.
        printer.text(repr(self))


class _OpFunctions(Mapping[str, Callable[..., Value]]):
    """Every registered op by name, as a function on Values: custom ops too,
    whenever they are registered. The operators are Python's, so each makes
    the node a user's code would (``x ** 2`` is the constant-exponent pow)."""

    OPERATORS: Mapping[str, Callable[..., Any]] = {
        "+": operator.add,
        "-": operator.sub,
        "*": operator.mul,
        "/": operator.truediv,
        "**": operator.pow,
    }

    def __getitem__(self, name: str) -> Callable[..., Value]:
        return self.OPERATORS.get(name) or OpFunction(OPS[name])

    def __iter__(self) -> Iterator[str]:
        return iter(OPS)

    def __len__(self) -> int:
        return len(OPS)


VALUE_FUNCTIONS: Mapping[str, Callable[..., Value]] = _OpFunctions()


class _Formulas(dict[str, Callable[..., str]]):
    """Formula text for each op; ops without an entry print as calls."""

    def __missing__(self, op: str) -> Callable[..., str]:
        return lambda *args: f"{op}({', '.join(map(str, args))})"


def _infix(op: str) -> Callable[[str, str], str]:
    return lambda a, b: f"({a} {op} {b})"


_FORMULAS = _Formulas({**{op: _infix(op) for op in BINARY}, "neg": lambda a: f"-{a}"})


def _into(domain: tuple[float, float], c: Tree) -> Tree:
    """``c`` mapped into the open interval ``domain``, away from its ends, so
    that central differences stay inside too."""
    lo, hi = domain
    square = ("*", c, c)
    if hi == math.inf:
        return c if lo == -math.inf else ("+", square, Constant(lo + MARGIN))
    if lo == -math.inf:
        return ("-", Constant(hi - MARGIN), square)
    middle, half = (lo + hi) / 2, (hi - lo) / 2
    return ("+", Constant(middle), ("*", Constant(SQUASH * half), ("tanh", c)))


def _guarded(op: str, children: list[Tree]) -> Tree:
    """The op applied so that its arguments lie inside its domain."""
    if op == "exp":  # defined everywhere, but overflows past 709
        return (op, ("tanh", children[0]))
    if op == "/":
        return (op, children[0], _into(POSITIVE, children[1]))
    if op == "**":
        # base >= 0.5; exponent in (0, 1): no towers of powers, and never
        # exactly 0, where the base's gradient is masked to 0 as in torch (its
        # value is right there, but its own derivative is then 0)
        return (op, _into(POSITIVE, children[0]), _into(UNIT, children[1]))
    domain = OPS[op].domain
    arguments = children if domain is None else [_into(domain, c) for c in children]
    return (op, *arguments, *map(Constant, CONSTANT_OPERANDS.get(op, ())))


def expressions(
    min_inputs: int = 1,
    max_inputs: int = 3,
    max_leaves: int = 8,
    unary: Sequence[str] = UNARY,
    binary: Sequence[str] = BINARY,
    low: float = -2.0,
    high: float = 2.0,
) -> st.SearchStrategy[tuple[Expression, list[float]]]:
    """A strategy drawing ``(f, xs)``: an ``Expression`` over ``len(xs)``
    inputs and input floats in ``[low, high]``. Every input is used at least
    once.

    Pass ``unary``/``binary`` to choose the ops (names from the op table,
    custom ops included, registered before this call); ``KINKED`` ops are
    left out by default, as they have no derivative at their kinks.

    Examples:
        >>> expressions(unary=("no_such_op",))
        Traceback (most recent call last):
        ...
        ValueError: expressions(): no op named 'no_such_op' is registered (custom_op registers one)
    """
    for name in (*unary, *binary):
        if name not in OPS:
            raise ValueError(
                f"expressions(): no op named {name!r} is registered (custom_op registers one)"
            )
    if not (unary or binary):
        raise ValueError("expressions() needs at least one op, unary or binary")

    def extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
        grown: list[st.SearchStrategy[Tree]] = []
        if unary:
            grown.append(
                st.builds(lambda op, c: _guarded(op, [c]), st.sampled_from(list(unary)), children)
            )
        if binary:
            grown.append(
                st.builds(
                    lambda op, a, b: _guarded(op, [a, b]),
                    st.sampled_from(list(binary)),
                    children,
                    children,
                )
            )
        return st.one_of(grown)

    return _expressions_and_inputs(extend, min_inputs, max_inputs, max_leaves, low, high)


@st.composite
def _expressions_and_inputs(
    draw: st.DrawFn,
    extend: Callable[[st.SearchStrategy[Tree]], st.SearchStrategy[Tree]],
    min_inputs: int,
    max_inputs: int,
    max_leaves: int,
    low: float,
    high: float,
) -> tuple[Expression, list[float]]:
    n = draw(st.integers(min_inputs, max_inputs))
    leaves: st.SearchStrategy[Tree] = st.one_of(
        st.builds(Input, st.integers(0, n - 1)),
        st.builds(Constant, st.sampled_from(EXPONENTS)),
    )
    tree = draw(st.recursive(leaves, extend, max_leaves=max_leaves))
    # Use every input, so that each gradient checked is a real one.
    for i in range(n):
        tree = ("+", tree, Input(i))
    xs = draw(st.lists(st.floats(low, high), min_size=n, max_size=n))
    return Expression(tree, n), xs
