"""The path out to PyTorch and back: ``to_torch(model)`` and ``from_torch(seq)``.

An ``MLP`` is a ``torch.nn.Sequential`` of ``Linear`` layers (float64, the
same weights: ``W[j][k]`` is ``layers[i].neurons[j].w[k]``), each followed by
its activation's module. torch stays optional: it is imported when these are
called, never by ``import nn``.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from nn.layers import MLP, Activation, activation_name

if TYPE_CHECKING:
    import torch

# glassgrad activation -> the torch.nn module class that computes the same
# function with its default arguments (leaky_relu's slope 0.01, softplus's
# beta 1 and threshold 20 are the same on both sides). "linear" has none.
MODULES = {
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "relu": "ReLU",
    "leaky_relu": "LeakyReLU",
    "softplus": "Softplus",
}


def _require_torch() -> None:
    try:
        import torch  # noqa: F401  # only to see whether it is installed
    except ImportError:
        raise ImportError(
            "nn.to_torch and nn.from_torch need PyTorch: .venv/bin/pip install torch==2.13.0 "
            "(the 'torch' extra: .venv/bin/pip install -e '.[torch]')"
        ) from None


def to_torch(model: MLP[Any]) -> torch.nn.Sequential:
    """The model as a ``torch.nn.Sequential`` in float64 with the same weights,
    for training on when a scalar engine is too slow. Activations without a
    ``torch.nn`` module (``sin``, ``cos``, custom ops, callables) are a
    ValueError naming them.

    Examples:
        >>> import torch
        >>> model = MLP(2, [3, 1], activation="tanh", seed=0)
        >>> seq = to_torch(model)
        >>> seq
        Sequential(
          (0): Linear(in_features=2, out_features=3, bias=True)
          (1): Tanh()
          (2): Linear(in_features=3, out_features=1, bias=True)
        )
        >>> out = seq(torch.tensor([0.5, -1.0], dtype=torch.float64))
        >>> abs(out.item() - model([0.5, -1.0]).data) < 1e-15
        True
    """
    _require_torch()
    import torch

    if not isinstance(model, MLP):
        raise TypeError(f"to_torch takes an nn.MLP, got {type(model).__name__}")
    modules = []
    for i, layer in enumerate(model.layers):
        neurons = layer.neurons
        bias = neurons[0].b is not None
        # Linear draws initial weights, overwritten at once: torch's seeded
        # generator is left as it was
        with torch.random.fork_rng(devices=[]):
            linear = torch.nn.Linear(
                len(neurons[0].w), len(neurons), bias=bias, dtype=torch.float64
            )
        with torch.no_grad():
            weights = [[w.data for w in n.w] for n in neurons]
            linear.weight.copy_(torch.tensor(weights, dtype=torch.float64))
            if bias:
                biases = [n.b.data for n in neurons if n.b is not None]
                linear.bias.copy_(torch.tensor(biases, dtype=torch.float64))
        modules.append(linear)
        name = _name_of(neurons[0].activation, i)
        if name != "linear":
            modules.append(getattr(torch.nn, MODULES[name])())
    return torch.nn.Sequential(*modules)


def _name_of(activation: Activation, layer: int) -> str:
    try:
        name = activation_name(activation)
    except TypeError:  # a callable without an op name
        name = repr(activation)
    if name != "linear" and name not in MODULES:
        raise ValueError(
            f"layers[{layer}]'s activation {name} has no torch.nn module; to_torch maps "
            f"'linear' and {sorted(MODULES)}"
        )
    return name


def from_torch(seq: torch.nn.Sequential) -> MLP[Any]:
    """The ``MLP`` a ``torch.nn.Sequential`` describes: ``Linear`` layers,
    each followed by at most one activation module (the same one after every
    hidden layer), all with a bias or all without. Anything else is a
    ValueError naming the module. Weights are copied as float64.

    Examples:
        >>> import torch
        >>> seq = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(),
        ...                           torch.nn.Linear(4, 1), torch.nn.Sigmoid())
        >>> from_torch(seq)
        MLP(2 -> [4, 1]: Layer(2 -> 4, relu), Layer(4 -> 1, sigmoid))
    """
    _require_torch()
    import torch

    if not isinstance(seq, torch.nn.Sequential):
        raise TypeError(f"from_torch takes a torch.nn.Sequential, got {type(seq).__name__}")
    linears, activations = _layers(seq)
    bias = _checked_shape(linears, activations)
    model: MLP[Any] = MLP(
        linears[0].in_features,
        [linear.out_features for linear in linears],
        activation=activations[0] if len(linears) > 1 else "linear",
        output_activation=activations[-1],
        bias=bias,
        rng=random.Random(0),  # weights overwritten below: the global random stays as it was
    )
    model.load_state_dict(_state(linears))
    return model


def _layers(seq: Any) -> tuple[list[Any], list[str]]:
    """The Sequential's Linear layers, and the activation after each."""
    import torch

    names = {getattr(torch.nn, cls): name for name, cls in MODULES.items()}
    linears: list[Any] = []
    activations: list[str] = []
    for index, module in enumerate(seq):
        name = names.get(type(module))
        if isinstance(module, torch.nn.Linear):
            linears.append(module)
            activations.append("linear")
        elif name is not None and linears and activations[-1] == "linear":
            _check_defaults(module, index)
            activations[-1] = name
        elif isinstance(module, torch.nn.Identity):
            continue
        else:
            where = "after an activation" if linears else "before the first Linear"
            raise ValueError(
                f"seq[{index}] is {module!r}: from_torch reads Linear layers, each followed by "
                f"one of {list(MODULES.values())} (this one is unsupported or {where})"
            )
    if not linears:
        raise ValueError("the Sequential has no Linear layer")
    return linears, activations


def _checked_shape(linears: list[Any], activations: list[str]) -> bool:
    """Whether the layers have biases, once they are checked to be an MLP's."""
    biases = {linear.bias is not None for linear in linears}
    if len(biases) > 1:
        raise ValueError("an MLP's layers all have a bias or none does; these Linear layers mix")
    if len(set(activations[:-1])) > 1:
        raise ValueError(
            f"an MLP uses one activation in every hidden layer; this Sequential has {activations}"
        )
    for i in range(1, len(linears)):
        if linears[i].in_features != linears[i - 1].out_features:
            raise ValueError(
                f"Linear layer {i} takes {linears[i].in_features} inputs but layer {i - 1} "
                f"gives {linears[i - 1].out_features}"
            )
    return biases.pop()


def _state(linears: list[Any]) -> dict[str, float]:
    """The layers' weights as float64 numbers, by an MLP's parameter names."""
    state = {}
    for i, linear in enumerate(linears):
        weights = linear.weight.detach().double().tolist()
        bias = linear.bias.detach().double().tolist() if linear.bias is not None else None
        for j, row in enumerate(weights):
            state.update({f"layers.{i}.neurons.{j}.w.{k}": w for k, w in enumerate(row)})
            if bias is not None:
                state[f"layers.{i}.neurons.{j}.b"] = bias[j]
    return state


def _check_defaults(module: Any, index: int) -> None:
    """LeakyReLU and Softplus must have the arguments glassgrad's ops use."""
    differs = [
        f"{name}={getattr(module, name)}"
        for name, value in (("negative_slope", 0.01), ("beta", 1.0), ("threshold", 20.0))
        if hasattr(module, name) and getattr(module, name) != value
    ]
    if differs:
        raise ValueError(
            f"seq[{index}] is {module!r}: glassgrad's op computes it only with torch's "
            f"defaults, not {', '.join(differs)}"
        )
