"""Names in generated code. Labels, parameter names and argument names are
data: they reach the source only through ``identifier`` (letters, digits
and ``_``, checked against keywords), and never in a form the code uses for
its own variables, so no name a user picks can change what the code does.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable
from itertools import count

from autograd.compile.dialects import NAMESPACE_NAMES
from autograd.core.value import Value

_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")

# The forms of the names generated code makes for itself: node numbers
# (v12), parameters without a name (param_3), gradients (d_x), custom ops'
# results (g_x_0), argument leaves without a name (arg_4), numpy's
# matrices (X_0, W_0, D_0, dX_0, W_0_INDEX) and anything private.
GENERATED = re.compile(r"v\d+|param_\d+|arg_\d+|g_.*|d_.*|dX_.*|[XWD]_\d.*|_.*")

RESERVED = frozenset(NAMESPACE_NAMES) | frozenset(dir(builtins))


def identifier(text: str) -> str | None:
    """``text`` made into a Python name (runs of other characters become
    ``_``), or None if that is not a safe, plain ASCII name.

    Examples:
        >>> identifier("layers.0.neurons.1.w.0"), identifier("x[0]"), identifier("class")
        ('layers_0_neurons_1_w_0', 'x_0', None)
    """
    name = _NOT_IDENTIFIER.sub("_", text).strip("_")
    if not name or name[0].isdigit() or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return None
    return name


def is_free(name: str) -> bool:
    """Not a name the generated code uses, a builtin, or of a generated form.

    Examples:
        >>> is_free("w"), is_free("d_w"), is_free("v3"), is_free("params")
        (True, False, False, False)
    """
    return name not in RESERVED and not GENERATED.fullmatch(name)


class Names:
    """Each node's variable: its label (or parameter name) as an identifier
    when that is free, else ``fallback`` (``v{i}``); its gradient is ``d_``
    + that. Free: see ``is_free``, and not taken by an earlier node."""

    def __init__(self, reserved: Iterable[str]) -> None:
        self.taken = set(reserved) | RESERVED
        self.of: dict[Value, str] = {}
        self.lists: dict[str, str] = {}  # a nested list argument's path -> its variable
        self._fresh = count()  # arg_0, arg_1...: the form only fallbacks take

    def claim(self, node: Value, wanted: str | None, fallback: str | None = None) -> str:
        """``node``'s variable: ``wanted`` where it is free, else ``fallback``
        (a form no user's name can take), else a fresh ``arg_<n>``."""
        self.of[node] = name = self._free(wanted, fallback)
        return name

    def claim_list(self, path: str) -> str:
        """The variable a nested list of an argument is unpacked into."""
        self.lists[path] = name = self._free(path, None)
        return name

    def _free(self, wanted: str | None, fallback: str | None) -> str:
        name = wanted and identifier(wanted)
        if not name or name in self.taken or not is_free(name):
            name = fallback or next(f"arg_{k}" for k in self._fresh if f"arg_{k}" not in self.taken)
        self.taken.add(name)
        return name

    def __getitem__(self, node: Value) -> str:
        return self.of[node]
