"""Source generation: a recorded graph as straight-line Python.

``Program`` writes a graph's forward pass and then its backward pass, one
statement per node, in the engine's own order, with the engine's own float
arithmetic, so the code reads like the hand derivation and gives the
engine's numbers bit for bit::

    o = 1.0 / (1.0 + exp(-z3)) if z3 >= 0.0 else exp(z3) / (1.0 + exp(z3))  # sigmoid
    ...
    d_z3 = d_o * o * (1.0 - o)  # sigmoid: out * (1 - out)

Each op is written by its template (``autograd/templates.py``); an op
without one (a ``custom_op``, a rule replaced) compiles to a call of its own
forward and backward functions. With the numpy dialect every per-sample
value is an array over a batch, and a layer's dots are one matrix product.

Labels and parameter names are data: they reach the source only through
``identifier`` (letters, digits and ``_``, checked against keywords and every
name the code uses) or ``repr`` in a comment, so no label can change what the
code does.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeAlias, cast

from autograd.compile.templates import (
    FINITE_INPUTS,
    NAMESPACE_NAMES,
    NUMPY,
    PYTHON,
    TEMPLATES,
    ZERO_PRESERVING,
    Dialect,
    Operand,
    literal,
    template,
)
from autograd.core import ops
from autograd.core.modes import DataRead
from autograd.core.value import Value

TERMS_PER_LINE = 32
"""A long sum or dot is written over several lines of at most this many
terms (``v = v + t32 + ...``): a 10,000-term expression on one line would
exceed the depth ``compile()`` accepts."""

SKIP_FROM = 8  # inputs from which the batch loop skips a node's rule on a zero gradient

WIDE = 256  # pairs from which a dot over a parameter run and a list argument uses lists

LINE_LENGTH = 96  # where lists of names (parameters, gradients) wrap

FAST_LOCALS = 256
"""Python numbers a function's variables in order of appearance, and from
the 257th on each use costs an extra instruction (``EXTENDED_ARG``, after
which 3.11 runs the instruction unspecialized). The batch loop names each
sample's variables before the parameters, so the most used are fast."""


# --- names -------------------------------------------------------------------

_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")
_GENERATED = re.compile(r"v\d+|param_\d+|g_.*|d_.*|_.*")  # the forms generated names take


def identifier(text: str) -> str | None:
    """``text`` made into a Python name (runs of other characters become
    ``_``), or None if that is not a safe, plain ASCII name.

    >>> identifier("layers.0.neurons.1.w.0"), identifier("x[0]"), identifier("class")
    ('layers_0_neurons_1_w_0', 'x_0', None)
    """
    name = _NOT_IDENTIFIER.sub("_", text).strip("_")
    if not name or name[0].isdigit() or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return None
    return name


class Names:
    """Each node's variable: its label (or parameter name) as an identifier
    when that is free, else ``v{i}``; its gradient is ``d_`` + that.

    Free means: not a keyword, not a builtin, not a name the generated code
    uses itself, not of the forms generated names take (``v12``, ``d_x``),
    and not taken by an earlier node.
    """

    def __init__(self, reserved: Iterable[str]) -> None:
        self.taken = set(reserved) | set(dir(builtins))
        self.of: dict[Value, str] = {}

    def claim(self, node: Value, wanted: str | None, fallback: str) -> str:
        name = wanted and identifier(wanted)
        if not name or name in self.taken or _GENERATED.fullmatch(name):
            name = fallback
        self.taken.add(name)
        self.of[node] = name
        return name

    def __getitem__(self, node: Value) -> str:
        return self.of[node]


# --- the graph to write ----------------------------------------------------------


Structure: TypeAlias = "Value | list[Structure]"


@dataclass
class Argument:
    """One argument of the traced function: its name, and its leaves as a
    nested structure (a Value, or a list of structures)."""

    name: str
    structure: Structure


@dataclass
class Graph:
    """What ``compile_grad`` recorded: the loss, the nodes to compute, the
    walk of the backward pass, and what the code reads and checks."""

    root: Value
    forward: list[Value]  # nodes with inputs, each after its inputs
    walk: list[Value]  # the engine's backward order: topological_order(root, leaves=False)
    arguments: list[Argument]
    params: list[Value]
    param_names: list[str | None]
    guards: list[DataRead]
    numbering: dict[Value, int]  # v{i}: position in topological_order(root), as to_dot


