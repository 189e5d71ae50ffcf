"""A user's script written from the README type-checks cleanly (we ship
py.typed, so our annotations are what their mypy and IDE see)."""

import subprocess
import sys
import textwrap

import pytest

USER_SCRIPT = textwrap.dedent(
    """
    from pathlib import Path

    from autograd import Value, compile_grad, grad, no_grad
    from nn import MLP, SGD, fit, mse_loss, sse_loss

    x = Value(2.0, label="x")
    y = (x * x + 1).sigmoid() - x / 3 + 2 ** x
    y.backward()
    slope: float = x.grad
    (dx,) = grad(y, [x], create_graph=True)
    (ddx,) = grad(dx, [x])
    total: float = dx.data + ddx.item() + float(x)
    with no_grad():
        z = x.relu().clamp(0.0, 1.0).leaky_relu(0.1)

    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid", bias=False, seed=0)
    out = model([0.5, 1.0])
    out.backward()
    opt = SGD(model.parameters(), lr=1.0)
    opt.step()
    opt.zero_grad()
    loss = sse_loss([model(x) for x in [[0.1, 0.2]]], [0.9])
    history: list[float] = fit(model, [[0.1, 0.2]], [0.9], epochs=2, quiet=True)

    path = Path("model.json")
    model.save(path)
    again = MLP.load(path)
    again([0.5, 1.0]).backward()
    print(again.layers[0].neurons[0].w[0].data)

    step = compile_grad(lambda a: (a * 2.0).tanh(), 0.3)
    value: float = step(0.5)
    """
)


def test_a_user_script_from_the_readme_type_checks(tmp_path):
    pytest.importorskip("mypy")
    script = tmp_path / "user.py"
    script.write_text(USER_SCRIPT)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success: no issues found" in run.stdout
