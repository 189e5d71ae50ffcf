"""What the page calls: each call is a name and JSON keyword arguments, and
answers JSON, ``{"result": ...}`` or ``{"error": "ValueError: ..."}``.

One training view lives here between calls: ``configure`` makes it anew
(the page's Reset, or a change of settings).
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from typing import Any

from playground.python import cell, training

view: training.TrainingView | None = None


def configure(settings: dict[str, Any]) -> dict[str, Any]:
    global view
    view = training.TrainingView(training.settings_from(settings))
    return view.setup()


def _view() -> training.TrainingView:
    if view is None:
        raise RuntimeError("no training yet: configure it first")
    return view


def train(milliseconds: float, steps: int) -> dict[str, Any]:
    return _view().train(milliseconds, steps)


def export() -> str:
    return _view().export()


def neuron(layer: int, index: int) -> dict[str, Any]:
    return _view().neuron_graph(layer, index)


CALLS: dict[str, Callable[..., object]] = {
    "run": cell.run,
    "configure": configure,
    "train": train,
    "export": export,
    "neuron": neuron,
}


def call(name: str, arguments: str) -> str:
    try:
        return json.dumps({"result": CALLS[name](**json.loads(arguments))})
    except Exception as error:  # the page shows it and goes on
        return json.dumps({"error": "".join(traceback.format_exception_only(error)).strip()})
