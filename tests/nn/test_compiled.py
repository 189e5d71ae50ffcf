"""fit(compile=True): the reduction is asked of the loss, never guessed from
the data; data with nan trains as eager; plain SGD runs fused, bitwise as
the separate steps."""

import math
from typing import Any

import pytest

from autograd import CompiledStep, Value
from nn import MLP, SGD, Adam, cross_entropy, fit, hinge_loss, mse_loss
from nn.compiled import reduction


def margin_sum(outputs, targets):
    """A custom loss that sums, and is 0 wherever the margin is met."""
    return Value.sum([(1 - o * y).relu() for o, y in zip(outputs, targets, strict=True)])


def bits(xs):
    return [repr(float(x)) for x in xs]


def test_a_summing_loss_is_not_taken_for_a_mean_when_the_first_samples_cost_nothing():
    # eight samples the untrained model already classifies with margin, then more
    xs = [[3.0 + i, 3.0 + i] for i in range(8)] + [[-1.0, 0.5], [0.5, -1.0], [-2.0, -0.3]]
    ys = [1.0] * 8 + [1.0, 1.0, -1.0]
    runs = []
    for compile in (False, True):
        model = MLP(2, [1], seed=3)
        for p in model.parameters():
            p.data = 1.0  # a margin of at least 7 on the first eight
        runs.append(
            fit(model, xs, ys, epochs=3, loss=margin_sum, lr=0.01, quiet=True, compile=compile)
        )
    assert runs[1] == pytest.approx(runs[0], rel=1e-12, abs=1e-15)
    assert reduction(model, xs, ys, margin_sum) == "sum"


@pytest.mark.parametrize(
    ("loss", "ys", "outputs", "expected"),
    [
        (mse_loss, [0.5, -0.5, 2.0], 1, "mean"),
        (hinge_loss, [1, -1, 1], 1, "mean"),
        (margin_sum, [1.0, 1.0, -1.0], 1, "sum"),
        (cross_entropy, [0, 2, 1], 3, "mean"),
    ],
)
def test_the_reduction_of_each_kind_of_loss(loss, ys, outputs, expected):
    model = MLP(2, [outputs], seed=0)
    assert reduction(model, [[0.0, 0.0]] * 3, ys, loss) == expected


def test_a_loss_that_neither_sums_nor_averages_is_refused():
    def worst(outputs, targets):
        squares = [(o - y) ** 2 for o, y in zip(outputs, targets, strict=True)]
        return max(squares, key=lambda v: v.data)

    with pytest.raises(ValueError, match="sums or averages"):
        fit(
            MLP(1, [1], seed=0),
            [[0.0], [1.0], [2.0]],
            [0.0, 1.0, 3.0],
            loss=worst,
            epochs=1,
            quiet=True,
            compile=True,
        )


def test_a_loss_that_is_zero_everywhere_cannot_be_told_and_says_so():
    with pytest.raises(ValueError, match="could not tell"):
        reduction(MLP(1, [1], seed=0), [[0.0]] * 3, [0.0] * 3, lambda o, y: Value(0.0) * o[0])


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_data_with_nan_trains_as_eager_does(backend):
    xs = [[0.0, 1.0], [math.nan, 0.5], [1.0, -1.0], [0.5, 0.5]]
    ys = [0.5, 1.0, math.nan, 0.0]
    runs = [
        fit(
            MLP(2, [3, 1], activation="tanh", seed=2),
            xs,
            ys,
            epochs=2,
            quiet=True,
            compile=compile,
            backend=backend,
        )
        for compile in (False, True)
    ]
    assert bits(runs[0]) == bits(runs[1]) == ["nan", "nan"]


