"""glassgrad's nn: micrograd-style Module, Neuron, Layer and MLP on autograd.

Examples:
    >>> from nn import MLP, SGD, sse_loss
    >>> model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid",
    ...             bias=False, seed=0)
    >>> loss = sse_loss([model([0.2, 1.0])], [0.9])
    >>> loss.backward(); SGD(model.parameters(), lr=1.0).step()
"""

from nn.layers import MLP, Layer, Neuron
from nn.losses import (
    binary_cross_entropy,
    cross_entropy,
    hinge_loss,
    mse_loss,
    softmax,
    sse_loss,
)
from nn.module import Module
from nn.optim import SGD, Adam, AdamW, Optimizer
from nn.pytorch import from_torch, to_torch
from nn.train import fit

__all__ = [
    "Module",
    "Neuron",
    "Layer",
    "MLP",
    "Optimizer",
    "SGD",
    "Adam",
    "AdamW",
    "mse_loss",
    "sse_loss",
    "binary_cross_entropy",
    "hinge_loss",
    "softmax",
    "cross_entropy",
    "fit",
    "to_torch",
    "from_torch",
]
