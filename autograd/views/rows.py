"""A collapsed group's node: one table per neuron (its parameters with data
and grad, then a row per sample with its pre-activation and activation) or
per layer (how many parameters and outputs, and the range of their numbers).
"""

from __future__ import annotations

from autograd.views.groups import Group, owner
from autograd.views.labels import COLORS, finite, heading, number, number_range, row, table, text

SAMPLES_SHOWN = 4


def group_node(group: Group, gid: str, level: str) -> str:
    """The DOT statement of ``group`` drawn as node ``gid``."""
    members = [p for _, p in group.parameters] + group.nodes
    color = COLORS["parameter"] if all(map(finite, members)) else COLORS["non-finite"]
    rows = _neuron_rows(group) if level == "neurons" else _layer_rows(group)
    has_activation = any(a is not None for _, a in group.outputs())
    columns = 5 if level == "neurons" and has_activation else 3
    title = heading(text(group.path), columns, color)
    return f"{gid} [label={table([title, *rows], '#ffffff')}]"


def _neuron_rows(group: Group) -> list[str]:
    outputs = group.outputs()
    activation = next((str(a.op) for _, a in outputs if a is not None), "")
    span = 2 if activation else 1
    rows = [
        row(text(name), number(p.data), number(float(p.grad)), span=span, port=f"p{k}")
        for k, (name, p) in enumerate(group.parameters)
    ]
    header = ["sample", "z", "grad"] + ([text(activation), "grad"] if activation else [])
    rows.append(row(*header))
    for k, (z, a) in enumerate(outputs[:SAMPLES_SHOWN]):
        cells = [str(k + 1), number(z.data), number(float(z.grad))]
        if activation:
            cells += [number(a.data), number(float(a.grad))] if a is not None else ["", ""]
        rows.append(row(*cells))
    hidden = len(outputs) - SAMPLES_SHOWN
    if hidden > 0:
        columns = 5 if activation else 3
        rows.append(f'<TR><TD COLSPAN="{columns}">… {hidden} more samples</TD></TR>')
    return rows


def _layer_rows(group: Group) -> list[str]:
    params = [p for _, p in group.parameters]
    outputs = [z if a is None else a for z, a in group.outputs()]
    ops = sorted({str(node.op) for node in outputs})
    neurons = len({owner(name) for name, _ in group.parameters})
    return [
        row(f"{neurons} neuron{'s' * (neurons != 1)}", "data", "grad"),
        row(
            f"{len(params)} parameters",
            number_range([p.data for p in params]),
            number_range([float(p.grad) for p in params]),
        ),
        row(
            f"{len(outputs)} outputs ({text(', '.join(ops))})",
            number_range([node.data for node in outputs]),
            number_range([float(node.grad) for node in outputs]),
        ),
    ]