def test_plain_sgd_runs_fused_and_equals_the_separate_steps_bitwise(monkeypatch):
    xs = [[0.0, 1.0], [1.0, -1.0], [0.5, 0.5], [-1.0, 2.0], [2.0, 0.0]]
    ys = [0.5, -0.25, 1.0, 0.0, 0.75]
    fused = MLP(2, [4, 1], activation="tanh", seed=4)
    apart = MLP(2, [4, 1], activation="tanh", seed=4)
    trained: list[int] = []
    real_train = CompiledStep.train

    def counted(*args, **kwargs):
        trained.append(1)
        return real_train(*args, **kwargs)

    monkeypatch.setattr(CompiledStep, "train", counted)
    options: dict[str, Any] = {
        "epochs": 6,
        "batch_size": 2,
        "shuffle": True,
        "seed": 1,
        "quiet": True,
    }
    history = fit(fused, xs, ys, compile=True, **options)
    assert len(trained) == 6 * 3  # one fused step per batch

    class Steps(SGD):  # a subclass may step otherwise: it is not fused
        pass

    trained.clear()
    separate = fit(
        apart, xs, ys, compile=True, optimizer=Steps(apart.parameters(), lr=0.1), **options
    )
    assert trained == [] and bits(history) == bits(separate)
    assert bits(p.data for p in fused.parameters()) == bits(p.data for p in apart.parameters())


def l2(model):
    return 1e-2 * Value.sum([p * p for p in model.parameters()])


@pytest.mark.parametrize("with_adam", [True, False])
def test_other_optimizers_and_regularization_still_train_compiled(with_adam):
    xs, ys = [[0.0, 1.0], [1.0, -1.0], [0.5, 0.5]], [0.5, -0.25, 1.0]
    runs = []
    for compile in (True, False):
        m = MLP(2, [3, 1], activation="tanh", seed=5)
        optimizer = Adam(m.parameters(), lr=0.05) if with_adam else None
        regularization = None if with_adam else l2
        runs.append(
            fit(
                m,
                xs,
                ys,
                epochs=4,
                quiet=True,
                compile=compile,
                optimizer=optimizer,
                regularization=regularization,
            )
        )
    assert runs[0] == pytest.approx(runs[1], rel=1e-12)


def test_a_mean_weighted_by_target_is_refused_even_when_the_first_targets_agree():
    def weighted_mse(outputs, targets):
        weights = [2.0 if t == 1.0 else 1.0 for t in targets]
        terms = [w * (o - t) ** 2 for o, t, w in zip(outputs, targets, weights, strict=True)]
        return Value.sum(terms) / sum(weights)

    xs, ys = [[0.1 * i, -0.2 * i] for i in range(10)], [0.0] * 5 + [1.0] * 5
    with pytest.raises(ValueError, match="sums or averages"):
        fit(MLP(2, [3, 1], seed=0), xs, ys, loss=weighted_mse, epochs=1, quiet=True, compile=True)


def test_integer_targets_a_loss_takes_as_numbers_make_one_step_not_one_per_value():
    from nn.compiled import CompiledLoss

    xs, ys = [[i / 30, 1 - i / 30] for i in range(30)], list(range(30))
    model = MLP(2, [4, 1], seed=0)
    compiled = CompiledLoss(model, xs, ys, mse_loss, None, "python")
    assert list(compiled.steps) == [None]
    classes = CompiledLoss(
        MLP(2, [4, 3], seed=0), xs, [i % 3 for i in range(30)], cross_entropy, None, "python"
    )
    assert sorted(classes.steps) == [0, 1, 2]


def test_sgd_listing_a_parameter_twice_is_not_fused():
    xs, ys = [[0.0, 1.0], [1.0, -1.0]], [0.5, -0.25]
    runs = []
    for compile in (True, False):
        model = MLP(2, [1], seed=0)
        params = model.parameters()
        optimizer = SGD(params + params[:1], lr=0.1)  # the first updated twice a step
        runs.append(fit(model, xs, ys, epochs=3, optimizer=optimizer, quiet=True, compile=compile))
        runs.append([p.data for p in model.parameters()])
    assert runs[1] == pytest.approx(runs[3], rel=1e-12)
