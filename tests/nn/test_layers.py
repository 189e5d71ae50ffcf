"""MLP structure, names, errors, and gradients against torch."""

import math
import re

import pytest

import autograd.core.ops
from autograd import Value, custom_op
from nn import MLP, Layer, Neuron, mse_loss


def node(x: Value | float) -> Value:
    """An input of a node that the test knows is a node, not a constant."""
    assert isinstance(x, Value)
    return x


def bias(neuron: Neuron) -> Value:
    assert neuron.b is not None
    return neuron.b


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
    plus, dot = node(out.inputs[0]), node(node(out.inputs[0]).inputs[0])
    assert plus.op == "+" and dot.op == "dot" and plus.inputs[1] is n.b


def test_the_same_seed_gives_the_same_model_and_the_global_rng_is_untouched():
    import random

    random.seed(5)
    before = random.random()
    random.seed(5)
    a, b = MLP(3, [4, 2], seed=42), MLP(3, [4, 2], seed=42)
    assert random.random() == before
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != MLP(3, [4, 2], seed=43).state_dict()


@pytest.mark.parametrize("init", ["normal", "uniform", "xavier", "torch", "kaiming", "lecun"])
def test_inits_draw_in_their_range(init):
    ws = [p.data for p in MLP(4, [8], init=init, seed=1, bias=False).parameters()]
    bound = {"normal": 10, "uniform": 1.0, "xavier": (6 / 12) ** 0.5, "torch": 0.5}.get(init, 5)
    assert all(abs(w) <= bound for w in ws) and len(set(ws)) == 32


@pytest.mark.parametrize(
    "init, spread",
    [
        ("torch", 1 / math.sqrt(3 * 50)),  # uniform +-1/sqrt(nin) has std bound/sqrt(3)
        ("kaiming", math.sqrt(2 / 50)),
        ("lecun", math.sqrt(1 / 50)),
        ("normal", 1.0),
    ],
)
def test_inits_scale_with_fan_in(init, spread):
    ws = [p.data for p in MLP(50, [40], init=init, seed=2, bias=False).parameters()]
    std = math.sqrt(sum(w * w for w in ws) / len(ws))
    assert std == pytest.approx(spread, rel=0.05)


def test_the_default_init_is_torch_linears_for_weights_and_bias():
    model = MLP(9, [200], seed=3)
    bound = 1 / 3
    ws = [p.data for n, p in model.named_parameters() if not n.endswith(".b")]
    bs = [p.data for n, p in model.named_parameters() if n.endswith(".b")]
    assert max(map(abs, ws)) <= bound and max(map(abs, ws)) > 0.99 * bound
    assert max(map(abs, bs)) <= bound and max(map(abs, bs)) > 0.95 * bound
    assert MLP(9, [4], seed=3).config()["init"] == "torch"


def test_only_the_torch_init_draws_the_bias():
    for init in ("normal", "uniform", "xavier", "kaiming", "lecun"):
        assert {bias(n).data for n in Layer(3, 5, init=init, seed=0).neurons} == {0.0}, init
    assert len({bias(n).data for n in Layer(3, 5, init="torch", seed=0).neurons}) == 5


def test_wrong_input_count_says_how_many_were_expected():
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])


def test_unknown_activation_or_init_is_named():
    with pytest.raises(ValueError, match="softmax"):
        MLP(2, [1], activation="softmax")
    with pytest.raises(ValueError, match="'he'.*choose from.*kaiming"):
        Layer(2, 1, init="he")  # type: ignore[arg-type]  # an unknown init, on purpose


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
    t_loss = sum((o - t) ** 2 for o, t in zip(outs, targets, strict=True)) / len(targets)
    t_loss.backward()
    assert loss.data == pytest.approx(t_loss.item(), abs=1e-12)
    for name, p in model.named_parameters():
        assert p.grad == pytest.approx(params[name].grad.item(), abs=1e-9), name


@pytest.mark.parametrize(
    "name", ["sigmoid", "tanh", "relu", "softplus", "sin", "cos", "exp", "abs", "neg"]
)
def test_any_one_input_op_is_an_activation_by_name(name):
    neuron = Neuron(2, activation=name, seed=0)
    out = neuron([0.3, -0.2])
    z = node(out.inputs[0])
    assert out.op == name and z.op == "+"
    assert out.data == autograd.core.ops.OPS[name].forward(z.data)
    assert MLP(2, [3, 1], activation=name, seed=0).config()["activation"] == name


def test_leaky_relu_by_name_takes_its_default_slope():
    neuron = Neuron(2, activation="leaky_relu", seed=0)
    neuron.w[0].data, neuron.w[1].data, bias(neuron).data = 1.0, 1.0, 0.0
    out = neuron([-2.0, 0.5])
    assert out.op == "leaky_relu" and out.inputs[1] == 0.01
    assert out.data == -1.5 * 0.01


