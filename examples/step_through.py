"""The tutorial network's first backward pass, one node at a time.

Each step prints as a line of the chain rule; steps whose node is one of the
tutorial's named quantities say so: o_error = -dL/do, o_delta = -dL/dz3,
z2_error = -dL/dz2, z2_delta = -dL/d(z2's pre-activation).

Run: .venv/bin/python examples/step_through.py
To stop in pdb at one rule, see "Stepping" in the README.
"""

from autograd import backward_steps
from nn import MLP, sse_loss

X, Y = [2 / 3, 1.0], 0.92  # the first sample, scaled as in the tutorial


def main() -> None:
    model = MLP(
        2,
        [3, 1],
        activation="sigmoid",
        output_activation="sigmoid",
        bias=False,
        seed=1,
        init="normal",
    )
    for name, p in model.named_parameters():
        p.label = name.replace("layers.", "L").replace(".neurons.", ".n")
    o = model(X)
    z3 = o.inputs[0]
    hidden = z3.inputs[3:]
    o.label, z3.label = "o", "z3"
    for j, h in enumerate(hidden):
        h.label, h.inputs[0].label = f"z2[{j}]", f"z[{j}]"
    tutorial = {
        id(o): "o_error",
        id(z3): "o_delta",
        **{id(h): f"z2_error[{j}]" for j, h in enumerate(hidden)},
        **{id(h.inputs[0]): f"z2_delta[{j}]" for j, h in enumerate(hidden)},
    }
    loss = sse_loss([o], [Y])
    loss.label = "loss"
    for step in backward_steps(loss):
        print(step)
        if id(step.node) in tutorial:
            print(f"    tutorial: {tutorial[id(step.node)]} = {-step.grad:+.6f}")


if __name__ == "__main__":
    main()
