"""to_torch / from_torch: same outputs and gradients, round trips, clear refusals."""

import random
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import Value, custom_op
from nn import MLP, SGD, from_torch, mse_loss, to_torch

torch = pytest.importorskip("torch")
ROOT = Path(__file__).resolve().parents[2]

ACTIVATIONS = ["sigmoid", "tanh", "relu", "linear", "leaky_relu", "softplus"]
MODULES = {
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "relu": torch.nn.ReLU,
    "leaky_relu": torch.nn.LeakyReLU,
    "softplus": torch.nn.Softplus,
}


def random_inputs(n, nin, seed):
    rng = random.Random(seed)
    return [[rng.uniform(-3.0, 3.0) for _ in range(nin)] for _ in range(n)]


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no bias"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_outputs_and_gradients_agree_with_the_exported_model(activation, bias):
    model = MLP(3, [5, 4, 2], activation=activation, output_activation=activation, bias=bias)
    seq = to_torch(model)
    kinds = [type(m) for m in seq]
    if activation == "linear":
        assert kinds == [torch.nn.Linear] * 3
    else:
        assert kinds == [torch.nn.Linear, MODULES[activation]] * 3
    assert all(p.dtype == torch.float64 for p in seq.parameters())
    assert [p.numel() for p in seq.parameters()] == ([15, 5, 20, 4, 8, 2] if bias else [15, 20, 8])

    xs = random_inputs(6, 3, seed=hash(activation) % 1000)
    targets = [[0.3, -0.7]] * len(xs)
    inputs = [[Value(v) for v in x] for x in xs]
    outs = [model(x) for x in inputs]
    mse_loss(outs, targets).backward()

    t_inputs = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    t_outs = seq(t_inputs)
    torch.nn.functional.mse_loss(t_outs, torch.tensor(targets, dtype=torch.float64)).backward()

    assert [o.data for row in outs for o in row] == pytest.approx(
        t_outs.flatten().tolist(), rel=1e-12, abs=1e-12
    )
    assert [v.grad for x in inputs for v in x] == pytest.approx(
        t_inputs.grad.flatten().tolist(), rel=1e-12, abs=1e-12
    )
    linears = [m for m in seq if isinstance(m, torch.nn.Linear)]
    for i, (layer, linear) in enumerate(zip(model.layers, linears, strict=True)):
        for j, neuron in enumerate(layer.neurons):
            assert [w.grad for w in neuron.w] == pytest.approx(
                linear.weight.grad[j].tolist(), rel=1e-12, abs=1e-12
            ), (i, j)
            assert (neuron.b is not None) == bias
            if neuron.b is not None:
                assert neuron.b.grad == pytest.approx(linear.bias.grad[j].item(), abs=1e-12)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no bias"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_a_round_trip_through_torch_gives_identical_outputs(activation, bias):
    model = MLP(2, [4, 3, 1], activation=activation, output_activation="sigmoid", bias=bias)
    back = from_torch(to_torch(model))
    assert back.state_dict() == model.state_dict()
    assert back.config() | {"seed": None, "init": None} == model.config() | {
        "seed": None,
        "init": None,
    }
    for x in random_inputs(5, 2, seed=1):
        assert back(x).data == model(x).data


def test_a_model_trained_here_then_in_torch_comes_back_under_the_same_names():
    model = MLP(2, [4, 1], activation="tanh", seed=3)
    xs, ys = random_inputs(8, 2, seed=2), [0.5, -0.5] * 4
    opt = SGD(model.parameters(), lr=0.1)
    for _ in range(5):
        loss = mse_loss([model(x) for x in xs], ys)
        opt.zero_grad()
        loss.backward()
        opt.step()
    names = list(model.state_dict())

    seq = to_torch(model)
    t_opt = torch.optim.SGD(seq.parameters(), lr=0.1)
    t_x = torch.tensor(xs, dtype=torch.float64)
    t_y = torch.tensor(ys, dtype=torch.float64).unsqueeze(1)
    for _ in range(5):
        t_opt.zero_grad()
        t_loss = torch.nn.functional.mse_loss(seq(t_x), t_y)
        t_loss.backward()
        t_opt.step()

    back = from_torch(seq)
    assert list(back.state_dict()) == names
    assert back.state_dict() != model.state_dict()  # trained further in torch
    state, t_state = back.state_dict(), dict(seq.named_parameters())
    assert state["layers.0.neurons.2.w.1"] == t_state["0.weight"][2, 1].item()
    assert state["layers.1.neurons.0.b"] == t_state["2.bias"][0].item()
    # and training here after the trip continues from torch's loss
    after = mse_loss([back(x) for x in xs], ys).data
    assert after == pytest.approx(torch.nn.functional.mse_loss(seq(t_x), t_y).item(), rel=1e-12)
    assert after < t_loss.item()


