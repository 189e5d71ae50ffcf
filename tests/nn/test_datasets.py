"""The datasets: shapes, classes, reproducibility, and their geometry."""

import math
import random

import pytest

from nn.datasets import circles, moons, spirals, xor

DATASETS = [moons, circles, xor, spirals]


@pytest.mark.parametrize("make", DATASETS)
def test_each_gives_n_points_of_two_coordinates_and_balanced_classes(make):
    points, labels = make(40, seed=0)
    assert len(points) == len(labels) == 40
    assert all(len(p) == 2 and all(isinstance(c, float) for c in p) for p in points)
    assert set(labels) == {0, 1}
    if make is not xor:  # xor's classes are as balanced as the quadrants drawn
        assert labels.count(0) == labels.count(1) == 20


@pytest.mark.parametrize("make", DATASETS)
def test_a_seed_reproduces_and_the_global_random_does_too(make):
    assert make(30, seed=3) == make(30, seed=3)
    assert make(30, seed=3) != make(30, seed=4)
    assert make(30, seed=3) == make(30, rng=random.Random(3))
    random.seed(9)
    first = make(30)
    random.seed(9)
    assert make(30) == first


def test_noise_free_moons_lie_on_their_half_circles():
    points, labels = moons(20, noise=0.0, seed=0)
    for (x, y), c in zip(points, labels, strict=True):
        cx, cy = (0.0, 0.0) if c == 0 else (1.0, 0.5)
        assert math.hypot(x - cx, y - cy) == pytest.approx(1.0)
        assert (y >= -1e-12) if c == 0 else (y <= 0.5 + 1e-12)


def test_noise_free_circles_have_their_two_radii():
    points, labels = circles(20, noise=0.0, factor=0.3, seed=0)
    radii = {
        c: {round(math.hypot(x, y), 9) for (x, y), k in zip(points, labels) if k == c}
        for c in (0, 1)
    }
    assert radii == {0: {1.0}, 1: {0.3}}


def test_noise_free_xor_labels_the_quadrants():
    points, labels = xor(200, seed=0)
    assert all(c == int((x > 0) == (y > 0)) for (x, y), c in zip(points, labels))
    assert all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in points)


def test_spirals_take_any_number_of_classes_and_spread_the_remainder():
    points, labels = spirals(11, classes=3, seed=0)
    assert [labels.count(c) for c in range(3)] == [4, 4, 3]
    assert all(math.hypot(x, y) <= 1.0 + 1e-12 for x, y in points)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: moons(3), "moons: n must be an int >= 4, got 3"),
        (lambda: circles(10, factor=1.5), "factor must be between 0 and 1"),
        (lambda: xor(0), "xor: n must be an int >= 1"),
        (lambda: spirals(10, classes=1), "classes must be an int >= 2"),
        (lambda: spirals(5, classes=3), "two points an arm"),
        (lambda: moons(10, noise=-1), "noise must be a number >= 0"),
        (lambda: moons(10.0), "got 10.0"),  # type: ignore[arg-type]  # wrong on purpose
    ],
)
def test_bad_arguments_say_what_is_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
