# x*x + 1 through a sigmoid
from autograd import Value

x = Value(2.0, label="x")
y = (x * x + 1).sigmoid()
y.label = "y"
y  # the last expression: drawn, and stepped through
