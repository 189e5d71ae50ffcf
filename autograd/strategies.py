"""Hypothesis strategies for property-based gradient checks (needs hypothesis,
the ``strategies`` extra).

``expressions()`` draws ``(f, xs)``: ``f`` is a random differentiable
expression, callable on Values, and ``xs`` are floats inside its domain.
Domains hold by construction, not by filtering: ``log``, ``sqrt`` and ``/``
see ``c*c + 0.5`` instead of a raw subexpression ``c``, and ``exp`` and the
exponent of ``**`` see ``tanh(c)``, so hypothesis never has to reject an example and shrinks a
failure to a small formula.

>>> from hypothesis import given
>>> from autograd import gradcheck
>>> @given(expressions())
... def test_every_op(case):
...     f, xs = case
...     assert gradcheck(f, xs)
>>> test_every_op()
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from autograd.ops import OPS

UNARY = ("neg", "exp", "log", "tanh", "sigmoid", "sqrt")
BINARY = ("+", "-", "*", "/", "**")
# Not differentiable at 0, so a central difference may straddle the kink.
KINKED = ("abs", "relu")
EXPONENTS = (2.0, 3.0, 0.5, -1.0)


@dataclass(frozen=True)
class Expression:
    """A formula tree. Leaves are ``("x", i)`` (input i) or ``("c", value)``;
    inner nodes are ``(op, child, ...)`` with op names from the op table.

    Call it on Values (``f(*values)``), or evaluate it with any arithmetic
    through ``evaluate(args, functions)`` (mpmath in the tests)."""

    tree: tuple
    n_inputs: int

    def __call__(self, *xs):
        return self.evaluate(xs, VALUE_FUNCTIONS)

    def evaluate(self, xs: Sequence, functions: Mapping[str, Callable]):
        # Iterative post-order evaluation: no recursion over the tree's depth.
        results: list = []
        stack: list = [(self.tree, False)]
        while stack:
            node, expanded = stack.pop()
            kind = node[0]
            if kind == "x":
                results.append(xs[node[1]])
            elif kind == "c":
                results.append(node[1])
            elif expanded:
                arity = len(node) - 1
                args = results[len(results) - arity :]
                del results[len(results) - arity :]
                results.append(functions[kind](*args))
            else:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node[1:]))
        return results[0]

    def __repr__(self) -> str:
        return self.evaluate([f"x{i}" for i in range(self.n_inputs)], _FORMULA_FUNCTIONS)


def _positive(c: tuple) -> tuple:
    return ("+", ("*", c, c), ("c", 0.5))


def _guarded(op: str, children: list) -> tuple:
    """The op applied so that its arguments lie inside its domain."""
    if op in ("log", "sqrt"):
        return (op, _positive(children[0]))
    if op == "exp":
        return (op, ("tanh", children[0]))
    if op == "/":
        return (op, children[0], _positive(children[1]))
    if op == "**":  # base >= 0.5, exponent in (-1, 1): no towers of powers
        return (op, _positive(children[0]), ("tanh", children[1]))
    return (op, *children)


# The op table's own entries: they accept Values and plain numbers alike.
VALUE_FUNCTIONS: Mapping[str, Callable] = OPS


class _Formulas(dict):
    """Formula text for each op; ops without an entry print as calls."""

    def __missing__(self, op: str) -> Callable:
        return lambda *args: f"{op}({', '.join(map(str, args))})"


_FORMULA_FUNCTIONS = _Formulas(
    {
        **{op: (lambda op: lambda a, b: f"({a} {op} {b})")(op) for op in BINARY},
        "neg": lambda a: f"-{a}",
    }
)


@st.composite
def expressions(
    draw,
    min_inputs: int = 1,
    max_inputs: int = 3,
    max_leaves: int = 8,
    unary: Sequence[str] = UNARY,
    binary: Sequence[str] = BINARY,
    low: float = -2.0,
    high: float = 2.0,
):
    """Draw ``(f, xs)``: an ``Expression`` over ``len(xs)`` inputs and input
    floats in ``[low, high]``. Every input is used at least once.

    Pass ``unary``/``binary`` to choose the ops (names from the op table);
    ``KINKED`` ops are excluded by default as they have no derivative at 0.
    """
    n = draw(st.integers(min_inputs, max_inputs))
    leaves = st.one_of(
        st.tuples(st.just("x"), st.integers(0, n - 1)),
        st.tuples(st.just("c"), st.sampled_from(EXPONENTS)),
    )
    combined = []
    if unary:
        combined.append(
            lambda children: st.builds(
                lambda op, c: _guarded(op, [c]), st.sampled_from(list(unary)), children
            )
        )
    if binary:
        combined.append(
            lambda children: st.builds(
                lambda op, a, b: _guarded(op, [a, b]),
                st.sampled_from(list(binary)),
                children,
                children,
            )
        )
    tree = draw(
        st.recursive(
            leaves,
            lambda children: st.one_of([make(children) for make in combined]),
            max_leaves=max_leaves,
        )
    )
    # Use every input, so that each gradient checked is a real one.
    for i in range(n):
        tree = ("+", tree, ("x", i))
    xs = draw(st.lists(st.floats(low, high), min_size=n, max_size=n))
    return Expression(tree, n), xs
