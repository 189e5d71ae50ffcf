"""fit: the same updates as a hand-written loop, batches, shuffling, history, progress."""

import io
import random
import re

import pytest

from autograd import Value
from nn import MLP, SGD, Adam, cross_entropy, fit, hinge_loss, mse_loss, sse_loss

XS = [[0.0, 1.0], [1.0, -1.0], [0.5, 0.5], [-1.0, 2.0], [2.0, 0.0]]
YS = [0.5, -0.25, 1.0, 0.0, 0.75]


def model():
    return MLP(2, [3, 1], activation="tanh", seed=4)


def hand_loop(net, order_per_epoch, batch_size, epochs, lr=0.1):
    opt = SGD(net.parameters(), lr=lr)
    history = []
    for epoch in range(epochs):
        order = order_per_epoch(epoch)
        epoch_loss = 0.0
        for first in range(0, len(order), batch_size):
            batch = order[first : first + batch_size]
            loss = mse_loss([net(XS[i]) for i in batch], [YS[i] for i in batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            epoch_loss += loss.data * (len(batch) / len(XS))
        history.append(epoch_loss)
    return history


def test_full_batch_is_one_step_per_epoch_and_history_is_each_epochs_loss():
    net, ref = model(), model()
    history = fit(net, XS, YS, epochs=7, quiet=True)
    opt = SGD(ref.parameters(), lr=0.1)
    expected = []
    for _ in range(7):
        loss = mse_loss([ref(x) for x in XS], YS)
        opt.zero_grad()
        loss.backward()
        opt.step()
        expected.append(loss.data)
    assert history == expected
    assert net.state_dict() == ref.state_dict()


def test_mini_batches_step_once_per_batch_in_order():
    net, ref = model(), model()
    history = fit(net, XS, YS, epochs=4, batch_size=2, quiet=True)
    expected = hand_loop(ref, lambda epoch: list(range(5)), batch_size=2, epochs=4)
    assert history == expected
    assert net.state_dict() == ref.state_dict()


def test_shuffled_batches_follow_random_random_of_the_seed():
    net, ref = model(), model()
    history = fit(net, XS, YS, epochs=4, batch_size=2, shuffle=True, seed=11, quiet=True)
    rng, order = random.Random(11), list(range(5))

    def shuffled(epoch):
        rng.shuffle(order)
        return order

    assert history == hand_loop(ref, shuffled, batch_size=2, epochs=4)
    assert net.state_dict() == ref.state_dict()


def test_a_seed_reproduces_a_shuffled_run_and_leaves_the_global_rng_alone():
    random.seed(3)
    before = random.random()
    random.seed(3)
    runs = [
        fit(model(), XS, YS, epochs=5, batch_size=2, shuffle=True, seed=s, quiet=True)
        for s in (1, 1, 2)
    ]
    assert random.random() == before
    assert runs[0] == runs[1] and runs[0] != runs[2]


def test_history_weights_each_batch_by_its_samples():
    # one epoch with lr=0 leaves the weights alone, so the history is the mean
    # of the per-sample losses whatever the batching
    net = model()
    full = mse_loss([net(x) for x in XS], YS).data
    for batch_size in (1, 2, 3, 5, 8):
        (loss,) = fit(net, XS, YS, epochs=1, batch_size=batch_size, lr=0.0, quiet=True)
        assert loss == pytest.approx(full, rel=1e-15)


def test_regularization_and_an_optimizer_are_used():
    net = model()
    opt = Adam(net.parameters(), lr=0.01)

    def l2(m):
        return 0.5 * Value.sum([p * p for p in m.parameters()])

    reg = l2(net).data
    history = fit(net, XS, YS, epochs=3, optimizer=opt, regularization=l2, quiet=True)
    assert history[0] == pytest.approx(mse_loss([model()(x) for x in XS], YS).data + reg)
    assert opt.state[0]["step"] == 3


def test_numpy_samples_and_class_targets_with_cross_entropy():
    np = pytest.importorskip("numpy")
    xs = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [-1.0, 0.5]])
    ys = np.array([0, 1, 2, 1])
    net = MLP(2, [8, 3], activation="tanh", seed=0)
    history = fit(
        net,
        xs,
        ys,
        epochs=60,
        loss=cross_entropy,
        optimizer=Adam(net.parameters(), lr=0.05),
        quiet=True,
    )
    assert history[0] == pytest.approx(
        cross_entropy([MLP(2, [8, 3], activation="tanh", seed=0)(x) for x in xs], ys.tolist()).data
    )
    assert history[-1] < 0.1 * history[0]


