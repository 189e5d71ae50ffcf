"""``Stepper``: a web page that replays a graph's forward pass, then its
backward pass, one node at a time.

The page is one self-contained HTML file a person can open offline or share:
the graph as inline SVG drawn by Graphviz, and a small hand-written script
and style sheet (``stepper_page.js``, ``stepper_page.css`` and
``stepper_page.html`` next to this module; the Playground shares the script
and the style). It loads nothing from the
network; its Content-Security-Policy allows only its own script and style.

Each frame of the page is one node: first every node in the order an
evaluation of the expression makes them (each after its inputs, inputs in
the order the node reads them), then every node in ``backward_steps`` order (each node
before its inputs). The current node and the edges it reads from (forward)
or passes gradients along (backward) are highlighted; a node's data shows
once it is computed and its gradient once it is final ("grad ?" before). In
a collapsed drawing a neuron's or layer's table shows its numbers all along
(the cells are not marked in the SVG); it is highlighted at each step of one
of its Values, and the panel says which.
The side panel shows the step as ``str(step)`` prints it, the derivative
from the rule's docstring, and the node's note.

Labels and notes are data, never markup: Graphviz escapes them in the SVG,
the frames travel as JSON with ``<``, ``>`` and ``&`` escaped, and the
script writes them as text only, so any text is safe to show.
"""

from __future__ import annotations

import base64
import hashlib
import html
import inspect
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Literal

from autograd.core.engine import evaluation_order, topological_order
from autograd.core.ops import Op
from autograd.core.steps import Step, backward_steps
from autograd.core.value import Value
from autograd.views.plan import node_ids
from autograd.views.render import draw_graph

IFRAME_HEIGHT_PX = 640  # the page inline in Jupyter: room for the controls and a graph
# stepper_page.js is an ES module (the Playground imports it); this page
# inlines it and starts it on the frames it carries.
PAGE_START = 'stepThrough(JSON.parse(document.getElementById("stepper-data").textContent));\n'


@dataclass(frozen=True)
class Frame:
    """One position of the page: a node being computed or differentiated.

    ``node`` and ``inputs`` are names in the drawing (``v3``, or a neuron's
    name when collapsed); ``inputs`` are the Value inputs the node reads
    (forward) or passes a gradient to (backward)."""

    phase: Literal["forward", "backward"]
    node: str
    inputs: list[str]
    text: str
    rule: str
    note: str


