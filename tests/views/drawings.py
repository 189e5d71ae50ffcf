"""What the drawing tests share: small graphs, and dot's SVG read back."""

import random
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from autograd import Value
from nn import MLP, mse_loss

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed"
)


SVG = "{http://www.w3.org/2000/svg}"


def small_graph() -> Value:
    x = Value(2.0, label="x")
    y = (x * 3).tanh()
    y.label = "y"
    y.backward()
    return y


def render(dot_text: str) -> ET.Element:
    """The SVG dot makes of dot_text, parsed; dot must accept the text."""
    done = subprocess.run(
        ["dot", "-Tsvg"], input=dot_text.encode(), capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Warning" not in done.stderr and b"Error" not in done.stderr, done.stderr
    return ET.fromstring(done.stdout)


def node_texts(svg: ET.Element) -> dict[str, list[str]]:
    """Each drawn node's id (its <title>) -> the texts drawn in it."""
    return {
        title(g): [t.text or "" for t in g.iter(f"{SVG}text")]
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "node"
    }


def title(g: ET.Element) -> str:
    """A node's or edge's id, as graphviz writes it: its <title>."""
    return g.findtext(f"{SVG}title", "")


def width_pt(svg: ET.Element) -> float:
    return float(svg.get("width", "").removesuffix("pt"))


def line_of(text: str, dot_id: str) -> str:
    """The statement that declares dot_id in DOT text."""
    return next(line for line in text.splitlines() if line.startswith(dot_id + " ["))


def batch_loss(samples: int = 18) -> tuple[MLP, list[list[float]], Value]:
    """micrograd's demo size: a 2-16-16-1 tanh network's loss over a batch."""
    model = MLP(2, [16, 16, 1], activation="tanh", seed=0)
    rng = random.Random(0)
    xs = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(samples)]
    ys = [rng.choice([-1.0, 1.0]) for _ in range(samples)]
    loss = mse_loss([model(x) for x in xs], ys)
    loss.backward()
    return model, xs, loss
