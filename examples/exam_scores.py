"""The seed tutorial, end to end, on glassgrad.

A 2-3-1 sigmoid network without biases predicts an exam score from hours
studied and hours slept. The tutorial derives every gradient by hand
(o_error, o_delta, z2_error, z2_delta); here they fall out of the graph, and
this script checks them against the tutorial's formulas.

Columns: the tutorial's text reads its first example as "2 hours studying and
9 hours sleeping" and asks about a student who "studied for four hours and
slept for eight", while its code comment says (sleeping, studying). We follow
the text: column 0 is hours studied, column 1 is hours slept.

Run: ./dev example
(or: .venv/bin/python examples/exam_scores.py [--quiet] [--svg PATH] [--html PATH])
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from autograd import Value, compile_grad, draw_graph, to_dot
from autograd.views.render import INSTALL_HINT
from autograd.views.stepper import Stepper
from nn import MLP, fit, sse_loss

HOURS = [[2.0, 9.0], [1.0, 5.0], [3.0, 6.0]]  # (studied, slept)
SCORES = [92.0, 86.0, 89.0]
QUESTION = [4.0, 8.0]  # studied 4 hours, slept 8
OUT = Path(__file__).resolve().parent.parent / "out"


def scaled(rows: list[list[float]]) -> list[list[float]]:
    """The tutorial's scaling: divide each column by its maximum in the
    training data (the question is scaled by the same maxima)."""
    maxima = [max(column) for column in zip(*HOURS, strict=True)]
    return [[v / m for v, m in zip(row, maxima, strict=True)] for row in rows]


def replay_worked_forward_pass() -> None:
    """The tutorial's hand-picked weights on input (2, 9), unscaled."""
    print("1. The tutorial's worked forward pass, recomputed")
    x = [Value(2.0, label="studied"), Value(9.0, label="slept")]
    w_hidden = [[0.2, 0.8], [0.6, 0.3], [0.1, 0.7]]  # into hidden neuron j
    w_out = [0.4, 0.5, 0.9]
    seed_sums = [7.6, 7.5, 6.5]  # as the tutorial prints them
    seed_sigmoids = [0.999499799, 1.000553084, 0.998498818]
    hidden = []
    for j, ws in enumerate(w_hidden):
        z = Value.dot(ws, x)
        h = z.sigmoid()
        hidden.append(h)
        print(f"   z{j} = {ws[0]} * 2 + {ws[1]} * 9 = {z.data:.4g}   S(z{j}) = {h.data:.9f}")
        if abs(z.data - seed_sums[j]) > 1e-9:
            print(f"      the tutorial prints {seed_sums[j]} for this sum")
        if seed_sigmoids[j] > 1:
            print(
                f"      and S({seed_sums[j]}) = {seed_sigmoids[j]}, but a sigmoid "
                f"never exceeds 1: S({seed_sums[j]}) = "
                f"{Value(seed_sums[j]).sigmoid().data:.9f}"
            )
    z3 = Value.dot(w_out, hidden)
    o = z3.sigmoid()
    print(
        f"   z3 = 0.4 * h0 + 0.5 * h1 + 0.9 * h2 = {z3.data:.5f}   "
        f"(the tutorial, with its h1 of 1.000, prints 1.79832)"
    )
    print(f"   o = S(z3) = {o.data:.10f}   (tutorial: .8579443067; target .92)")


