"""The tutorial network's first backward pass, one node at a time.

Each step prints as a line of the chain rule; steps whose node is one of the
tutorial's named quantities say so: o_error = -dL/do, o_delta = -dL/dz3,
z2_error = -dL/dz2, z2_delta = -dL/d(z2's pre-activation). The network is
untrained (the seeded random weights examples/exam_scores.py starts from)
and the loss is the first student's.

Run: .venv/bin/python examples/step_through.py
To stop in pdb at one rule, see the Stepping guide (docs/guides/stepping/index.md); to step through
the same pass in a browser: examples/exam_scores.py --html out/tutorial.html
"""

import argparse
import runpy
from pathlib import Path

from autograd import backward_steps

# Examples are scripts, not a package: take the tutorial's network from its script.
EXAM_SCORES = runpy.run_path(str(Path(__file__).with_name("exam_scores.py")))


def main() -> None:
    loss, tutorial = EXAM_SCORES["first_student_loss"](EXAM_SCORES["tutorial_network"]())
    for step in backward_steps(loss):
        print(step)
        if step.node in tutorial:
            print(f"    tutorial: {tutorial[step.node]} = {-step.grad:+.6f}")


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()
