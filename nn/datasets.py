"""Small 2-D classification datasets, drawn as ``nn`` draws everything: from
``rng=``, else ``random.Random(seed)``, else Python's global ``random``
(see ``nn.randomness``).

Each returns ``(points, labels)``: ``n`` points ``[x, y]`` and their classes
as indices ``0, 1, ...`` (the targets ``cross_entropy`` takes; for
``hinge_loss`` map them to -1 and +1 with ``2 * c - 1``). ``noise`` is the
standard deviation of the Gaussian noise added to each coordinate.

Examples:
    >>> points, labels = moons(6, seed=0)
    >>> len(points), labels
    (6, [0, 0, 0, 1, 1, 1])
    >>> moons(6, seed=0) == (points, labels)
    True
"""

from __future__ import annotations

import math
import numbers

from nn.randomness import RandomSource, random_source

Points = tuple[list[list[float]], list[int]]


def moons(
    n: int = 100, noise: float = 0.1, *, seed: int | None = None, rng: RandomSource | None = None
) -> Points:
    """Two interleaving half-circles, sklearn's ``make_moons``: class 0 the
    upper one (the first ``n // 2`` points), class 1 the lower one, shifted."""
    _count("moons", n, 4)
    source = random_source(seed, rng)
    spread = _noise(noise)
    half = n // 2
    points: list[list[float]] = []
    labels: list[int] = []
    for i in range(n):
        upper = i < half
        t = math.pi * (i if upper else i - half) / (half - 1)
        x, y = (math.cos(t), math.sin(t)) if upper else (1 - math.cos(t), 0.5 - math.sin(t))
        points.append([x + source.gauss(0, spread), y + source.gauss(0, spread)])
        labels.append(0 if upper else 1)
    return points, labels


def circles(
    n: int = 100,
    noise: float = 0.05,
    factor: float = 0.5,
    *,
    seed: int | None = None,
    rng: RandomSource | None = None,
) -> Points:
    """A ring of radius 1 (class 0, the first ``n // 2`` points) around a
    ring of radius ``factor`` (class 1), at uniformly drawn angles."""
    _count("circles", n, 2)
    if not (isinstance(factor, numbers.Real) and 0 < factor < 1):
        raise ValueError(f"circles: factor must be between 0 and 1, got {factor!r}")
    source = random_source(seed, rng)
    spread = _noise(noise)
    points: list[list[float]] = []
    labels: list[int] = []
    for i in range(n):
        inner = i >= n // 2
        radius = factor if inner else 1.0
        t = source.uniform(0.0, 2 * math.pi)
        points.append(
            [
                radius * math.cos(t) + source.gauss(0, spread),
                radius * math.sin(t) + source.gauss(0, spread),
            ]
        )
        labels.append(int(inner))
    return points, labels


def xor(
    n: int = 100, noise: float = 0.0, *, seed: int | None = None, rng: RandomSource | None = None
) -> Points:
    """Points uniform in the square [-1, 1]²: class 1 where x and y have the
    same sign (the first and third quadrants), class 0 elsewhere. The class
    is decided before the noise is added, so noise blurs the boundary."""
    _count("xor", n, 1)
    source = random_source(seed, rng)
    spread = _noise(noise)
    points: list[list[float]] = []
    labels: list[int] = []
    for _ in range(n):
        x, y = source.uniform(-1.0, 1.0), source.uniform(-1.0, 1.0)
        points.append([x + source.gauss(0, spread), y + source.gauss(0, spread)])
        labels.append(int((x > 0) == (y > 0)))
    return points, labels


def spirals(
    n: int = 100,
    classes: int = 2,
    noise: float = 0.15,
    *,
    seed: int | None = None,
    rng: RandomSource | None = None,
) -> Points:
    """``classes`` arms winding once around the origin (CS231n's spiral
    data), class c rotated by c / classes of a turn, ``n // classes`` points
    an arm (the first arms take one more where ``n`` does not divide), the
    noise on the angle."""
    _count("spirals", classes, 2, what="classes")
    _count("spirals", n, 2 * classes, what=f"n (two points an arm, {classes} arms)")
    source = random_source(seed, rng)
    spread = _noise(noise)
    points: list[list[float]] = []
    labels: list[int] = []
    for c in range(classes):
        per_class = n // classes + (c < n % classes)
        for i in range(per_class):
            r = 0.15 + 0.85 * i / (per_class - 1)
            t = 2 * math.pi * (c / classes + r) + source.gauss(0, spread)
            points.append([r * math.cos(t), r * math.sin(t)])
            labels.append(c)
    return points, labels


def _count(dataset: str, n: object, least: int, what: str = "n") -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < least:
        raise ValueError(f"{dataset}: {what} must be an int >= {least}, got {n!r}")


def _noise(noise: object) -> float:
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not float(noise) >= 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    return float(noise)
