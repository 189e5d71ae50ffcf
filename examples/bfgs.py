"""The tutorial's network trained by BFGS, as in the Welch Labs series the
tutorial credits, beside the tutorial's own SGD.

``compile_grad`` turns the loss over the three samples into plain-float code;
``step.functional(weights)`` returns ``(loss, gradient)`` as floats, which is
what ``scipy.optimize.minimize(..., jac=True)`` asks for. BFGS builds up
curvature from successive gradients and gets much further in a few dozen
iterations than SGD with the tutorial's learning rate in a thousand.

Run: .venv/bin/python examples/bfgs.py   (needs scipy, the `scipy` extra)
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from exam_scores import HOURS, SCORES, scaled, tutorial_network
from scipy.optimize import minimize

from autograd.compile.step import compile_grad
from nn import MLP, fit, sse_loss

SGD_ITERATIONS = 1000


@dataclass
class Training:
    method: str
    losses: list[float]  # the loss before each iteration, then the final one

    @property
    def iterations(self) -> int:
        return len(self.losses) - 1

    def first_below(self, loss: float) -> int | None:
        """The first iteration after which the loss is at most ``loss``."""
        return next((i for i, value in enumerate(self.losses) if value <= loss), None)


def train_bfgs(model: MLP, xs: list[list[float]], ys: list[float]) -> Training:
    """Minimise the tutorial's loss over the model's weights with BFGS; the
    model keeps the weights found."""
    step = compile_grad(
        lambda: sse_loss([model(x) for x in xs], ys), params=model.named_parameters()
    )
    params = model.parameters()
    losses = [step.functional([p.data for p in params])[0]]
    result = minimize(
        step.functional,
        [p.data for p in params],
        jac=True,
        method="BFGS",
        callback=lambda weights: losses.append(step.functional(weights)[0]),
    )
    for p, value in zip(params, result.x, strict=True):
        p.data = float(value)
    return Training("BFGS", losses)


def train_sgd(model: MLP, xs: list[list[float]], ys: list[float]) -> Training:
    """The tutorial's training: SGD with learning rate 1 on the same loss."""
    history = fit(model, xs, ys, epochs=SGD_ITERATIONS, loss=sse_loss, lr=1.0, quiet=True)
    final = sse_loss([model(x) for x in xs], ys).data
    return Training("SGD", [*history, final])


def main() -> tuple[Training, Training]:
    xs, ys = scaled(HOURS), [s / 100 for s in SCORES]
    bfgs = train_bfgs(tutorial_network(), xs, ys)
    sgd = train_sgd(tutorial_network(), xs, ys)
    print("The tutorial's network, 0.5 * sum((y - o)**2) over its 3 samples, same start")
    for run in (bfgs, sgd):
        print(
            f"  {run.method:4}  loss {run.losses[0]:.6f} -> {run.losses[-1]:.3e} "
            f"in {run.iterations} iterations"
        )
    reached = sgd.first_below(bfgs.losses[-1])
    print(
        f"  SGD reaches BFGS's final loss after {reached} iterations"
        if reached is not None
        else f"  SGD has not reached BFGS's final loss after {sgd.iterations} iterations"
    )
    matched = bfgs.first_below(sgd.losses[-1])
    print(f"  BFGS matches SGD's loss after {SGD_ITERATIONS} iterations in {matched} iterations")
    return bfgs, sgd


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()
