"""``Neuron``, ``Layer`` and ``MLP``: micrograd's shapes, built on n-ary dot nodes."""

from __future__ import annotations

import inspect
import math
import operator
from collections.abc import Callable, Mapping, Sequence, Set
from typing import TYPE_CHECKING, Any, Generic, Literal, cast

from autograd import OPS, OpFunction, Value
from nn.module import Module
from nn.randomness import RandomSource, random_source

if TYPE_CHECKING:
    # typing_extensions only for the checker (its stubs ship with every type
    # checker): at run time TypeVar defaults need Python 3.13, and glassgrad
    # does not depend on typing_extensions.
    from typing_extensions import TypeVar

    Output = TypeVar("Output", default=Any)
else:
    from typing import TypeVar

    Output = TypeVar("Output")

# An activation is "linear" (none), the name of any registered one-input op
# ("sigmoid", "tanh", "relu", "leaky_relu", "softplus", "sin", "a custom op"...)
# or a callable Value -> Value. The literals are there for editors to offer.
ActivationName = Literal[
    "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "sin", "cos", "linear"
]
Activation = ActivationName | str | Callable[[Value], Value]
Init = Literal["torch", "normal", "uniform", "xavier", "kaiming", "lecun"]

# Each draws one initial weight for a neuron with nin inputs in a layer of nout.
INITS: dict[str, Callable[[RandomSource, int, int], float]] = {
    # torch.nn.Linear's default: uniform +-1/sqrt(nin), for the bias too
    "torch": lambda rng, nin, nout: rng.uniform(-1 / math.sqrt(nin), 1 / math.sqrt(nin)),
    "normal": lambda rng, nin, nout: rng.gauss(0.0, 1.0),  # the seed's randn
    "uniform": lambda rng, nin, nout: rng.uniform(-1.0, 1.0),  # micrograd's
    "xavier": lambda rng, nin, nout: rng.uniform(  # Glorot uniform
        -math.sqrt(6 / (nin + nout)), math.sqrt(6 / (nin + nout))
    ),
    "kaiming": lambda rng, nin, nout: rng.gauss(0.0, math.sqrt(2 / nin)),  # He normal, for relu
    "lecun": lambda rng, nin, nout: rng.gauss(0.0, math.sqrt(1 / nin)),  # LeCun normal
}
# Inits that draw the bias as well; with the others a bias starts at 0.
DRAWS_BIAS = {"torch"}


def activation_function(activation: Activation) -> Callable[[Value], Value] | None:
    """The function an activation names (None for ``"linear"``): a callable
    as it is, else a registered op that takes one input (``leaky_relu`` with
    its default slope).

    Examples:
        >>> activation_function("tanh")(Value(0.0)).op
        'tanh'
        >>> activation_function("linear") is None
        True
    """
    if callable(activation):
        return activation
    if activation == "linear":
        return None
    function = _one_input_op(activation) if isinstance(activation, str) else None
    if function is None:
        choices = sorted(name for name in OPS if _one_input_op(name))
        raise ValueError(
            f"unknown activation {activation!r}: use 'linear', a callable Value -> Value, "
            f"or a registered one-input op: {choices}"
        )
    return function


def _one_input_op(name: str) -> Callable[[Value], Value] | None:
    """The op called ``name`` as a function of one Value, if it can be one:
    ``tanh`` can, ``+`` and ``sum`` (any number of inputs) cannot; a Value
    method fills in options (``leaky_relu``'s slope)."""
    op = OPS.get(name)
    if op is None or _is_variadic(op.forward):
        return None
    method = getattr(Value, name, None)
    if callable(method) and _takes_one_input(method):
        return cast(Callable[[Value], Value], method)
    if _takes_one_input(op.forward):
        return OpFunction(op)
    return None


def activation_name(activation: Activation) -> str:
    """How a model's config names its activation; a callable needs an op name
    (``custom_op`` gives it one) to be saved.

    Examples:
        >>> activation_name("relu")
        'relu'
    """
    if isinstance(activation, str):
        return activation
    op = getattr(activation, "op", None)  # a custom_op's OpFunction carries its Op
    if isinstance(op, str) and OPS.get(op) is op:
        return str(op)
    raise TypeError(
        f"activation {activation!r} has no op name, so the model cannot be described "
        "for saving: register it with autograd.custom_op and pass the result or its name"
    )


