"""step.train: N iterations of (zero grads; batch; p.data -= lr * p.grad)
inside generated code, bitwise the Python loop, and readable."""

import pytest

from autograd import Value, compile_grad
from nn import MLP, hinge_loss, sse_loss

XS = [[2 / 3, 1.0], [1 / 3, 5 / 9], [1.0, 6 / 9]]
YS = [0.92, 0.86, 0.89]


def bits(xs):
    return [repr(float(x)) for x in xs]


def python_loop(step, samples, steps, lr, reduce):
    for _ in range(steps):
        for p in step.params:
            p.grad = 0.0
        loss = step.batch(samples, reduce=reduce)
        for p in step.params:
            p.data -= lr * p.grad
    return loss


def tutorial():
    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid", bias=False, seed=1)
    step = compile_grad(
        lambda x, y: sse_loss([model(x)], [y]), XS[0], YS[0], params=model.named_parameters()
    )
    return model, step


def no_batches(step, monkeypatch):
    """Make the step's batches fail: a training loop that still works ran
    as one generated function."""

    def boom(*args):
        raise AssertionError("train ran the Python loop")

    monkeypatch.setattr(step._versions, "batch", boom)


@pytest.mark.parametrize("reduce", ["sum", "mean"])
def test_train_is_bitwise_the_python_loop(reduce, monkeypatch):
    (model, step), (other, again) = tutorial(), tutorial()
    samples = list(zip(XS, YS, strict=True))
    no_batches(step, monkeypatch)
    loss = step.train(samples, steps=200, lr=1.0, reduce=reduce)
    expected = python_loop(again, samples, 200, 1.0, reduce)
    assert repr(loss) == repr(expected)
    assert bits(p.data for p in model.parameters()) == bits(p.data for p in other.parameters())
    assert bits(p.grad for p in model.parameters()) == bits(p.grad for p in other.parameters())
    assert step.stats.compiled == 200 and step.stats.fallbacks == 0


def test_the_training_loop_reads_like_the_hand_written_one():
    _, step = tutorial()
    lines = [line.strip() for line in step.train_source().splitlines()]
    assert lines[0] == "def loss_and_grad_train(params, samples, steps, lr, seed):"
    assert "for iteration in range(steps):" in lines and "for x, y in samples:" in lines
    assert "d_loss = seed" in lines  # 1.0 for a sum, 1.0 / n for a mean
    assert "layers_0_neurons_0_w_0 -= lr * d_layers_0_neurons_0_w_0" in lines


def test_a_batch_loop_with_skips_trains_bitwise_too(monkeypatch):
    model, other = MLP(2, [8, 8, 1], seed=3), MLP(2, [8, 8, 1], seed=3)
    pts = [[0.3 * i - 1.5, (-1) ** i * 0.4 * i] for i in range(12)]
    labels = [1 if x * y > 0 else -1 for x, y in pts]
    samples = list(zip(pts, labels, strict=True))
    a = compile_grad(
        lambda x, y: hinge_loss([model(x)], [y]), pts[0], labels[0], params=model.named_parameters()
    )
    b = compile_grad(
        lambda x, y: hinge_loss([other(x)], [y]), pts[0], labels[0], params=other.named_parameters()
    )
    assert "continue" in a.train_source()
    no_batches(a, monkeypatch)
    assert repr(a.train(samples, steps=30, lr=0.1, reduce="mean")) == repr(
        python_loop(b, samples, 30, 0.1, "mean")
    )
    assert bits(p.data for p in model.parameters()) == bits(p.data for p in other.parameters())


def test_where_the_generated_loop_cannot_run_the_python_loop_gives_the_same():
    w, v = Value(0.5), Value(0.5)
    fn = lambda w_: lambda x: (w_ * x).exp() if w_ * x > 1.0 else w_ * x  # noqa: E731
    a, b = compile_grad(fn(w), 1.0), compile_grad(fn(v), 1.0)
    samples = [(1.0,), (3.0,)]  # the second takes the other branch: a guard fails
    loss = a.train(samples, steps=5, lr=0.01)
    assert repr(loss) == repr(python_loop(b, samples, 5, 0.01, "sum"))
    assert repr(w.data) == repr(v.data)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": 0, "lr": 0.1}, "steps must be an int >= 1"),
        ({"steps": 1.5, "lr": 0.1}, "steps must be an int >= 1"),
        ({"steps": 2, "lr": -1.0}, "lr must be a finite number >= 0"),
        ({"steps": 2, "lr": float("inf")}, "lr must be a finite number >= 0"),
        ({"steps": 2, "lr": 0.1, "reduce": "max"}, "reduce must be 'sum' or 'mean'"),
    ],
)
def test_bad_training_options_say_what_is_expected(kwargs, message):
    _, step = tutorial()
    with pytest.raises(ValueError, match=message):
        step.train(list(zip(XS, YS, strict=True)), **kwargs)
