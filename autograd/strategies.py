"""``autograd.strategies``: the hypothesis strategies for property-based
gradient checks (needs hypothesis, the ``strategies`` extra). This public
path stays where users import it from; the code is in
``autograd/checks/strategies.py``, beside the checker it feeds.
"""

from autograd.checks.strategies import (
    BINARY,
    KINKED,
    UNARY,
    Constant,
    Expression,
    Input,
    expressions,
)

__all__ = ["expressions", "Expression", "Input", "Constant", "UNARY", "BINARY", "KINKED"]