def test_progress_to_a_file_is_ten_lines_with_loss_and_rate():
    out = io.StringIO()
    history = fit(model(), XS, YS, epochs=20, batch_size=2, stream=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10
    match = re.fullmatch(r"epoch 20/20  loss (\S+)  (\d+) samples/s", lines[-1])
    assert match and float(match[1]) == pytest.approx(history[-1], rel=1e-5)
    assert int(match[2]) > 0


def test_progress_on_a_terminal_rewrites_one_line():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    fit(model(), XS, YS, epochs=3, stream=out)
    text = out.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n") and text.count("\n") == 1
    assert "epoch 3/3" in text


def test_quiet_prints_nothing():
    out = io.StringIO()
    fit(model(), XS, YS, epochs=3, stream=out, quiet=True)
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"batch_size": 0}, "batch_size must be None \\(full batch\\) or an int >= 1, got 0"),
        ({"batch_size": True}, "batch_size .* got True"),
        ({"batch_size": 2.0}, "batch_size .* got 2.0"),
        ({"epochs": -1}, "epochs must be an int >= 0, got -1"),
        ({"ys": YS[:3]}, "5 inputs but 3 targets"),
        ({"xs": [], "ys": []}, "at least one sample"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    args = {"xs": XS, "ys": YS, **kwargs}
    with pytest.raises(ValueError, match=message):
        fit(model(), quiet=True, **args)


# --- compile=True: the same training, run as generated code --------------------


def _points(n, seed=0):
    rng = random.Random(seed)
    return [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(n)]


def _trained(compile, make, xs, ys, **options):
    model = make()
    history = fit(model, xs, ys, quiet=True, compile=compile, **options)
    return [p.data for p in model.parameters()], history


@pytest.mark.parametrize(
    "make, targets, options",
    [
        (
            lambda: MLP(
                2,
                [3, 1],
                activation="sigmoid",
                output_activation="sigmoid",
                bias=False,
                init="normal",
                seed=1,
            ),
            lambda xs: [0.92, 0.86, 0.89][: len(xs)],
            {"epochs": 200, "loss": sse_loss, "lr": 1.0},
        ),
        (
            lambda: MLP(2, [8, 3], activation="tanh", seed=0),
            lambda xs: [0 if x + y > 0.3 else 1 if x > y else 2 for x, y in xs],
            {"epochs": 10, "loss": cross_entropy, "batch_size": 8, "shuffle": True, "seed": 0},
        ),
        (
            lambda: MLP(2, [8, 1], seed=0),
            lambda xs: [1.0 if x * y > 0 else -1.0 for x, y in xs],
            {
                "epochs": 10,
                "loss": hinge_loss,
                "batch_size": 5,
                "regularization": lambda m: 1e-3 * Value.sum([p * p for p in m.parameters()]),
            },
        ),
        (
            lambda: MLP(2, [4, 2], activation="tanh", seed=3),
            lambda xs: [[x * y, x - y] for x, y in xs],
            {"epochs": 10, "loss": mse_loss},
        ),
    ],
    ids=["tutorial-sse", "classes-cross-entropy", "hinge-regularized", "two-outputs-mse"],
)
@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_compiled_training_gives_the_weights_eager_training_gives(make, targets, options, backend):
    xs = [[2 / 3, 1.0], [1 / 3, 5 / 9], [1.0, 2 / 3]] if "lr" in options else _points(30)
    ys = targets(xs)
    eager, eager_history = _trained(False, make, xs, ys, **options)
    compiled, compiled_history = _trained(True, make, xs, ys, backend=backend, **options)
    assert compiled == pytest.approx(eager, rel=1e-12, abs=1e-12)
    assert compiled_history == pytest.approx(eager_history, rel=1e-12, abs=1e-15)


def test_compile_refuses_a_loss_that_neither_sums_nor_averages():
    def largest(outputs, targets):
        return Value.sum([(o - y) ** 2 for o, y in zip(outputs, targets)]) ** 0.5

    with pytest.raises(ValueError, match="sums or averages.*'largest'"):
        fit(
            MLP(2, [1], seed=0),
            _points(4),
            [0.0, 1.0, 0.0, 1.0],
            loss=largest,
            epochs=1,
            quiet=True,
            compile=True,
        )


def test_compiled_training_takes_numpy_rows_and_targets():
    np = pytest.importorskip("numpy")
    xs = np.array(_points(12))
    ys = np.array([0, 1, 2] * 4)
    eager, _ = _trained(False, lambda: MLP(2, [4, 3], seed=0), xs, ys, epochs=3, loss=cross_entropy)
    compiled, _ = _trained(
        True, lambda: MLP(2, [4, 3], seed=0), xs, ys, epochs=3, loss=cross_entropy
    )
    assert compiled == pytest.approx(eager, rel=1e-12, abs=1e-12)


def test_an_optimizer_of_another_model_is_refused():
    model, other = MLP(2, [1], seed=0), MLP(2, [1], seed=1)
    with pytest.raises(ValueError, match="none of the model's parameters"):
        fit(model, [[0.0, 1.0]], [1.0], optimizer=SGD(other.parameters(), lr=0.1), quiet=True)


def test_eager_batches_run_with_the_collector_paused_and_restore_it():
    import gc

    states: list[bool] = []

    def watched(outputs, targets):
        states.append(gc.isenabled())
        return mse_loss(outputs, targets)

    fit(model(), XS, YS, epochs=2, batch_size=2, loss=watched, quiet=True)
    assert states == [False] * 6 and gc.isenabled()
    with pytest.raises(ValueError):
        fit(model(), XS, YS, epochs=1, loss=lambda o, y: mse_loss(o, y[:1]), quiet=True)
    assert gc.isenabled()
