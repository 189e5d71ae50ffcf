"""The tutorial's own numpy algorithm, written out here, against nn."""

import numpy as np
import pytest

from nn import MLP, SGD, sse_loss

X = np.array(([2, 9], [1, 5], [3, 6]), dtype=float)
Y = np.array(([92], [86], [89]), dtype=float)
X = X / np.amax(X, axis=0)
Y = Y / 100


def sigmoid(s):
    return 1 / (1 + np.exp(-s))


def tutorial_train(W1, W2, iterations):
    """The seed's forward/backward/update, verbatim in numpy."""
    for _ in range(iterations):
        z2 = sigmoid(X.dot(W1))
        o = sigmoid(z2.dot(W2))
        o_error = Y - o
        o_delta = o_error * o * (1 - o)
        z2_error = o_delta.dot(W2.T)
        z2_delta = z2_error * z2 * (1 - z2)
        W1 += X.T.dot(z2_delta)
        W2 += z2.T.dot(o_delta)
    return W1, W2


@pytest.mark.parametrize("iterations", [1, 10, 1000])
def test_mlp_follows_the_tutorials_updates(iterations):
    rng = np.random.default_rng(7)
    W1, W2 = rng.standard_normal((2, 3)), rng.standard_normal((3, 1))
    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid", bias=False)
    for k in range(2):
        for j in range(3):
            model.layers[0].neurons[j].w[k].data = W1[k, j]
    for j in range(3):
        model.layers[1].neurons[0].w[j].data = W2[j, 0]
    opt = SGD(model.parameters(), lr=1.0)
    for _ in range(iterations):
        loss = sse_loss([model(list(x)) for x in X], list(Y[:, 0]))
        opt.zero_grad()
        loss.backward()
        opt.step()
    W1, W2 = tutorial_train(W1, W2, iterations)
    for k in range(2):
        for j in range(3):
            assert model.layers[0].neurons[j].w[k].data == pytest.approx(W1[k, j], abs=1e-9)
    for j in range(3):
        assert model.layers[1].neurons[0].w[j].data == pytest.approx(W2[j, 0], abs=1e-9)