def test_a_custom_op_is_an_activation_by_name_or_as_the_function_custom_op_returns():
    cube = custom_op(
        "test_layers_cube", forward=lambda x: x**3, backward=lambda g, out, x: (3 * x * x * g,)
    )
    by_name = MLP(2, [3, 1], activation="test_layers_cube", seed=0)
    by_function = MLP(2, [3, 1], activation=cube, seed=0)
    assert by_name.layers[0].neurons[0]([1.0, 2.0]).op == "test_layers_cube"
    assert by_function([1.0, 2.0]).data == by_name([1.0, 2.0]).data
    assert by_function.config()["activation"] == "test_layers_cube"
    assert by_function.config() == by_name.config()


def test_a_plain_callable_is_an_activation_but_cannot_be_described_for_saving():
    def swish(z):
        return z * z.sigmoid()

    model = MLP(2, [3, 1], activation=swish, seed=0)
    hidden = model.layers[0].neurons[0]([1.0, 2.0])
    assert hidden.op == "*" and node(hidden.inputs[1]).op == "sigmoid"
    assert repr(model.layers[0]) == "Layer(2 -> 3, swish)"
    with pytest.raises(TypeError, match="swish.*no op name.*custom_op"):
        model.config()


@pytest.mark.parametrize("bad", ["softmax", "+", "dot", "sum", "linearr"])
def test_an_activation_that_is_no_one_input_op_is_refused_with_the_choices(bad):
    with pytest.raises(ValueError, match=f"unknown activation {re.escape(repr(bad))}.*'tanh'"):
        MLP(2, [3, 1], activation=bad)
    with pytest.raises(ValueError, match="unknown activation"):
        Neuron(2, activation=bad)


@pytest.mark.parametrize(
    "nin, nouts, error, message",
    [
        (2, 3, TypeError, "nouts must be a list of layer sizes.*got 3.*\\[n\\]"),
        (2, "31", TypeError, "nouts must be a list"),
        (2, 3.0, TypeError, "nouts must be a list"),
        (0, [1], ValueError, "nin .* at least 1, got 0"),
        (-2, [1], ValueError, "nin .* at least 1, got -2"),
        (2.0, [1], TypeError, "nin .* must be an int, got float"),
        (True, [1], TypeError, "nin .* must be an int, got bool"),
        (2, [], ValueError, "at least one layer size"),
        (2, [0], ValueError, "nouts\\[0\\] .* at least 1, got 0"),
        (2, [3, -1], ValueError, "nouts\\[1\\] .* at least 1, got -1"),
        (2, [3, 1.5], TypeError, "nouts\\[1\\] .* must be an int, got float"),
        (2, [True], TypeError, "nouts\\[0\\] .* must be an int, got bool"),
    ],
)
def test_malformed_sizes_are_named(nin, nouts, error, message):
    with pytest.raises(error, match=message):
        MLP(nin, nouts)


@pytest.mark.parametrize("inputs", [{0: 5.0, 1: 6.0}, {5.0, 6.0}, "ab", 5.0])
def test_inputs_that_are_not_a_sequence_are_a_type_error(inputs):
    for model in (MLP(2, [3, 1], seed=0), Layer(2, 3, seed=0), Neuron(2, seed=0)):
        with pytest.raises(TypeError, match=f"sequence of 2 numbers.*{type(inputs).__name__}"):
            model(inputs)


def test_tuples_and_numpy_arrays_are_inputs_like_lists():
    np = pytest.importorskip("numpy")
    model = MLP(2, [3, 1], seed=0)
    expected = model([0.5, -1.0]).data
    assert model((0.5, -1.0)).data == expected
    assert model(np.array([0.5, -1.0])).data == expected


def test_repr_says_no_bias_only_when_there_is_none():
    # a bias of exactly 0.0 is still a bias (bool(Value(0.0)) is False)
    assert repr(Neuron(2, init="normal", seed=0)) == "Neuron(2, linear)"
    assert repr(Neuron(2, bias=False, seed=0)) == "Neuron(2, linear, no bias)"


def test_mlp_is_generic_in_its_output_for_type_checkers():
    one: MLP[Value] = MLP[Value](2, [3, 1], seed=0)
    assert isinstance(one([1.0, 2.0]), Value)
    several = MLP[list[Value]](2, [3, 2], seed=0)
    assert [v.op for v in several([1.0, 2.0])] == ["+", "+"]


def test_numpy_integers_are_sizes_and_the_config_keeps_plain_ints():
    np = pytest.importorskip("numpy")
    config = MLP(np.int64(2), [np.int32(3), 1], seed=0).config()
    assert config["nouts"] == [3, 1] and type(config["nin"]) is int
    assert all(type(n) is int for n in config["nouts"])


@pytest.mark.parametrize("bias", [True, False])
def test_parameters_are_named_parameters_values_in_the_same_order(bias):
    from nn import Layer, Neuron

    for module in (
        MLP(3, [4, 2, 1], bias=bias, seed=0),
        Layer(3, 2, bias=bias),
        Neuron(3, bias=bias),
    ):
        assert module.parameters() == [p for _, p in module.named_parameters()]