def _takes_one_input(function: Callable[..., object]) -> bool:
    try:
        inspect.signature(function).bind(0.0)
    except TypeError:
        return False
    except ValueError:  # a builtin without a signature: let it try
        return True
    return True


def _is_variadic(function: Callable[..., object]) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except ValueError:
        return False
    return any(p.kind is p.VAR_POSITIONAL for p in parameters)


def _choice(kind: str, name: str, table: Mapping[str, object]) -> str:
    if name not in table:
        raise ValueError(f"unknown {kind} {name!r}; choose from {sorted(table)}")
    return name


def _size(what: str, n: object) -> int:
    """A count of inputs or neurons: an int (numpy's too), never a bool or float."""
    if isinstance(n, bool) or not hasattr(n, "__index__"):
        raise TypeError(f"{what} must be an int, got {type(n).__name__}: {n!r}")
    size = operator.index(n)
    if size < 1:
        raise ValueError(f"{what} must be at least 1, got {size}")
    return size


def _check_inputs(x: object, expected: int) -> None:
    """Inputs are a sequence of numbers or Values (a list, tuple, numpy array):
    a dict would silently give its keys, a set its own order."""
    if isinstance(x, (Mapping, Set, str, bytes)) or not hasattr(x, "__len__"):
        raise TypeError(
            f"inputs must be a sequence of {expected} numbers or Values, got {type(x).__name__}"
        )
    if len(x) != expected:
        raise ValueError(f"expected {expected} inputs, got {len(x)}")


class Neuron(Module):
    """``activation(w · x + b)``: the weighted sum is one ``dot`` node.
    Its weights come from ``rng``, else ``random.Random(seed)``, else
    Python's global ``random`` (see ``nn.randomness``).

    Examples:
        >>> n = Neuron(2, activation="linear", seed=0)
        >>> n.w[0].data = 2.0; n.w[1].data = 3.0; n.b.data = 0.5
        >>> n([1.0, 1.0]).data
        5.5
    """

    def __init__(
        self,
        nin: int,
        activation: Activation = "linear",
        bias: bool = True,
        init: Init = "torch",
        nout: int = 1,
        seed: int | None = None,
        rng: RandomSource | None = None,
    ) -> None:
        nin = _size("a neuron's number of inputs", nin)
        self.activation = activation
        self._act = activation_function(activation)
        self.init = _choice("init", init, INITS)
        source = random_source(seed, rng)
        draw = INITS[init]
        self.w = [Value(draw(source, nin, nout)) for _ in range(nin)]
        self.b: Value | None = None
        if bias:
            self.b = Value(draw(source, nin, nout) if init in DRAWS_BIAS else 0.0)

    def __call__(self, x: Sequence[Value | float]) -> Value:
        if type(x) is not list or len(x) != len(self.w):  # lists from a layer pass quickly
            _check_inputs(x, len(self.w))
        z = Value.dot(self.w, x)
        if self.b is not None:
            z = z + self.b
        return z if self._act is None else self._act(z)

    def named_parameters(self) -> list[tuple[str, Value]]:
        named = [(f"w.{k}", w) for k, w in enumerate(self.w)]
        return named + ([("b", self.b)] if self.b is not None else [])

    def parameters(self) -> list[Value]:
        # without building the names: zero_grad and optimizers call this every step
        return self.w + [self.b] if self.b is not None else list(self.w)

    def config(self) -> dict[str, Any]:
        return {
            "nin": len(self.w),
            "activation": activation_name(self.activation),
            "bias": self.b is not None,
            "init": self.init,
        }

    def activation_label(self) -> str:
        """The activation as ``repr`` shows it: its name, or the callable's.

        Examples:
            >>> Neuron(2, activation=Value.tanh).activation_label()
            'tanh'
        """
        a = self.activation
        return a if isinstance(a, str) else getattr(a, "__name__", repr(a))

    def __repr__(self) -> str:
        bias = "" if self.b is not None else ", no bias"
        return f"Neuron({len(self.w)}, {self.activation_label()}{bias})"


