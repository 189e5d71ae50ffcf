"""nn.strategies: the networks it draws, and gradcheck over them."""

from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import gradcheck
from nn import MLP, sse_loss
from nn.strategies import mlps


@given(mlps())
def test_small_mlps_pass_gradcheck_with_respect_to_their_inputs(case):
    model, x = case

    def loss(*inputs):
        out = model(list(inputs))
        outs = out if isinstance(out, list) else [out]
        return sse_loss(outs, [0.5] * len(outs))

    assert gradcheck(loss, x)


@settings(max_examples=50)
@given(st.data())
def test_drawn_networks_stay_inside_the_limits_and_inputs_fit(data):
    limits = {"max_inputs": 4, "max_width": 3, "max_layers": 3}
    model, x = data.draw(mlps(**limits, activations=["relu", "softplus"]))
    config = model.config()
    assert isinstance(model, MLP)
    assert 1 <= config["nin"] <= 4 and len(x) == config["nin"]
    assert 1 <= len(config["nouts"]) <= 3 and all(1 <= n <= 3 for n in config["nouts"])
    assert config["activation"] in ("relu", "softplus") and config["seed"] is not None
    assert all(-2.0 <= v <= 2.0 for v in x)
    out = model(x)
    assert (len(out) if isinstance(out, list) else 1) == config["nouts"][-1]