class Stepper:
    """A page that steps through ``loss``'s forward and backward passes.

    ``params`` (``model.named_parameters()``) and ``collapse`` (``"neurons"``
    or ``"layers"``) are passed on to ``draw_graph``; ``notes`` maps nodes to
    text shown beside them (``{o: "o_delta"}``).

    Constructing a Stepper runs the backward pass once (through
    ``backward_steps``, so hooks fire) and then puts every ``.grad`` back as
    it was: making a page changes nothing an optimizer would see. The page
    shows this one pass's gradients, d loss / d node, even where leaves had
    gradients accumulated before.

    ``stepper.save("z.html")`` writes the page; in Jupyter a Stepper
    displays inline.

    Examples:
        >>> from autograd import Value
        >>> w, h = Value(0.4, label="w"), Value(2.0, label="h")
        >>> z = w * h; z.label = "z"
        >>> stepper = Stepper(z, notes={z: "the product"})
        >>> for frame in stepper.frames:
        ...     print(f"{frame.phase:8} {frame.node}: {frame.text}")
        forward  v1: w = 0.4
        forward  v2: h = 2
        forward  v0: z = w * h = 0.8
        backward v0: z = w * h grad=1 -> w += 1 * 2 = 2; h += 1 * 0.4 = 0.4
        backward v1: w = leaf grad=2
        backward v2: h = leaf grad=0.4
        >>> stepper.frames[3].rule
        'd(a*b)/da = b, d(a*b)/db = a'
        >>> w.grad  # restored
        0.0
        >>> page = stepper.html()  # the SVG needs Graphviz's dot
        >>> page.startswith("<!DOCTYPE html>"), page.count("<svg")
        (True, 1)
    """

    def __init__(
        self,
        loss: Value,
        *,
        params: Iterable[tuple[str, Value]] | None = None,
        notes: Mapping[Value, str] | None = None,
        collapse: Literal["neurons", "layers"] | None = None,
    ) -> None:
        if not isinstance(loss, Value):
            raise TypeError(f"Stepper steps through a Value, got {type(loss).__name__}")
        params = None if params is None else list(params)
        order = topological_order(loss)
        notes = _checked_notes(notes or {}, set(order))
        saved = [node.grad for node in order]
        try:
            for node in order:
                if not node.inputs:
                    node.grad = 0.0  # show this pass's gradients, not accumulated ones
            steps = list(backward_steps(loss))
            self.drawing = draw_graph(loss, params=params, collapse=collapse)
        finally:
            for node, grad in zip(order, saved, strict=True):
                node.grad = grad
        drawn = node_ids(loss, params=params, collapse=collapse)
        by_node = {step.node: step for step in steps}
        forward = evaluation_order(loss)
        self.frames = [
            *(_frame("forward", by_node[node], drawn, notes) for node in forward),
            *(_frame("backward", step, drawn, notes) for step in steps),
        ]
        self.title = f"Stepping through {steps[0].name(loss)}"
        # The frame at which each drawn node's data is computed (its forward
        # frame) and its gradient final (its backward frame, after every
        # forward one); a collapsed node draws several Values: it waits for
        # all of them.
        self.node_times: dict[str, dict[str, int]] = {}
        for i, node in enumerate(forward):
            times = self.node_times.setdefault(drawn[node], {"computed": 0, "final": 0})
            times["computed"] = max(times["computed"], i)
        for i, step in enumerate(steps):
            times = self.node_times[drawn[step.node]]
            times["final"] = max(times["final"], len(forward) + i)

    def html(self) -> str:
        """The page as one HTML document."""
        svg = self.drawing.pipe("svg", encoding="utf-8")
        svg = svg[svg.index("<svg") :]  # drop the XML prolog and DOCTYPE
        css, js = _asset("css"), _asset("js") + PAGE_START
        return Template(_asset("html")).substitute(
            title=html.escape(self.title),
            css=css,
            js=js,
            style_hash=_csp_hash(css),
            script_hash=_csp_hash(js),
            svg=svg,
            data=_script_json(self.page_data()),
        )

    def page_data(self) -> dict[str, Any]:
        """What the page script's ``stepThrough`` steps through (as JSON): the
        frames, when each drawn node's data and gradient are known, and where
        the backward pass starts. The Playground draws ``self.drawing.source``
        itself and passes this to the same script."""
        return {
            "frames": [asdict(frame) for frame in self.frames],
            "nodes": self.node_times,
            "forward_count": len(self.frames) // 2,  # then as many backward
        }

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        """Jupyter shows the page in a sandboxed frame: its ids, style and
        keys stay inside it."""
        return (
            f'<iframe srcdoc="{html.escape(self.html())}" sandbox="allow-scripts" '
            f'title="{html.escape(self.title)}" '
            f'style="width: 100%; height: {IFRAME_HEIGHT_PX}px; border: 1px solid #ddd">'
            "</iframe>"
        )


def _checked_notes(notes: Mapping[Value, str], graph: set[Value]) -> dict[Value, str]:
    for node, note in notes.items():
        if not isinstance(node, Value):
            raise TypeError(f"notes are keyed by Values, got a {type(node).__name__}: {node!r}")
        if not isinstance(note, str):
            raise TypeError(f"the note for {node!r} must be a str, got {type(note).__name__}")
        if node not in graph:
            raise ValueError(f"the note {note!r} is for {node!r}, which is not in the loss's graph")
    return dict(notes)


def _frame(
    phase: Literal["forward", "backward"],
    step: Step,
    drawn: Mapping[Value, str],
    notes: Mapping[Value, str],
) -> Frame:
    node = step.node
    inputs = [drawn[x] for x in node.inputs if isinstance(x, Value)]
    rule = ""
    if phase == "backward":
        text = str(step)
        if isinstance(node.op, Op):  # a leaf's op is "": it has no rule
            rule = inspect.getdoc(node.op.backward) or ""
    elif node.inputs:
        text = f"{step.name(node)} = {step.formula()} = {node.data:.4g}"
    else:
        text = f"{step.name(node)} = {node.data:.4g}"
    return Frame(phase, drawn[node], inputs, text, rule, notes.get(node, ""))


def _asset(suffix: str) -> str:
    return (resources.files("autograd.views") / f"stepper_page.{suffix}").read_text(
        encoding="utf-8"
    )


def _csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline
    script or style, and nothing injected beside it."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``,
    ``<!--`` or ``&`` can appear, and U+2028/U+2029 are escaped too."""
    text = json.dumps(data, ensure_ascii=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text