class NotCompilable(Exception):
    """The graph uses something a dialect cannot write (numpy and a custom op)."""


@dataclass
class Program:
    """The source of one compiled graph, and the names its functions need
    (the custom ops' forward and backward functions)."""

    graph: Graph
    dialect: Dialect = PYTHON
    names: Names = field(init=False)
    custom: dict[str, Callable[..., object]] = field(default_factory=dict)
    constants: dict[str, object] = field(default_factory=dict)  # numpy: index tables
    per_sample: set[Value] = field(default_factory=set)
    leads_to_params: set[Value] = field(default_factory=set)
    arguments: set[Value | float] = field(default_factory=set)
    param_index: dict[Value, int] = field(default_factory=dict)
    groups: list[list[Value]] = field(default_factory=list)  # numpy: dots done as one matmul
    wide: dict[Value, tuple[int, int, str]] = field(default_factory=dict)  # see _find_wide_dots
    wide_params: set[Value] = field(default_factory=set)
    wide_arguments: set[str] = field(default_factory=set)
    group_of: dict[Value, list[Value]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        graph = self.graph
        containers = [path for a in graph.arguments for path, _ in _containers(a)]
        self.names = Names(NAMESPACE_NAMES + containers)
        for argument in graph.arguments:
            for leaf, path in _leaves(argument):
                self.names.claim(leaf, path, f"arg_{len(self.names.of)}")
                self.per_sample.add(leaf)
                self.arguments.add(leaf)
        for k, (p, name) in enumerate(zip(graph.params, graph.param_names, strict=True)):
            fallback = f"v{graph.numbering[p]}" if p in graph.numbering else f"param_{k}"
            self.names.claim(p, name or p.label, fallback)
        for node in graph.forward:
            wanted = "loss" if node is graph.root and not node.label else node.label
            self.names.claim(node, wanted, f"v{graph.numbering[node]}")
            if any(type(x) is not float and x in self.per_sample for x in node.inputs):
                self.per_sample.add(node)
        self.param_index = {p: i for i, p in enumerate(graph.params)}
        if self.dialect is NUMPY:
            self._group_dots()
        else:
            self._find_wide_dots()
        # Gradients are computed only where they reach a parameter: an
        # argument's gradient (the engine computes it) is read by no one.
        self.leads_to_params = set(graph.params)
        for node in graph.forward:
            if any(type(x) is not float and x in self.leads_to_params for x in node.inputs):
                self.leads_to_params.add(node)

    def _group_dots(self) -> None:
        """Dots with parameter weights over the same per-sample inputs (the
        neurons of a layer) become one matrix product over the batch. Members
        are kept in walk order, so the last one reached closes the group."""
        by_inputs: dict[tuple[Value | float, ...], list[Value]] = {}
        for node in self.graph.forward:
            op: ops.Op = node.op  # type: ignore[assignment]  # a node with inputs has an Op
            if template(op) is not TEMPLATES[ops.dot_backward]:
                continue
            half = len(node.inputs) // 2
            ws, xs = node.inputs[:half], node.inputs[half:]
            if all(w in self.param_index for w in ws) and all(x in self.per_sample for x in xs):
                by_inputs.setdefault(xs, []).append(node)
        position = {node: i for i, node in enumerate(self.graph.walk)}
        for members in by_inputs.values():
            members.sort(key=lambda n: position.get(n, -1))
            self.groups.append(members)
            for node in members:
                self.group_of[node] = members

    def _find_wide_dots(self) -> None:
        """A dot of WIDE or more pairs whose weights are a run of parameters
        used nowhere else, over every number of one list argument, is written
        with lists (``sum(map(mul, params[i:j], x), 0.0)``, dot_float's own
        expression): a line per pair would be 300,000 lines to compile."""
        graph = self.graph
        uses: dict[Value | float, int] = {}
        for node in graph.forward:
            for x in node.inputs:
                uses[x] = uses.get(x, 0) + 1
        lists: dict[tuple[object, ...], str] = {
            tuple(a.structure): a.name
            for a in graph.arguments
            if isinstance(a.structure, list) and all(isinstance(x, Value) for x in a.structure)
        }
        for node in graph.forward:
            op: ops.Op = node.op  # type: ignore[assignment]  # a node with inputs has an Op
            half = len(node.inputs) // 2
            if half < WIDE or template(op) is not TEMPLATES[ops.dot_backward]:
                continue
            ws, xs = node.inputs[:half], node.inputs[half:]
            first = self.param_index.get(ws[0])  # type: ignore[arg-type]
            argument = lists.get(xs)
            if first is None or argument is None or argument in self.wide_arguments:
                continue
            run = graph.params[first : first + half]
            if list(ws) == run and all(uses[w] == 1 for w in ws) and all(uses[x] == 1 for x in xs):
                self.wide[node] = (first, first + half, argument)
                self.wide_params.update(run)
                self.wide_arguments.add(argument)

    def group_forward_lines(self, group: list[Value]) -> list[str]:
        k = self.groups.index(group)
        first = group[0]
        half = len(first.inputs) // 2
        xs = ", ".join(self.names[x] for x in first.inputs[half:])  # type: ignore[index]
        index = [[self.param_index[w] for w in node.inputs[:half]] for node in group]  # type: ignore[index]
        names = ", ".join(self.names[node] for node in group)
        self.constants[f"W_{k}_INDEX"] = index
        return [
            f"# dot of {len(group)} nodes over the same inputs, as one matrix product",
            f"X_{k} = array(({xs},))",
            f"W_{k} = P[W_{k}_INDEX]  # their weights, a {len(group)} x {half} matrix",
            f"{names}, = W_{k} @ X_{k}",
        ]

    def group_gradient_lines(self, group: list[Value], seen: set[Value]) -> list[str]:
        k = self.groups.index(group)
        first = group[0]
        half = len(first.inputs) // 2
        grads = ", ".join(f"d_{self.names[n]}" if n in seen else "zeros(batch_size)" for n in group)
        index = [[self.param_index[w] for w in node.inputs[:half]] for node in group]  # type: ignore[index]
        flat = [i for row in index for i in row]
        add = f"G[W_{k}_INDEX] += " if len(set(flat)) == len(flat) else f"add_at(G, W_{k}_INDEX, "
        lines = [
            f"D_{k} = array(({grads},))",
            f"{add}D_{k} @ X_{k}.T{'' if add.startswith('G') else ')'}",
        ]
        if any(x in self.leads_to_params for x in first.inputs[half:]):
            lines.append(f"dX_{k} = W_{k}.T @ D_{k}")
        for i, x in enumerate(first.inputs[half:]):
            if x in self.leads_to_params:
                lines.append(self.accumulation(x, f"dX_{k}[{i}]", x in seen))
                seen.add(x)
        return lines

    # --- pieces ---

    def operand(self, x: Value | float) -> Operand:
        if type(x) is float:
            return Operand(literal(x), x)
        return Operand(self.names[x])  # type: ignore[index]  # not a float: a Value

    def operands(self, node: Value) -> list[Operand]:
        """The node's inputs as the templates see them. Where every input is
        an argument, each is converted with float(): the engine made them
        floats, and on two ints ``-``, ``*`` or ``**`` would compute in ints."""
        inputs = node.inputs
        if self.dialect is PYTHON and all(x in self.arguments for x in inputs):
            return [Operand(f"float({self.names[x]})") for x in inputs]  # type: ignore[index]
        return [self.operand(x) for x in inputs]

    def forward_lines(self, node: Value, loop: bool = False) -> list[str]:
        name = self.names[node]
        op: ops.Op = node.op  # type: ignore[assignment]  # a node with inputs has an Op
        if node in self.wide:
            start, end, argument = self.wide[node]
            return [f"{name} = sum(map(mul, params[{start}:{end}], {argument}), 0.0)  # dot"]
        operands = self.operands(node)
        found = template(op)
        if found is None:
            function = self._custom(op, "forward")
            args = ", ".join(x.text for x in operands)
            return [f"{name} = float({function}({args}))  # custom op {str(op)!r}"]
        if found.terms is not None:
            # the batch loop's sums start from their first term (see _long_sum)
            return _long_sum(name, found.terms(operands), found.comment, zero=not loop)
        comment = f"  # {found.comment}" if found.comment else ""
        return [f"{name} = {found.forward(operands, self.dialect)}{comment}"]

    def gradient_lines(
        self, node: Value, seen: set[Value], accumulate: Callable[[Value], bool]
    ) -> list[str]:
        """The lines adding ``node``'s contributions into its inputs'
        gradients, in input order (the engine's order). ``seen`` holds the
        nodes whose gradient variable exists; ``accumulate(x)`` says whether
        x's variable always exists already (parameters in a batch)."""
        name = self.names[node]
        op: ops.Op = node.op  # type: ignore[assignment]  # a node with inputs has an Op
        if node in self.wide:
            start, end, argument = self.wide[node]
            seen.update(self.graph.params[start:end])
            return [f"d_params_{start}_{end} = [d_{name} * number for number in {argument}]  # dot"]
        operands = self.operands(node)
        found = template(op)
        lines = []
        if found is None:
            function = self._custom(op, "backward")
            args = ", ".join(x.text for x in operands)
            results = [f"g_{name}_{i}" for i in range(len(operands))]
            lines.append(f"{', '.join(results)}, = {function}(d_{name}, {name}, {args})")
            grads = [f"float({r})" for r in results]
            comment = ""
        else:
            grads = list(found.backward(f"d_{name}", name, operands, self.dialect))
            comment = f"  # {found.gradient_comment}" if found.gradient_comment else ""
        for x, g in zip(node.inputs, grads, strict=True):
            if type(x) is float:
                continue
            if x not in self.leads_to_params:
                continue  # an argument, or a node computed from arguments only: no one reads it
            lines.append(self.accumulation(x, g, x in seen or accumulate(x)) + comment)
            seen.add(x)
        return lines

    def accumulation(self, x: Value, g: str, existing: bool) -> str:
        """``d_x = g``, or ``d_x += g`` when d_x exists already. In numpy a
        parameter's gradient is the sum over the batch, kept in the array G."""
        if self.dialect is NUMPY and x in self.param_index:
            return f"G[{self.param_index[x]}] += total({g})  # d_{self.names[x]}"
        return f"d_{self.names[x]} {'+=' if existing else '='} {g}"

    def guard_lines(self, k: int, read: DataRead) -> list[str]:
        subject = self.names[cast(Value, read.node)]  # compile_grad traces Values
        if read.how == "bool":
            condition = f"{subject} != 0.0"
        else:
            other = read.other
            other_text = self.names[other] if isinstance(other, Value) else literal(float(other))  # type: ignore[arg-type]
            condition = f"{subject} {read.how} {other_text}"
        if self.dialect is NUMPY:
            failed = f"not all_samples({condition})" if read.result else f"any_sample({condition})"
        else:
            failed = f"not {condition}" if read.result else condition
        return [
            f"if {failed}:",
            f"    raise GuardFailed({k})  # traced with {condition} {bool(read.result)}",
        ]

    def _custom(self, op: ops.Op, role: str) -> str:
        base = identifier(str(op)) or "custom_op"
        function = getattr(op, role)
        for name, known in self.custom.items():
            if known is function and name.startswith(f"{base}_{role}"):
                return name
        if self.dialect is NUMPY:
            raise NotCompilable(f"op {str(op)!r} has no numpy template")
        name = f"{base}_{role}"
        k = 1
        while name in self.custom or name in self.names.taken:
            k += 1
            name = f"{base}_{role}_{k}"
        self.custom[name] = function
        return name

    # --- sections ---

    def body(self, accumulate_params: bool, loop: bool = False) -> tuple[list[str], set[Value]]:
        """Forward, guards, then backward, for one sample (or one batch of
        arrays in numpy); and the nodes that got a gradient."""
        graph = self.graph
        lines = ["# forward"]
        pending = list(enumerate(graph.guards))
        ready = {*graph.params, *(leaf for a in graph.arguments for leaf, _ in _leaves(a))}

        def flush_guards() -> None:
            nonlocal pending
            later = []
            for k, read in pending:
                needs = [read.node] + ([read.other] if isinstance(read.other, Value) else [])
                if all(n in ready for n in needs):
                    lines.extend(self.guard_lines(k, read))
                else:
                    later.append((k, read))
            pending = later

        flush_guards()
        for node in graph.forward:
            group = self.group_of.get(node)
            if group is None:
                lines.extend(self.forward_lines(node, loop))
            elif node not in ready:
                lines.extend(self.group_forward_lines(group))
            ready.update(group or [node])
            flush_guards()
        if loop:
            lines.append(f"total_loss += {self.names[graph.root]}")
        lines.append("# backward: each node's gradient, then what it adds to its inputs'")
        root = self.names[graph.root]
        seed = "ones(batch_size)" if self.dialect is NUMPY else "1.0"
        params = set(graph.params)
        seen = {graph.root}
        if graph.root in params:
            lines.append(self.accumulation(graph.root, seed, accumulate_params))
        else:
            lines.append(f"d_{root} = {seed}")
        done: set[Value] = set()
        for node in graph.walk:
            if not (node.inputs and node in seen):  # no parameter depends on it: no gradient
                continue
            group = self.group_of.get(node)
            if group is None and loop and self._worth_skipping(node):
                lines.extend(self._unless_zero(node, seen, params))
            elif group is None:
                lines.extend(
                    self.gradient_lines(node, seen, lambda x: accumulate_params and x in params)
                )
            elif node is group[-1]:  # the group's last node in the walk: all theirs are final
                lines.extend(self.group_gradient_lines(group, seen))
            done.add(node)
            if loop:
                lines.extend(self._dead_relu_exit(node, seen, done, params))
        return lines, seen

    def _worth_skipping(self, node: Value) -> bool:
        """A wide node whose rule gives exact zeros for a zero gradient: in
        the batch loop, a dead relu upstream (half a layer at the start of
        training) makes its gradient 0, and its rule can be skipped."""
        op = cast(ops.Op, node.op)
        return len(node.inputs) >= SKIP_FROM and template(op) in ZERO_PRESERVING

    def _unless_zero(self, node: Value, seen: set[Value], params: set[Value]) -> list[str]:
        """The node's gradient lines under ``if d_node != 0.0``, as
        hand-written code skips a dead unit. Skipping is exact where every
        value the rule reads is finite (0 * inf would be nan): the
        parameters (``params_finite``, once per batch) and the node's other
        inputs (checked only when the gradient is 0; for an op in
        FINITE_INPUTS, through its own value alone). Gradients first
        written inside start from 0.0 before it, so they exist either way."""
        new = [
            x
            for x in node.inputs
            if isinstance(x, Value) and x in self.leads_to_params and x not in seen | params
        ]
        starts = [f"d_{self.names[x]} = 0.0" for x in dict.fromkeys(new)]
        seen.update(new)
        read = [
            self.names[x]
            for x in dict.fromkeys(node.inputs)
            if isinstance(x, Value) and x not in params
        ]
        if read and template(cast(ops.Op, node.op)) in FINITE_INPUTS:
            total = self.names[node]  # its own value is finite only if all it reads is
        else:
            total = " + ".join(["0.0", *read])
        finite = f"params_finite and isfinite({total})" if read else "params_finite"
        inner = self.gradient_lines(node, seen, lambda x: x in params)
        return [
            *starts,
            f"if d_{self.names[node]} != 0.0 or not ({finite}):  # else it adds only zeros",
            *_indented(inner),
        ]

    def _dead_relu_exit(
        self, node: Value, seen: set[Value], done: set[Value], params: set[Value]
    ) -> list[str]:
        """In the batch loop: when a relu's gradient is all the rest of the
        walk depends on and it is 0 (a flat hinge, a dead unit), the rest
        would add only zeros to the parameters' sums: go to the next sample,
        as hand-written code does. Only where that holds exactly: the rest
        of the walk only multiplies and adds (no division, log or power,
        where 0 / 0 makes nan), and every value it reads is finite (the
        parameters, checked once per batch, and the rest: their sum is), else
        0 * inf would have made the engine's gradients nan."""
        op: ops.Op = node.op  # type: ignore[assignment]  # a node with inputs has an Op
        if template(op) is not TEMPLATES[ops.relu_backward]:
            return []
        x = node.inputs[0]
        pending = [n for n in seen if n not in done and n not in params]
        if not isinstance(x, Value):
            return []
        if pending != [x]:
            return []
        rest = [
            n for n in self.graph.walk if n.inputs and n in self.leads_to_params and n not in done
        ]
        if not rest or not all(template(cast(ops.Op, n.op)) in ZERO_PRESERVING for n in rest):
            return []
        read = {
            v: None
            for n in rest
            for v in (n, *n.inputs)
            if isinstance(v, Value) and v not in params
        }
        # a value of an op in FINITE_INPUTS is finite only if its inputs are:
        # checking it checks them (the last of such a chain is checked itself)
        vouched = {
            x
            for n in read
            if n.inputs and template(cast(ops.Op, n.op)) in FINITE_INPUTS
            for x in n.inputs
        }
        check = _long_sum(
            "values_read", [self.names[v] for v in read if v not in vouched], "", zero=False
        )
        return [
            f"if d_{self.names[x]} == 0.0 and params_finite:  # nothing flows back: next sample",
            *_indented([*check, "if isfinite(values_read):", "    continue"]),
        ]

    def gradient_list(self, reached: set[Value]) -> list[str]:
        return [f"d_{self.names[p]}" if p in reached else "0.0" for p in self.graph.params]

    def return_lines(self, reached: set[Value]) -> list[str]:
        """``return loss, [d_a, d_b, ...]``, in params order; a wide dot's
        gradients join as their list."""
        loss = self.names[self.graph.root]
        if self.graph.root in self.arguments:  # fn returned an argument: as the engine, a float
            loss = f"float({loss})"
        names = [f"d_{self.names[p]}" for p in self.graph.params]
        if not self.wide:
            return _wrapped(names, f"return {loss}, [", "]")
        parts = []
        for start, end, named in self._segments():
            if named:
                parts.extend(_wrapped(names[start:end], "[", "]"))
            else:
                parts.append(f"d_params_{start}_{end}")
        return [
            f"return {loss}, (",
            *_indented([f"{part} +" for part in parts[:-1]] + parts[-1:]),
            ")",
        ]

    def params_lines(self) -> list[str]:
        """The parameters unpacked into their variables (a wide dot's run is
        read as a slice of ``params`` instead)."""
        return self._unpacked("params", "", "# parameters, in order")

    def grads_lines(self) -> list[str]:
        return self._unpacked("grads", "d_", "# their gradients so far")

    def _unpacked(self, source: str, prefix: str, comment: str) -> list[str]:
        if not self.graph.params:
            return []
        if not self.wide:
            names = [prefix + self.names[p] for p in self.graph.params]
            one_line = f"{', '.join(names)}{',' if len(names) == 1 else ''} = {source}"
            if len(one_line) <= LINE_LENGTH:
                return [comment, one_line]
            return [comment, *_wrapped(names, "(", f",) = {source}")]
        lines = [comment]
        for start, end, named in self._segments():
            if named:
                names = [prefix + self.names[p] for p in self.graph.params[start:end]]
                lines.extend(_wrapped(names, "(", f",) = {source}[{start}:{end}]"))
        return lines

    def wide_indices(self) -> list[int]:
        return [i for start, end, _ in self.wide.values() for i in range(start, end)]

    def _segments(self) -> list[tuple[int, int, bool]]:
        """``params`` cut into runs: (start, end, True) for named parameters,
        (start, end, False) for a wide dot's run."""
        cuts = sorted((start, end) for start, end, _ in self.wide.values())
        segments, at = [], 0
        for start, end in cuts:
            if at < start:
                segments.append((at, start, True))
            segments.append((start, end, False))
            at = end
        if at < len(self.graph.params):
            segments.append((at, len(self.graph.params), True))
        return segments

    def arguments_lines(self) -> list[str]:
        """Each argument unpacked into its leaves' variables. They are used as
        given: ints and floats compute alike wherever a float meets them, and
        an op on arguments alone converts them first (see ``operands``)."""
        lines = ["# arguments"] if self.graph.arguments else []
        for argument in self.graph.arguments:
            if argument.name in self.wide_arguments:
                continue  # read whole by a wide dot
            for path, children in _containers(argument):
                targets = [self._target(c, f"{path}_{i}") for i, c in enumerate(children)]
                unpacked = targets[0] + "," if len(targets) == 1 else ", ".join(targets)
                lines.append(f"{unpacked} = {path}")
            leaf = argument.structure
            if isinstance(leaf, Value) and self.names[leaf] != argument.name:
                lines.append(f"{self.names[leaf]} = {argument.name}")
        return lines if len(lines) > 1 else []

    def _target(self, item: object, path: str) -> str:
        return self.names[item] if isinstance(item, Value) else path

    def sample_target(self) -> str:
        """The loop target that takes one sample apart: ``(x_0, x_1), y``."""
        parts = [_structure_text(a.structure, self.names) for a in self.graph.arguments]
        return f"({', '.join(parts)},)" if len(parts) == 1 else f"({', '.join(parts)})"

    def signature(self) -> str:
        return ", ".join(["params", "grads", *(a.name for a in self.graph.arguments)])

    def single(self, name: str) -> tuple[str, set[Value]]:
        """``name(params, grads, *args) -> (loss, gradients)`` for one call:
        each parameter's gradient starts from ``grads`` (its ``.grad``, or -0.0
        for none: -0.0 + g is g) and adds the contributions in the engine's
        order, as ``backward()`` adds into ``.grad``. A wide dot's run (one
        contribution each) returns the contributions alone: the caller adds
        them to the starting values (``wide_indices``)."""
        body, reached = self.body(accumulate_params=True)
        lines = [
            f"def {name}({self.signature()}):",
            *_indented(self.params_lines() + self.grads_lines() + self.arguments_lines() + body),
            *_indented(self.return_lines(reached)),
        ]
        return "\n".join(lines) + "\n", reached

    def batch(self, name: str) -> str:
        """``name(params, samples) -> (summed loss, summed gradients)``: one
        loop, parameter gradients summed in locals."""
        body, reached = self.body(accumulate_params=True, loop=True)
        gradients = [f"d_{self.names[p]}" for p in self.graph.params if p in reached]
        zeros = [f"{row} = 0.0" for row in _rows(gradients, " = ")] if gradients else []
        names = [a.name for a in self.graph.arguments]
        loop = [
            f"for {names[0] + ',' if len(names) == 1 else ', '.join(names) or '()'} in samples:"
        ]
        lines = [
            f"def {name}(params, samples):",
            *_indented(
                self.sample_variables_lines(reached)
                + self.params_lines()
                + zeros
                + ["total_loss = 0.0", "params_finite = isfinite(sum(params, 0.0))", *loop]
            ),
            *_indented(_indented(self.arguments_lines() + body)),
            *_indented(_wrapped(self.gradient_list(reached), "return total_loss, [", "]")),
        ]
        return "\n".join(lines) + "\n"

    def sample_variables_lines(self, seen: set[Value]) -> list[str]:
        """Each sample's variables named first (see FAST_LOCALS), up to
        FAST_LOCALS of them, those read by the most nodes (and their
        gradients) first. None, not a number: a read before the loop assigns
        it would fail (and the batch fall back), not compute on."""
        uses: dict[Value | float, int] = {}
        for node in self.graph.forward:
            for x in node.inputs:
                uses[x] = uses.get(x, 0) + 1
        leaves = [
            leaf
            for a in self.graph.arguments
            if a.name not in self.wide_arguments
            for leaf, _ in _leaves(a)
        ]
        variables = [(self.names[n], uses.get(n, 0)) for n in leaves + self.graph.forward]
        variables += [
            (f"d_{self.names[n]}", uses.get(n, 0)) for n in self.graph.forward if n in seen
        ]
        variables.sort(key=lambda v: -v[1])
        chosen = [name for name, _ in variables[: FAST_LOCALS - 2]]  # after params, samples
        if not chosen:
            return []
        return [
            "# each sample's variables, named first: Python reads a function's first 256 faster",
            *[f"{row} = None" for row in _rows(chosen, " = ")],
        ]

    def numpy_batch(self, name: str) -> str:
        """``name(params, samples) -> (summed loss, summed gradients)`` with
        every per-sample value an array over the batch."""
        body, reached = self.body(accumulate_params=False)
        leaves = [self.names[leaf] for a in self.graph.arguments for leaf, _ in _leaves(a)]
        columns = []
        if leaves:
            row = f"({', '.join(leaves)},)"
            columns = [
                f"columns = array([{row} for {self.sample_target()} in samples], dtype=float)",
                *_wrapped(leaves, "(", ",) = columns.T"),
            ]
        root = self.names[self.graph.root]
        loss = f"total({root})" if self.graph.root in self.per_sample else f"batch_size * {root}"
        start = ["batch_size = len(samples)", "P = array(params)", "G = zeros(len(params))"]
        lines = [
            f"def {name}(params, samples):",
            *_indented(self.params_lines() + start + columns + body),
            f"    return {loss}, G.tolist()",
        ]
        return "\n".join(lines) + "\n"


def _indented(lines: list[str]) -> list[str]:
    return [f"    {line}" for line in lines]


def _rows(names: list[str], separator: str) -> list[str]:
    """The names joined by ``separator``, over rows of about LINE_LENGTH."""
    rows: list[list[str]] = [[]]
    width = 0
    for name in names:
        if rows[-1] and width + len(name) + len(separator) > LINE_LENGTH:
            rows.append([])
            width = 0
        rows[-1].append(name)
        width += len(name) + len(separator)
    return [separator.join(row) for row in rows]


def _wrapped(names: list[str], head: str, tail: str) -> list[str]:
    """``head names... tail``, the names wrapped over lines of LINE_LENGTH."""
    one_line = f"{head}{', '.join(names)}{tail}"
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    return [head, *_indented([f"{row}," for row in _rows(names, ", ")]), tail.lstrip(",")]


def _structure_text(item: object, names: Names) -> str:
    if isinstance(item, Value):
        return names[item]
    parts = [_structure_text(x, names) for x in item]  # type: ignore[attr-defined]
    return f"({', '.join(parts)},)"


def _containers(argument: Argument) -> list[tuple[str, list[object]]]:
    """Every list in an argument with its path name, outermost first."""
    found: list[tuple[str, list[object]]] = []
    stack: list[tuple[object, str]] = [(argument.structure, argument.name)]
    while stack:
        item, path = stack.pop()
        if not isinstance(item, Value):
            children = list(item)  # type: ignore[call-overload]
            found.append((path, children))
            stack.extend(reversed([(x, f"{path}_{i}") for i, x in enumerate(children)]))
    return found


def _leaves(argument: Argument) -> list[tuple[Value, str]]:
    """The leaves of an argument in order, each with its path name (``x_0_1``)."""
    found: list[tuple[Value, str]] = []
    stack: list[tuple[Structure, str]] = [(argument.structure, argument.name)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, Value):
            found.append((item, path))
        else:
            stack.extend(reversed([(x, f"{path}_{i}") for i, x in enumerate(item)]))
    return found


def _long_sum(name: str, terms: list[str], comment: str, zero: bool = True) -> list[str]:
    """``name = 0.0 + t0 + t1 + ...`` as Python's ``sum(terms, 0.0)`` adds,
    left to right, over lines of TERMS_PER_LINE terms. Without ``zero``,
    ``name = t0 + t1 + ...``: one addition fewer, and the same number but
    where every term is -0.0 (the total is then -0.0, not 0.0), which the
    batch loop, within 1e-12 of the engine, allows."""
    note = f"  # {comment}" if comment else ""
    lines, head = [], "0.0"
    if not zero and terms:
        head, terms = terms[0], terms[1:]
    for start in range(0, max(len(terms), 1), TERMS_PER_LINE):
        chunk = terms[start : start + TERMS_PER_LINE]
        lines.append(f"{name} = {' + '.join([head, *chunk])}{note}")
        head, note = name, ""
    return lines
