"""glassgrad's autograd: a scalar reverse-mode autograd engine you can see,
step through and check.

The package reads top-down as its folders: ``core/`` (the op table, the
modes, ``Value``, the engine and ``grad``) is what you must understand;
``views/`` (drawing, notebook display, the Stepper), ``checks/``
(``gradcheck`` and the hypothesis strategies) and ``compile/``
(``compile_grad``) are built on it and know nothing of each other. This
module is the public face: everything in ``__all__``, plus the module
``autograd.strategies``.

Examples:
    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x * x).sigmoid()
    >>> y.backward()
    >>> round(x.grad, 6)
    0.070651
"""

from autograd.checks.gradcheck import GradcheckError, gradcheck, gradgradcheck
from autograd.compile.step import CompiledStep, CompileError, compile_grad
from autograd.core.anomaly import AnomalyError
from autograd.core.custom import OpFunction, custom_op
from autograd.core.grad import grad
from autograd.core.modes import detect_anomaly, enable_grad, no_gc, no_grad, watch_data
from autograd.core.ops import OPS
from autograd.core.steps import Step, backward_steps
from autograd.core.value import Value, register_display
from autograd.views.dot import to_dot
from autograd.views.notebook import mimebundle
from autograd.views.plan import GraphTooLarge
from autograd.views.render import draw_graph
from autograd.views.stepper import Stepper

# Jupyter shows a Value as its drawing: the views register it with the core,
# which imports no higher layer.
register_display(mimebundle)

__all__ = [
    "Value",
    "no_grad",
    "enable_grad",
    "watch_data",
    "no_gc",
    "grad",
    "custom_op",
    "OpFunction",
    "OPS",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "detect_anomaly",
    "AnomalyError",
    "to_dot",
    "draw_graph",
    "GraphTooLarge",
    "backward_steps",
    "Step",
    "Stepper",
    "compile_grad",
    "CompiledStep",
    "CompileError",
]
