"""The code cell: run the user's code; when its last expression is a Value,
differentiate it and give the page what it draws and steps through.

The page shows the value's graph with this pass's gradients; the user's
Values keep theirs (the Stepper puts them back).
"""

from __future__ import annotations

import ast
import contextlib
import io
import linecache
import traceback
from collections.abc import Iterable
from typing import Any, Literal

from autograd import GraphTooLarge, Stepper, Value, to_dot
from nn import Module

CELL = "<cell>"  # the file name tracebacks give the user's code
# A drawing of more Values than this is collapsed, by neurons first, then by
# layers: past it a graph no longer fits a screen or renders at once.
MAX_DRAWN = 80
COLLAPSES: tuple[Literal["neurons", "layers"] | None, ...] = (None, "neurons", "layers")


def run(code: str) -> dict[str, Any]:
    """Run ``code`` in a namespace of its own; return what it printed, the
    traceback if it failed, the last expression's ``repr`` and, when that is
    a Value, its graph (see ``describe``)."""
    linecache.cache[CELL] = (len(code), None, code.splitlines(True), CELL)  # lines in tracebacks
    printed = io.StringIO()
    result: dict[str, Any] = {"output": "", "error": "", "value": "", "graph": None}
    try:
        with contextlib.redirect_stdout(printed):
            namespace: dict[str, Any] = {"__name__": "__main__"}
            value = _execute(code, namespace)
        if value is not None:
            result["value"] = repr(value)
        if isinstance(value, Value):
            result["graph"] = describe(value, parameters_in(namespace))
    except (Exception, SystemExit) as error:
        result["error"] = _traceback(error)
    result["output"] = printed.getvalue()
    return result


def _execute(code: str, namespace: dict[str, Any]) -> object:
    """Exec ``code``; return the value of its last statement when that is an
    expression (as a notebook cell shows it), else None."""
    tree = ast.parse(code, CELL)
    last = tree.body[-1] if tree.body else None
    if not isinstance(last, ast.Expr):
        exec(compile(tree, CELL, "exec"), namespace)
        return None
    tree.body.pop()
    exec(compile(tree, CELL, "exec"), namespace)
    return eval(compile(ast.Expression(last.value), CELL, "eval"), namespace)


def _traceback(error: BaseException) -> str:
    """The traceback from the user's code on: this module's frames dropped."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


def parameters_in(namespace: dict[str, Any]) -> list[tuple[str, Value]]:
    """The named parameters of the models the code left in its variables,
    each Value once: named as ``named_parameters`` names them when there is
    one model, prefixed with the variable's name when there are several."""
    models = [(name, v) for name, v in namespace.items() if isinstance(v, Module)]
    seen: set[Value] = set()
    named = []
    for variable, model in models:
        for name, p in model.named_parameters():
            if p not in seen:
                seen.add(p)
                named.append((f"{variable}.{name}" if len(models) > 1 else name, p))
    return named


def describe(value: Value, params: Iterable[tuple[str, Value]] = ()) -> dict[str, Any]:
    """What the page needs to show ``value``'s graph and step through its
    passes: the DOT text (collapsed when large), the Stepper's frames and
    node times (``Stepper.page_data``), and which collapse was used."""
    params = list(params)
    collapse = _collapse(value, params)
    stepper = Stepper(value, params=params or None, collapse=collapse)
    return {"dot": stepper.drawing.source, "collapse": collapse or "", **stepper.page_data()}


def _collapse(value: Value, params: list[tuple[str, Value]]) -> Literal["neurons", "layers"] | None:
    """The first of no collapse, neurons, layers that draws at most
    MAX_DRAWN Values (collapsing needs the parameters' names); the last
    one that can be tried when none does."""
    tried = COLLAPSES if params else COLLAPSES[:1]
    for collapse in tried:
        try:
            to_dot(value, params=params or None, collapse=collapse, max_nodes=MAX_DRAWN)
        except GraphTooLarge:
            continue
        return collapse
    return tried[-1]