def test_a_sequential_made_in_torch_imports_with_its_float32_weights_exactly():
    torch.manual_seed(0)
    seq = torch.nn.Sequential(
        torch.nn.Linear(3, 6), torch.nn.LeakyReLU(), torch.nn.Linear(6, 2), torch.nn.Softplus()
    )
    model = from_torch(seq)
    assert repr(model) == "MLP(3 -> [6, 2]: Layer(3 -> 6, leaky_relu), Layer(6 -> 2, softplus))"
    assert model.layers[0].neurons[4].w[2].data == seq[0].weight[4, 2].item()
    seq64 = seq.double()
    for x in random_inputs(4, 3, seed=5):
        expected = seq64(torch.tensor(x, dtype=torch.float64)).tolist()
        assert [o.data for o in model(x)] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_identity_modules_are_skipped_and_a_lone_linear_is_a_one_layer_mlp():
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False), torch.nn.Identity())
    model = from_torch(seq)
    assert repr(model) == "MLP(2 -> [3]: Layer(2 -> 3, linear))"
    assert model.config()["bias"] is False


@pytest.mark.parametrize("activation", ["sin", "cos", "exp"])
def test_an_activation_without_a_torch_module_is_refused_by_name(activation):
    model = MLP(2, [3, 1], activation=activation, seed=0)
    with pytest.raises(ValueError, match=f"layers\\[0\\]'s activation {activation} has no torch"):
        to_torch(model)


def test_callables_and_custom_ops_are_refused_by_name():
    def swish(z):
        return z * z.sigmoid()

    with pytest.raises(ValueError, match="layers\\[0\\]'s activation <function .*swish.* no torch"):
        to_torch(MLP(2, [3, 1], activation=swish, seed=0))
    cube = custom_op(
        "test_pytorch_cube", forward=lambda x: x**3, backward=lambda g, out, x: (3 * x * x * g,)
    )
    with pytest.raises(ValueError, match="layers\\[1\\]'s activation test_pytorch_cube"):
        to_torch(MLP(2, [3, 1], output_activation=cube, seed=0))


def test_to_torch_takes_an_mlp():
    with pytest.raises(TypeError, match="takes an nn.MLP, got list"):
        to_torch([1.0])  # type: ignore[arg-type]  # not a model, on purpose


L = torch.nn.Linear


@pytest.mark.parametrize(
    "modules, error, message",
    [
        ([], ValueError, "no Linear layer"),
        (
            [torch.nn.ReLU(), L(2, 1)],
            ValueError,
            "seq\\[0\\] is ReLU\\(\\).*before the first Linear",
        ),
        (
            [L(2, 3), torch.nn.ReLU(), torch.nn.Tanh()],
            ValueError,
            "seq\\[2\\].*after an activation",
        ),
        ([L(2, 3), torch.nn.Dropout(0.5), L(3, 1)], ValueError, "seq\\[1\\] is Dropout"),
        ([L(2, 3), torch.nn.GELU()], ValueError, "seq\\[1\\] is GELU"),
        ([L(2, 3), torch.nn.LeakyReLU(0.2)], ValueError, "negative_slope=0.2"),
        ([L(2, 3), torch.nn.Softplus(beta=2.0)], ValueError, "beta=2.0"),
        ([L(2, 3), L(3, 1, bias=False)], ValueError, "all have a bias or none"),
        (
            [L(2, 3), torch.nn.ReLU(), L(3, 3), torch.nn.Tanh(), L(3, 1)],
            ValueError,
            "one activation in every hidden layer.*'relu', 'tanh', 'linear'",
        ),
        ([L(2, 3), L(4, 1)], ValueError, "Linear layer 1 takes 4 inputs but layer 0 gives 3"),
    ],
)
def test_shapes_an_mlp_cannot_take_are_named(modules, error, message):
    with pytest.raises(error, match=message):
        from_torch(torch.nn.Sequential(*modules))


def test_from_torch_takes_a_sequential():
    with pytest.raises(TypeError, match="takes a torch.nn.Sequential, got Linear"):
        from_torch(torch.nn.Linear(2, 1))


def run_python(code):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_import_nn_never_imports_torch():
    result = run_python("import sys, nn, nn.pytorch; print('torch' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_without_torch_the_error_says_how_to_install_it():
    result = run_python(
        "import sys; sys.modules['torch'] = None\n"
        "import nn\n"
        "try:\n"
        "    nn.to_torch(nn.MLP(2, [1]))\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    assert result.returncode == 0, result.stderr
    assert "pip install torch==2.13.0" in result.stdout and "[torch]" in result.stdout