def first_iteration_gradients(model: MLP, xs: list[list[float]], ys: list[float]) -> None:
    """The tutorial's named quantities, read off the graph's gradients and
    checked against its hand formulas."""
    print("\n2. The tutorial's hand-derived gradients, from the graph")
    outputs = [model(x) for x in xs]
    loss = sse_loss(outputs, ys)
    loss.backward()
    for i, (o, y) in enumerate(zip(outputs, ys, strict=True)):
        z3 = o.inputs[0]  # o = sigmoid(z3)
        w2 = model.layers[1].neurons[0].w  # z3 = dot(w2, z2): inputs (*w2, *z2)
        # The graph holds d loss / d node; the tutorial's quantities are the
        # negated gradients (it adds them to the weights).
        o_error, o_delta = -o.grad, -z3.grad
        z2_error = [-h.grad for h in z3.inputs[3:]]
        z2_delta = [-h.inputs[0].grad for h in z3.inputs[3:]]
        # The tutorial's formulas, by hand:
        hand_o_error = y - o.data
        hand_o_delta = hand_o_error * o.data * (1 - o.data)
        hand_z2_error = [hand_o_delta * w.data for w in w2]
        hand_z2_delta = [
            e * h.data * (1 - h.data) for e, h in zip(hand_z2_error, z3.inputs[3:], strict=True)
        ]
        for name, graph, hand in (
            ("o_error", [o_error], [hand_o_error]),
            ("o_delta", [o_delta], [hand_o_delta]),
            ("z2_error", z2_error, hand_z2_error),
            ("z2_delta", z2_delta, hand_z2_delta),
        ):
            worst = max(abs(g - h) for g, h in zip(graph, hand, strict=True))
            if worst > 1e-12:
                raise AssertionError(
                    f"{name} of sample {i} differs from the tutorial's formula by {worst}"
                )
            print(
                f"   sample {i} {name:8} = "
                f"{', '.join(f'{g:+.6f}' for g in graph):40} matches the hand formula"
            )
    model.zero_grad()


def tutorial_network() -> MLP:
    """The tutorial's 2-3-1 network, untrained: sigmoids, no biases, weights
    drawn from a normal distribution like its ``np.random.randn`` (seeded,
    so every run and every example starts from the same weights)."""
    return MLP(
        2,
        [3, 1],
        activation="sigmoid",
        output_activation="sigmoid",
        bias=False,
        seed=1,
        init="normal",
    )


def first_student_loss(model: MLP) -> tuple[Value, dict[Value, str]]:
    """The loss for the tutorial's first student, with its nodes labelled as
    the tutorial names them (o, z3, hidden z2[j], pre-activations z[j]), and
    the tutorial's names for their gradients: o_error = -dL/do,
    o_delta = -dL/dz3, z2_error[j] = -dL/dz2[j], z2_delta[j] = -dL/dz[j]."""
    for name, p in model.named_parameters():
        p.label = name.replace("layers.", "L").replace(".neurons.", ".n")
    studied, slept = scaled(HOURS)[0]
    o = model([Value(studied, label="studied"), Value(slept, label="slept")])  # named in pictures
    z3 = o.inputs[0]  # o = sigmoid(z3)
    o.label, z3.label = "o", "z3"
    names = {o: "o_error", z3: "o_delta"}
    for j, h in enumerate(z3.inputs[3:]):  # z3 = dot(w2, z2): inputs (*w2, *z2)
        z = h.inputs[0]  # z2[j] = sigmoid(z[j])
        h.label, z.label = f"z2[{j}]", f"z[{j}]"
        names[h], names[z] = f"z2_error[{j}]", f"z2_delta[{j}]"
    loss = sse_loss([o], [SCORES[0] / 100])
    loss.label = "loss"
    return loss, names


def draw(model: MLP, svg: Path, html: Path | None) -> None:
    """The first student's loss graph before training: the pass that
    examples/step_through.py prints and the page replays."""
    print("\n3. The loss graph of the first student, before training")
    loss, names = first_student_loss(model)
    loss.backward()
    svg.parent.mkdir(parents=True, exist_ok=True)
    if not shutil.which("dot"):
        path = svg.with_suffix(".dot")
        path.write_text(to_dot(loss, params=model.named_parameters()))
        print(f"   as DOT text: {path}\n   {INSTALL_HINT}")
        model.zero_grad()
        return
    svg.write_bytes(draw_graph(loss, params=model.named_parameters()).pipe("svg"))
    print(f"   drawn: {svg}")
    if html is not None:
        notes = {
            node: f"the tutorial's {name} = -grad = {-node.grad:+.6f}"
            for node, name in names.items()
        }
        html.parent.mkdir(parents=True, exist_ok=True)
        Stepper(loss, params=model.named_parameters(), notes=notes).save(html)
        print(f"   its forward and backward passes, step by step, in your browser: {html}")
    model.zero_grad()


