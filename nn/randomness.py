"""Where ``nn`` draws its random numbers: initial weights, ``fit``'s
shuffling and the datasets.

Every function that draws takes ``seed=`` and ``rng=``, and draws from

* ``rng``, a ``random.Random`` you pass (several models can share one);
* else a ``random.Random(seed)`` of its own, when you pass a ``seed``: the
  same numbers every time, and Python's global ``random`` is not touched;
* else Python's global ``random`` module, as micrograd does, so that
  ``random.seed(1337)`` before building a model and training it reproduces
  the whole run.

Examples:
    >>> import random
    >>> random.seed(1337); a = random_source().uniform(0, 1)
    >>> random.seed(1337); b = random_source().uniform(0, 1)
    >>> a == b, random_source(seed=1).uniform(0, 1) == random_source(seed=1).uniform(0, 1)
    (True, True)
"""

from __future__ import annotations

import random
from collections.abc import MutableSequence
from typing import Any, Protocol


class RandomSource(Protocol):
    """What ``nn`` draws with: a ``random.Random``, or the ``random`` module."""

    def uniform(self, a: float, b: float) -> float: ...

    def gauss(self, mu: float = 0.0, sigma: float = 1.0) -> float: ...

    def shuffle(self, x: MutableSequence[Any]) -> None: ...


def random_source(seed: int | None = None, rng: RandomSource | None = None) -> RandomSource:
    """``rng`` if given, else ``random.Random(seed)`` if a seed is given,
    else the global ``random`` module. Passing both is an error: which one
    would decide is not obvious."""
    if rng is not None:
        if seed is not None:
            raise ValueError("pass seed= or rng=, not both")
        if not all(callable(getattr(rng, name, None)) for name in ("uniform", "gauss", "shuffle")):
            raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}: {rng!r:.40}")
        return rng
    if seed is not None:
        return random.Random(seed)
    return random
