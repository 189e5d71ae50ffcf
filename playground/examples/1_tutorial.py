# The tutorial's 2-3-1 network on its three students
from nn import MLP, sse_loss

hours = [[2, 9], [1, 5], [3, 6]]  # (studied, slept)
scores = [92, 86, 89]
# each column over its maximum, as the tutorial scales them
xs = [[studied / 3, slept / 9] for studied, slept in hours]
ys = [score / 100 for score in scores]

model = MLP(2, [3, 1], activation="sigmoid",
            output_activation="sigmoid", bias=False,
            init="normal", seed=1)
loss = sse_loss([model(x) for x in xs], ys)  # 0.5 sum (y-o)^2
loss.label = "loss"
loss