class Layer(Module):
    """``nout`` neurons reading the same inputs; returns a list of Values.

    Examples:
        >>> Layer(3, 2, activation="tanh", seed=0)([1.0, 2.0, 3.0])[1].op
        'tanh'
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: Activation = "linear",
        bias: bool = True,
        init: Init = "torch",
        seed: int | None = None,
        rng: RandomSource | None = None,
    ) -> None:
        nout = _size("a layer's number of neurons", nout)
        source = random_source(seed, rng)
        self.neurons = [Neuron(nin, activation, bias, init, nout, rng=source) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        return [n(x) for n in self.neurons]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [
            (f"neurons.{j}.{name}", p)
            for j, n in enumerate(self.neurons)
            for name, p in n.named_parameters()
        ]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def config(self) -> dict[str, Any]:
        first = self.neurons[0].config()
        return {**first, "nout": len(self.neurons)}

    def __repr__(self) -> str:
        n = self.neurons[0]
        return f"Layer({len(n.w)} -> {len(self.neurons)}, {n.activation_label()})"


class MLP(Module, Generic[Output]):
    """Layers of sizes ``nouts`` on ``nin`` inputs; hidden layers use
    ``activation``, the last one ``output_activation``. A ``seed`` draws the
    same weights every time, from the model's own ``random.Random``; without
    one (or an ``rng``), weights come from Python's global ``random``, so
    ``random.seed(n)`` before building the model reproduces it.

    ``model(x)`` is a Value when the last layer has one neuron, else a list
    of Values. A type checker cannot see layer sizes, so ``MLP`` is generic
    in what a call returns: ``MLP[Value]`` or ``MLP[list[Value]]`` when you
    annotate (``model: MLP[Value] = MLP(2, [3, 1])``), and ``Any`` when you
    do not, as torch's ``Module.__call__``, so both ``model(x).backward()``
    and ``for out in model(x)`` type-check unannotated.

    Examples:
        >>> model = MLP(2, [3, 1], activation="sigmoid",
        ...             output_activation="sigmoid", bias=False, seed=0)
        >>> model
        MLP(2 -> [3, 1]: Layer(2 -> 3, sigmoid), Layer(3 -> 1, sigmoid))
        >>> 0 < model([0.5, 1.0]).data < 1
        True
        >>> len(MLP(2, [3, 2], seed=0)([0.5, 1.0]))
        2
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: Activation = "relu",
        output_activation: Activation = "linear",
        bias: bool = True,
        init: Init = "torch",
        seed: int | None = None,
        rng: RandomSource | None = None,
    ) -> None:
        nin = _size("nin (the number of inputs)", nin)
        activation_function(activation)  # checked here even when no hidden layer uses it
        if isinstance(nouts, (int, float, str)) or not isinstance(nouts, Sequence):
            raise TypeError(
                f"nouts must be a list of layer sizes such as [16, 1], got {nouts!r}; "
                "one layer of n neurons is [n]"
            )
        nouts = [_size(f"nouts[{i}] (a layer size)", n) for i, n in enumerate(nouts)]
        if not nouts:
            raise ValueError("an MLP needs at least one layer size in nouts")
        self.seed = seed
        source = random_source(seed, rng)
        sizes = [nin] + nouts
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation if i < len(nouts) - 1 else output_activation,
                bias,
                init,
                rng=source,
            )
            for i in range(len(nouts))
        ]
        self._config: dict[str, Any] = {
            "nin": nin,
            "nouts": nouts,
            "activation": activation,
            "output_activation": output_activation,
            "bias": bias,
            "init": init,
            "seed": seed,
        }

    def __call__(self, x: Sequence[Value | float]) -> Output:
        if type(x) is not list or len(x) != self._config["nin"]:  # lists pass quickly
            _check_inputs(x, self._config["nin"])
        for layer in self.layers:
            x = layer(x)
        return cast(Output, x[0] if len(x) == 1 else x)

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [
            (f"layers.{i}.{name}", p)
            for i, layer in enumerate(self.layers)
            for name, p in layer.named_parameters()
        ]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def config(self) -> dict[str, Any]:
        config = dict(self._config)
        for key in ("activation", "output_activation"):
            config[key] = activation_name(config[key])
        return config

    def __repr__(self) -> str:
        return (
            f"MLP({self._config['nin']} -> {self._config['nouts']}: "
            f"{', '.join(map(repr, self.layers))})"
        )
