# The moons MLP: 2-8-8-1 tanh on a few points
from nn import MLP, binary_cross_entropy
from nn.datasets import moons

points, labels = moons(8, seed=0)
model = MLP(2, [8, 8, 1], activation="tanh", seed=0)
loss = binary_cross_entropy([model(p) for p in points], labels)
loss.label = "loss"
loss  # large: drawn with each neuron as one node