TUTORIAL_BACKPROP = """\
   The tutorial's numpy, for all students at once:
       o_error = y - o
       o_delta = o_error * self.sigmoidPrime(o)
       z2_error = o_delta.dot(self.W2.T)
       z2_delta = z2_error * self.sigmoidPrime(self.z2)
   compile_grad's code for one student (o_delta is -d_z3, z2_delta[j] is -d_z_j):"""


def backward_as_code(model: MLP) -> None:
    """compile_grad writes the first student's backward pass out as plain
    Python on floats: the tutorial's hand derivation, written by the engine,
    and the same numbers as backward(), bit for bit."""
    print("\n4. The same backward pass, written out as code by compile_grad")

    def student_loss(x: list[Value] | list[float], y: Value | float) -> Value:
        o = model(x)
        z3 = o.inputs[0]  # o = sigmoid(z3), z3 = dot(w2, z2)
        o.label, z3.label = "o", "z3"  # the generated variables take these names
        for j, h in enumerate(z3.inputs[3:]):
            h.label, h.inputs[0].label = f"z2_{j}", f"z_{j}"
        return sse_loss([o], [y])

    x, y = scaled(HOURS)[0], SCORES[0] / 100
    step = compile_grad(student_loss, x, y, params=model.named_parameters())
    print(TUTORIAL_BACKPROP)
    source = step.source.splitlines()
    start = next(i for i, line in enumerate(source) if line.strip().startswith("# backward"))
    end = next(i for i, line in enumerate(source) if line.strip().startswith("return"))
    print("\n".join("   " + line for line in source[start + 1 : end]))
    step(x, y)
    compiled = [p.grad for p in model.parameters()]
    model.zero_grad()
    student_loss(x, y).backward()
    same = compiled == [p.grad for p in model.parameters()]
    print(f"   its gradients equal backward()'s bit for bit: {same}")
    model.zero_grad()


def main(
    quiet: bool = False, svg: Path = OUT / "exam_scores_loss.svg", html: Path | None = None
) -> float:
    replay_worked_forward_pass()
    print(
        "\nFrom here on the network starts from random weights, as the tutorial's code does"
        '\n(np.random.randn; here seeded: MLP(..., init="normal", seed=1)), not from the'
        "\nhand-picked weights above, and the inputs are scaled."
    )
    xs, ys = scaled(HOURS), [s / 100 for s in SCORES]
    model = tutorial_network()
    first_iteration_gradients(model, xs, ys)
    draw(model, svg, html)
    backward_as_code(model)

    print("\n5. Training: 1,000 iterations of SGD, lr=1, on 0.5 * sum((y - o)**2)")
    history = fit(model, xs, ys, epochs=1000, loss=sse_loss, lr=1.0, quiet=quiet, stream=sys.stdout)
    print(f"   loss {history[0]:.6f} -> {history[-1]:.6f}")
    for hours, score in zip(HOURS, SCORES, strict=True):
        predicted = model(scaled([hours])[0]).data * 100
        print(
            f"   studied {hours[0]:g} h, slept {hours[1]:g} h: "
            f"actual {score:g}, predicted {predicted:.1f}"
        )

    answer: float = model(scaled([QUESTION])[0]).data * 100
    print(f"\nPredicted score for a student who studied 4 hours and slept 8: {answer:.1f} / 100")
    return answer


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="no training progress")
    parser.add_argument(
        "--svg",
        type=Path,
        default=OUT / "exam_scores_loss.svg",
        help="where to draw the loss graph (default: %(default)s)",
    )
    parser.add_argument(
        "--html",
        type=Path,
        help="also write the step-through page of that graph (one self-contained HTML file)",
    )
    args = parser.parse_args()
    main(quiet=args.quiet, svg=args.svg, html=args.html)
