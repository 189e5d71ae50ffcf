"""MLP structure, names, errors, and gradients against torch."""

import pytest

from autograd import Value
from nn import MLP, Layer, Neuron, mse_loss


def test_named_parameters_follow_the_structure():
    model = MLP(2, [3, 1], seed=0)
    names = [n for n, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b" and len(names) == 3 * 3 + 4
    assert model.parameters() == [p for _, p in model.named_parameters()]
    assert (
        model.layers[0].neurons[1].w[0] is dict(model.named_parameters())["layers.0.neurons.1.w.0"]
    )


def test_without_bias_there_is_no_b():
    model = MLP(2, [3, 1], bias=False, seed=0)
    assert all(not n.endswith(".b") for n, _ in model.named_parameters())
    assert model.layers[0].neurons[0].b is None


def test_a_neuron_is_one_dot_node_plus_the_bias_then_its_activation():
    n = Neuron(3, activation="tanh", seed=0)
    out = n([1.0, 2.0, 3.0])
    assert out.op == "tanh"
    plus = out.inputs[0]
    assert plus.op == "+" and plus.inputs[0].op == "dot" and plus.inputs[1] is n.b


def test_the_same_seed_gives_the_same_model_and_the_global_rng_is_untouched():
    import random

    random.seed(5)
    before = random.random()
    random.seed(5)
    a, b = MLP(3, [4, 2], seed=42), MLP(3, [4, 2], seed=42)
    assert random.random() == before
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != MLP(3, [4, 2], seed=43).state_dict()


@pytest.mark.parametrize("init", ["normal", "uniform", "xavier"])
def test_inits_draw_in_their_range(init):
    ws = [p.data for p in MLP(4, [8], init=init, seed=1, bias=False).parameters()]
    bound = {"normal": 10, "uniform": 1.0, "xavier": (6 / 12) ** 0.5}[init]
    assert all(abs(w) <= bound for w in ws) and len(set(ws)) == 32


def test_wrong_input_count_says_how_many_were_expected():
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])


def test_unknown_activation_or_init_is_named():
    with pytest.raises(ValueError, match="softmax"):
        MLP(2, [1], activation="softmax")
    with pytest.raises(ValueError, match="kaiming"):
        Layer(2, 1, init="kaiming")


def test_outputs_are_a_value_or_a_list():
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    outs = MLP(2, [3, 2], seed=0)([1.0, 2.0])
    assert isinstance(outs, list) and len(outs) == 2


def test_repr_shows_the_structure():
    assert repr(MLP(2, [16, 16, 1], seed=0)) == (
        "MLP(2 -> [16, 16, 1]: Layer(2 -> 16, relu), Layer(16 -> 16, relu), Layer(16 -> 1, linear))"
    )


def test_every_parameter_gradient_matches_torch():
    torch = pytest.importorskip("torch")
    model = MLP(3, [4, 4, 2], activation="tanh", output_activation="tanh", seed=3)
    xs = [[0.5, -1.2, 2.0], [-0.3, 0.8, 0.1]]
    ys = [[0.2, -0.4], [0.9, 0.1]]
    loss = mse_loss([model(x) for x in xs], ys)
    loss.backward()

    params = {
        n: torch.tensor(p.data, dtype=torch.float64, requires_grad=True)
        for n, p in model.named_parameters()
    }
    outs = []
    for x in xs:
        h = [torch.tensor(v, dtype=torch.float64) for v in x]
        for i, layer in enumerate(model.layers):
            h = [
                torch.tanh(
                    sum(params[f"layers.{i}.neurons.{j}.w.{k}"] * h[k] for k in range(len(h)))
                    + params[f"layers.{i}.neurons.{j}.b"]
                )
                for j in range(len(layer.neurons))
            ]
        outs.extend(h)
    targets = [t for row in ys for t in row]
    t_loss = sum((o - t) ** 2 for o, t in zip(outs, targets)) / len(targets)
    t_loss.backward()
    assert loss.data == pytest.approx(t_loss.item(), abs=1e-12)
    for name, p in model.named_parameters():
        assert p.grad == pytest.approx(params[name].grad.item(), abs=1e-9), name
