"""Hypothesis strategies for networks (needs hypothesis, the ``strategies``
extra); the expression strategies are in ``autograd.strategies``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from nn.layers import MLP, Activation


def mlps(
    max_inputs: int = 3,
    max_width: int = 4,
    max_layers: int = 2,
    activations: Sequence[Activation] = ("tanh", "sigmoid"),
) -> st.SearchStrategy[tuple[MLP[Any], list[float]]]:
    """Draw ``(model, x)``: an ``MLP`` with 1 to ``max_inputs`` inputs and
    1 to ``max_layers`` layers of 1 to ``max_width`` neurons, one of
    ``activations`` in its hidden layers, seeded (so a failure reproduces),
    and inputs ``x`` in [-2, 2] that fit it.

    Examples:
        >>> from hypothesis import given, settings
        >>> from autograd import Value, gradcheck
        >>> @settings(max_examples=10, deadline=None)
        ... @given(mlps())
        ... def test_networks(case):
        ...     model, x = case
        ...     def total(*inputs):
        ...         out = model(list(inputs))
        ...         return Value.sum(out if isinstance(out, list) else [out])
        ...     assert gradcheck(total, x)
        >>> test_networks()
    """

    @st.composite
    def draw_mlp(draw: st.DrawFn) -> tuple[MLP[Any], list[float]]:
        nin = draw(st.integers(1, max_inputs))
        nouts = draw(st.lists(st.integers(1, max_width), min_size=1, max_size=max_layers))
        model: MLP[Any] = MLP(
            nin,
            nouts,
            activation=draw(st.sampled_from(list(activations))),
            seed=draw(st.integers(0, 2**32 - 1)),
        )
        x = draw(st.lists(st.floats(-2.0, 2.0), min_size=nin, max_size=nin))
        return model, x

    return draw_mlp()
