"""Seeding as users already do it: without seed= or rng=, nn draws from
Python's global random, so random.seed(n) reproduces a model and a run;
seed= and rng= never touch the global state."""

import random

import pytest

from nn import MLP, SGD, Layer, Neuron, fit, hinge_loss, mse_loss
from nn.datasets import moons
from nn.randomness import random_source

XS = [[0.0, 1.0], [1.0, -1.0], [0.5, 0.5], [-1.0, 2.0], [2.0, 0.0], [1.5, -0.5]]
YS = [1, -1, 1, -1, 1, -1]


def weights(module):
    return [p.data for p in module.parameters()]


@pytest.mark.parametrize(
    "build",
    [
        lambda: MLP(2, [16, 16, 1]),
        lambda: Layer(3, 4, activation="tanh", init="normal"),
        lambda: Neuron(5, init="kaiming"),
    ],
    ids=["MLP", "Layer", "Neuron"],
)
def test_random_seed_before_building_reproduces_the_weights(build):
    random.seed(1337)
    first = weights(build())
    random.seed(1337)
    again = weights(build())
    assert first == again
    assert weights(build()) != first  # unseeded draws go on from the global state


def test_models_built_one_after_another_draw_the_next_numbers():
    random.seed(1337)
    a, b = MLP(2, [3, 1]), MLP(2, [3, 1])
    assert weights(a) != weights(b)
    random.seed(1337)
    assert (weights(MLP(2, [3, 1])), weights(MLP(2, [3, 1]))) == (weights(a), weights(b))


def a_micrograd_style_run():
    """micrograd's demo: seed the global generator, build, train shuffled."""
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    optimizer = SGD(model.parameters(), lr=0.05)
    history = fit(
        model,
        XS,
        YS,
        epochs=5,
        loss=hinge_loss,
        optimizer=optimizer,
        batch_size=2,
        shuffle=True,
        quiet=True,
    )
    return history, weights(model)


def test_random_seed_then_a_whole_fit_twice_gives_bitwise_equal_losses():
    first, again = a_micrograd_style_run(), a_micrograd_style_run()
    assert [repr(x) for x in first[0]] == [repr(x) for x in again[0]]
    assert first[1] == again[1]


def test_a_compiled_fit_is_reproduced_by_random_seed_too():
    def run():
        random.seed(7)
        model = MLP(2, [4, 1], activation="tanh")
        return fit(model, XS, YS, epochs=3, batch_size=3, shuffle=True, quiet=True, compile=True)

    assert run() == run()


def test_shuffling_without_a_seed_follows_the_global_random():
    random.seed(5)
    model = MLP(2, [3, 1], seed=0)
    history = fit(model, XS, YS, epochs=3, batch_size=2, shuffle=True, quiet=True)
    order, expected = list(range(len(XS))), random.Random(5)
    replay = MLP(2, [3, 1], seed=0)
    opt = SGD(replay.parameters(), lr=0.1)

    replayed = []
    for _ in range(3):
        expected.shuffle(order)
        total = 0.0
        for first in range(0, len(order), 2):
            batch = order[first : first + 2]
            opt.zero_grad()
            loss = mse_loss([replay(XS[i]) for i in batch], [YS[i] for i in batch])
            loss.backward()
            opt.step()
            total += loss.data * (len(batch) / len(XS))  # as fit weighs a batch
        replayed.append(total)
    assert history == replayed


@pytest.mark.parametrize(
    "draw",
    [
        lambda: MLP(2, [3, 1], seed=1),
        lambda: MLP(2, [3, 1], rng=random.Random(1)),
        lambda: Layer(2, 3, seed=1),
        lambda: Neuron(2, rng=random.Random(1)),
        lambda: fit(
            MLP(2, [3, 1], seed=1), XS, YS, epochs=2, batch_size=2, shuffle=True, seed=3, quiet=True
        ),
        lambda: moons(10, seed=1),
    ],
    ids=["MLP seed", "MLP rng", "Layer seed", "Neuron rng", "fit seed", "moons seed"],
)
def test_a_seed_or_an_rng_leaves_the_global_state_untouched(draw):
    random.seed(11)
    state = random.getstate()
    draw()
    assert random.getstate() == state


def test_loading_a_model_leaves_the_global_state_untouched(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [3, 1]).save(path)  # saved without a seed: its config says seed None
    random.seed(11)
    state = random.getstate()
    loaded = MLP.load(path)
    assert random.getstate() == state
    assert loaded.config()["seed"] is None


def test_a_seed_and_an_rng_of_the_same_number_draw_the_same_weights():
    assert weights(MLP(2, [3, 1], seed=4)) == weights(MLP(2, [3, 1], rng=random.Random(4)))
    assert weights(MLP(2, [3, 1], seed=4)) != weights(MLP(2, [3, 1], seed=5))


def test_the_global_random_module_itself_can_be_passed_as_rng():
    random.seed(2)
    by_module = weights(Neuron(3, rng=random))
    random.seed(2)
    assert by_module == weights(Neuron(3))


def test_a_seed_and_an_rng_together_are_refused():
    with pytest.raises(ValueError, match="seed= or rng=, not both"):
        MLP(2, [1], seed=0, rng=random.Random(0))
    with pytest.raises(ValueError, match="not both"):
        fit(MLP(2, [1], seed=0), XS, YS, epochs=1, seed=0, rng=random.Random(0), quiet=True)


def test_an_rng_that_cannot_draw_is_refused_by_name():
    with pytest.raises(TypeError, match="rng must be a random.Random, got int"):
        Neuron(2, rng=3)  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(TypeError, match="got str"):
        random_source(rng="seed")  # type: ignore[arg-type]  # wrong on purpose


def test_from_torch_leaves_the_global_state_untouched():
    pytest.importorskip("torch")
    from nn import from_torch, to_torch

    seq = to_torch(MLP(2, [3, 1], seed=0))
    random.seed(11)
    state = random.getstate()
    from_torch(seq)
    assert random.getstate() == state


def test_to_torch_leaves_torchs_generator_untouched():
    torch = pytest.importorskip("torch")
    from nn import to_torch

    torch.manual_seed(3)
    state = torch.get_rng_state()
    to_torch(MLP(2, [3, 1], seed=0))
    assert torch.equal(torch.get_rng_state(), state)
