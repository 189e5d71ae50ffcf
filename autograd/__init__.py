"""glassgrad's autograd: a scalar reverse-mode autograd engine you can see,
step through and check.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = (x * x).sigmoid()
>>> y.backward()
>>> round(x.grad, 6)
0.070651
"""

from autograd.anomaly import AnomalyError
from autograd.check import GradcheckError, gradcheck, gradgradcheck
from autograd.compiler import CompileError, compile_grad
from autograd.engine import grad
from autograd.modes import detect_anomaly, enable_grad, no_grad, watch_data
from autograd.stepper import Stepper
from autograd.steps import Step, backward_steps
from autograd.value import Value, custom_op
from autograd.viz import GraphTooLarge, draw_graph, to_dot

__all__ = [
    "Value",
    "no_grad",
    "enable_grad",
    "watch_data",
    "grad",
    "custom_op",
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
    "CompileError",
]
