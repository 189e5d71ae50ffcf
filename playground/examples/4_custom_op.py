# A custom op: softsign, with its own backward rule
from autograd import Value, custom_op, gradcheck


def softsign_forward(x):
    return x / (1 + abs(x))


def softsign_backward(g, out, x):
    """d softsign(x)/dx = 1 / (1 + |x|)**2"""
    return (g / (1 + abs(x)) ** 2,)


# replace=True: each Run registers it again
softsign = custom_op("softsign", softsign_forward,
                     softsign_backward, replace=True)
check = gradcheck(lambda a, b: softsign(a * b), [0.5, -2.0])
print("gradcheck:", check)

a, b = Value(0.5, label="a"), Value(-2.0, label="b")
out = softsign(a * b)
out.label = "out"
out
