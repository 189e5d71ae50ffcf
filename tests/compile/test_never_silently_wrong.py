"""compile_grad never differs from eager in silence: each way an adversarial
pass found for the compiled path to return other numbers than the engine
now gives the engine's numbers, or an error that says why."""

from __future__ import annotations

import os
import stat
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, compile_grad, grad, no_grad
from autograd.compile.step import MAX_VERSIONS
from autograd.strategies import BINARY, UNARY, expressions
from nn import MLP, fit


def bits(x: float) -> str:
    """Equal as floats to the last bit: the sign of zero counts, nan is nan."""
    return repr(float(x))


# --- 1. detach() and no_grad() inside fn --------------------------------------


def test_a_detached_value_is_computed_afresh_on_each_call():
    w = Value(0.5)
    step = compile_grad(lambda x: w * (w * x).detach(), 1.0)
    w.data = 2.0
    assert step(1.0) == 4.0 and w.grad == 2.0  # was 1.0 and 0.5: frozen at the trace
    assert step.params == [w]
    assert "detach(): a constant to the backward pass" in step.source


def test_values_made_under_no_grad_inside_fn_are_computed_afresh():
    w = Value(0.5)

    def f(x):
        with no_grad():
            c = (w * 3).exp() - x  # a chain of ops, reading an argument too
        return w * x + c

    step = compile_grad(f, 1.0)
    w.data = 2.0
    w.grad = 0.0
    loss = step(1.5)
    compiled = w.grad
    w.grad = 0.0
    eager = f(Value(1.5))
    eager.backward()
    assert bits(loss) == bits(eager.data) and bits(compiled) == bits(w.grad) == "1.5"
    assert "under no_grad(): a constant to the backward pass" in step.source


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_detached_values_in_batches_functional_and_training(backend):
    w = Value(0.5)
    f = lambda x: (w * x - (w * x).detach() * 0.5) ** 2  # noqa: E731
    step = compile_grad(f, 1.0, backend=backend)
    w.data, samples = 1.5, [(1.0,), (2.0,), (-3.0,)]
    loss = step.batch(samples)
    compiled = w.grad
    w.grad = 0.0
    eager = Value.sum([f(Value(x)) for (x,) in samples])
    eager.backward()
    assert loss == pytest.approx(eager.data, rel=1e-12)
    assert compiled == pytest.approx(w.grad, rel=1e-12)
    value, (gradient,) = step.functional([1.5], 2.0)
    assert gradient == grad(f(Value(2.0)), [w])[0].data
    w.grad = 0.0
    step.train(samples, steps=3, lr=0.01)
    assert w.data != 1.5


def test_detaching_a_parameter_reads_its_data_and_sends_it_no_gradient():
    w, v = Value(0.5), Value(2.0)
    step = compile_grad(lambda x: v * w.detach() * x, 3.0)
    w.data = 4.0
    assert step(3.0) == 24.0 and v.grad == 12.0 and w.grad == 0.0


# --- 2. Value arguments ------------------------------------------------------------


def test_a_value_passed_to_a_compiled_step_is_refused_and_nothing_changes():
    w = Value(0.5)
    step = compile_grad(lambda x: (w * x).tanh(), 1.0)
    for call in (
        lambda: step(Value(2.0)),
        lambda: step.batch([(Value(2.0),)]),
        lambda: step.functional([0.5], Value(2.0)),
        lambda: step.train([(1.0,), (Value(2.0),)], steps=2, lr=0.1),
    ):
        with pytest.raises(TypeError, match="argument x is a Value: .* pass its .data"):
            call()
        assert type(w.grad) is float and type(w.data) is float and w.data == 0.5


def test_a_value_inside_a_list_argument_is_refused_too():
    w = Value(0.5)
    step = compile_grad(lambda xs: w * xs[0] * xs[1], [1.0, 2.0])
    with pytest.raises(TypeError, match=r"argument xs\[1\] is a Value"):
        step([1.0, Value(2.0)])


# --- 4. names a user picks never collide with generated ones ----------------------


def test_an_argument_named_like_a_parameters_gradient_is_not_overwritten():
    p = Value(0.5, label="p")
    step = compile_grad(lambda d_p: (p * d_p).tanh(), 1.0)
    assert bits(step(2.0)) == bits((Value(0.5) * 2.0).tanh().data)  # was -0.0


def make_function(names: list[str], body: str) -> Any:
    """A function whose arguments have exactly these names."""
    scope: dict[str, Any] = {}
    exec(f"def f({', '.join(names)}):\n    return {body}\n", scope)
    return scope["f"]


def test_arguments_named_like_every_generated_form_compute_what_the_engine_computes():
    p, q = Value(0.5, label="p"), Value(-1.5, label="q")
    names = ["d_p", "v1", "g_p_0", "arg_0", "X_0", "d_q", "params", "q"]
    body = f"((p * d_p + q * v1 * g_p_0) * arg_0 - X_0 * d_q + params * q).tanh() * {names[7]}"
    f = make_function(names, body.replace("q * v1", "Q * v1").replace("params * q", "params * Q"))
    f.__globals__.update(p=p, Q=q)
    args = [0.3, -0.7, 1.1, 0.9, -0.2, 0.4, 0.6, 1.3]
    step = compile_grad(f, *args)
    loss = step(*args)
    compiled = [p.grad, q.grad]
    p.grad = q.grad = 0.0
    eager = f(*[Value(a) for a in args])
    eager.backward()
    assert bits(loss) == bits(eager.data)
    assert [bits(g) for g in compiled] == [bits(p.grad), bits(q.grad)]


# --- 5. signed zeros ---------------------------------------------------------------


@pytest.mark.parametrize("backend", ["python", "numpy"])
@pytest.mark.parametrize("start", [None, 0.0, -0.0])
def test_signed_zero_gradients_are_the_engines(backend, start):
    p = Value(0.5, label="p")
    f = lambda x: (p * x).relu()  # noqa: E731
    step = compile_grad(f, 1.0, backend=backend)
    p.grad = start  # None: a PyTorch habit the engine allows
    step(-1.0)
    called = p.grad
    p.grad = start
    step.batch([(-1.0,), (-2.0,)])
    batched = p.grad
    p.grad = start
    f(Value(-1.0)).backward()
    eager_call = p.grad
    p.grad = start
    Value.sum([f(Value(-1.0)), f(Value(-2.0))]).backward()
    assert (bits(called), bits(batched)) == (bits(eager_call), bits(p.grad))


# --- 8. save_source ------------------------------------------------------------


def test_save_source_keeps_the_file_the_code_runs_from_after_a_retrace(tmp_path):
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    step = compile_grad(lambda x: a * x if x > 0 else b * x, 1.0)
    path = tmp_path / "step.py"
    step.save_source(path)
    step(-1.0)  # a retrace that finds the parameter b: the first version is rewritten
    assert len(step.params) == 2
    assert path.read_text() == step.versions[0].source
    assert "d_b" in path.read_text()


def test_save_source_refuses_a_fifo_instead_of_hanging(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    step = compile_grad(lambda x: x * 2.0, 1.0)
    done: list[BaseException] = []

    def save() -> None:
        try:
            step.save_source(fifo)
        except OSError as e:
            done.append(e)

    saver = threading.Thread(target=save, daemon=True)
    saver.start()
    saver.join(timeout=10)
    assert not saver.is_alive(), "save_source blocked on a FIFO"
    assert done and "not a regular file" in str(done[0])
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    with pytest.raises(IsADirectoryError):
        step.save_source(tmp_path)


# --- 10. the wrong number of arguments ---------------------------------------------


def test_the_wrong_number_of_arguments_says_what_fn_takes():
    w = Value(0.5)
    step = compile_grad(lambda x: w * x, 1.0)
    message = r"the compiled step takes 1 argument \(x\), got "
    with pytest.raises(TypeError, match=message + "2"):
        step(1.0, 2.0)
    with pytest.raises(TypeError, match=message + "0"):
        step()
    with pytest.raises(TypeError, match=message + "2"):
        step.batch([(1.0, 2.0)])
    with pytest.raises(TypeError, match=message + "2"):
        step.functional([0.5], 1.0, 2.0)
    with pytest.raises(TypeError, match="a sample is a tuple of fn's arguments"):
        step.batch([1.0])  # type: ignore[list-item]  # wrong on purpose
    assert w.grad == 0.0


# --- 12. parameters and threads ------------------------------------------------------


def test_threads_retracing_at_once_keep_the_bound_on_versions():
    w = Value(1.0)

    def f(x):
        for k in range(12):  # twelve thresholds: up to thirteen branches
            if x > k:
                w2 = w * (k + 1)
            else:
                return w * x
        return w2 * x

    step = compile_grad(f, -1.0)
    barrier = threading.Barrier(4)

    def run(offset: int) -> None:
        barrier.wait()
        for k in range(12):
            step(k + 0.5 + offset * 0.01)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(step.versions) <= MAX_VERSIONS


# --- the property: compiled equals eager, bit for bit ---------------------------

DRAWN = (*UNARY, "abs", "relu", "leaky_relu", "clamp")
EDGES = st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.5, -3.0, 1e-300, -800.0, 50.0])


@settings(max_examples=120, deadline=None)
@given(expressions(unary=DRAWN, binary=BINARY, min_inputs=2), st.data())
def test_drawn_losses_with_detach_no_grad_and_names_taken_from_the_parameters(case, data):
    f, xs = case
    xs = [data.draw(st.one_of(EDGES, st.floats(-2.0, 2.0))) for _ in xs]
    w = Value(xs[0], label="w")
    how = data.draw(st.sampled_from(["plain", "detach", "no_grad"]))

    def loss(*rest: Any) -> Any:
        y = f(w, *rest)
        if how == "detach":
            return y + w * y.detach()
        if how == "no_grad":
            with no_grad():
                c = f(w, *rest) * 0.5
            return y * c
        return y

    # the arguments named as the parameter, its gradient and generated forms
    names = data.draw(st.permutations(["w", "d_w", "v1", "arg_0", "g_w_0", "W_0"]))[: len(xs) - 1]
    fn = make_function(names, f"loss({', '.join(names)})")
    fn.__globals__["loss"] = loss
    step = compile_grad(fn, *xs[1:])
    w.grad = data.draw(st.sampled_from([0.0, -0.0, None]))
    start = w.grad
    compiled_loss = step(*xs[1:])
    compiled = w.grad
    w.grad = start
    eager = loss(*[Value(x) for x in xs[1:]])
    eager.backward()
    assert bits(compiled_loss) == bits(eager.data)
    assert bits(compiled) == bits(w.grad), (how, names, xs)
    with pytest.raises(TypeError, match="is a Value"):
        step(Value(xs[1]), *xs[2:])


def test_a_replaced_parameter_needs_a_new_compile_as_documented():
    model = MLP(1, [1], seed=0)
    step = compile_grad(lambda x: model(x), [1.0], params=model.named_parameters())
    old = model.layers[0].neurons[0].w[0]
    model.layers[0].neurons[0].w[0] = Value(5.0)
    step([1.0])
    assert old.grad == 1.0  # the step reads the Values it compiled
    assert "replacing a parameter's Value object" in " ".join((compile_grad.__doc__ or "").split())
    fit(model, [[1.0]], [0.0], epochs=1, quiet=True, compile=True)  # a new compile: fine


# --- a second adversarial pass --------------------------------------------------


def test_an_argument_named_like_another_arguments_element_keeps_its_value():
    w = Value(0.5, label="w")
    flat = compile_grad(lambda x, x_0: w * x[0] + w * x_0, [1.0, 2.0], 5.0)
    assert (flat([1.0, 2.0], 5.0), w.grad) == (3.0, 6.0)
    w.grad = 0.0
    nested = compile_grad(lambda x, x_1_0: w * x[1][0] + w * x_1_0, [[1.0], [2.0]], 1.0)
    assert (nested([[1.0], [2.0]], 1.0), w.grad) == (1.5, 3.0)
    w.grad = 0.0
    fallback = compile_grad(lambda arg1, params: w * arg1 * params, 2.0, 3.0)
    assert fallback.arg_names == ["arg1", "arg2"] and fallback(2.0, 3.0) == 3.0


def test_two_steps_traced_at_once_in_two_threads_each_keep_their_guards_and_detaches():
    wa, wb = Value(2.0), Value(3.0)
    meet = threading.Barrier(2)

    def fa(x):
        meet.wait()
        return wa * x if x > 0 else wa * x * x

    def fb(x):
        meet.wait()
        return wb * (wb * x).detach()

    steps: dict[str, Any] = {}
    threads = [
        threading.Thread(target=lambda: steps.update(a=compile_grad(fa, 1.0))),
        threading.Thread(target=lambda: steps.update(b=compile_grad(fb, 1.0))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    meet = threading.Barrier(1)
    assert (steps["a"](-3.0), wa.grad) == (18.0, 9.0)
    wb.data = 5.0
    assert (steps["b"](1.0), wb.grad) == (25.0, 5.0)


def test_arguments_are_taken_as_the_engine_takes_them():
    import decimal

    import numpy as np

    w = Value(0.5)
    step = compile_grad(lambda x: (w * x).tanh(), 1.0)
    for number in (np.float32(0.1), np.float64(0.1), np.int64(3), 7, True):
        w.grad = 0.0
        loss = step(number)
        compiled = w.grad
        w.grad = 0.0
        eager = (w * Value(number)).tanh()
        eager.backward()
        assert (bits(loss), bits(compiled)) == (bits(eager.data), bits(w.grad))
        assert type(loss) is float and type(compiled) is float
    ints = compile_grad(lambda x, y: w * (x.leaky_relu() - y.leaky_relu()), 1.0, 1.0)
    assert ints(10**17 + 1, 10**17) == (w * (Value(10**17 + 1) - Value(10**17))).data == 0.0
    for wrong in ("3", b"3", decimal.Decimal("0.1"), None):
        with pytest.raises(TypeError, match="argument x must be a real number"):
            step(wrong)
        with pytest.raises(TypeError, match="argument x must be a real number"):
            step.batch([(1.0,), (wrong,)])


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_a_retrace_that_finds_a_parameter_inside_a_batch_keeps_going(backend):
    a, b = Value(1.0), Value(2.0)
    f = lambda x: a * x if x > 0 else b * x  # noqa: E731
    step = compile_grad(f, 1.0, backend=backend)
    samples = [(1.0,), (-1.0,), (3.0,)]
    loss = step.batch(samples)
    assert (loss, a.grad, b.grad) == (2.0, 4.0, -1.0) and len(step.params) == 2
    value, grads = compile_grad(f, 1.0).functional([1.0], -1.0)
    assert (value, grads) == (-2.0, [0.0, -1.0])  # the new parameter at the end
    c, d = Value(1.0), Value(2.0)
    again = compile_grad(lambda x: c * x if x > 0 else d * x, 1.0)
    again.train(samples, steps=2, lr=0.1)
    assert (c.data, d.data) != (1.0, 2.0)


def test_an_intermediates_first_gradient_keeps_its_sign_as_the_engine_does():
    p = Value(1.0)
    f = lambda x: -(p * x).tanh()  # noqa: E731
    step = compile_grad(f, 100.0)
    for start in (None, 0.0, -0.0):
        p.grad = start  # type: ignore[assignment]  # None: a PyTorch habit the engine allows
        step(100.0)
        compiled = p.grad
        p.grad = start  # type: ignore[assignment]
        f(Value(100.0)).backward()
        assert bits(compiled) == bits(p.grad), start


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_a_mean_batch_scales_before_it_sums_as_the_engine(backend):
    p = Value(1.0)
    step = compile_grad(lambda x: p * x, 1.0, backend=backend)
    assert step.batch([(1e308,), (1e308,)], reduce="mean") == float("inf")
    assert p.grad == 1e308  # the engine's (1/2) * 1e308 twice, not (1e308 + 1e308) / 2
    p.grad = 0.0
    eager = Value.sum([p * 1e308, p * 1e308]) / 2
    eager.backward()
    assert p.grad == 1e308


def test_train_refuses_bad_samples_before_it_changes_anything():
    w = Value(0.5)
    step = compile_grad(lambda x: w * x if x > 0 else w * x * x, 1.0)
    step(-1.0)  # two versions: train runs the Python loop
    w.grad = 3.0
    for bad in ([(1.0,), (Value(2.0),)], [(1.0,), (1.0, 2.0)], [(1.0,), ("2",)]):
        with pytest.raises(TypeError):
            step.train(bad, steps=2, lr=0.1)
        assert (w.data, w.grad) == (0.5, 3.0)


def test_a_hook_added_after_compiling_runs_the_call_on_the_engine():
    w = Value(2.0)
    h = w * 2.0  # captured: recomputed from w on each call
    step = compile_grad(lambda x: h * x, 1.0)
    step(3.0)
    seen: list[float] = []
    handle = h.register_hook(seen.append)
    step(3.0)
    assert seen == [3.0] and step.stats.fallbacks == 1
    handle.remove()
    h.register_hook(lambda g: None).remove()  # the count moved: it looks again, finds none
    step(3.0)
    assert step.stats.compiled == 2


def test_a_failed_rewrite_of_the_saved_source_warns_and_keeps_the_retrace(tmp_path):
    a, b = Value(1.0), Value(2.0)
    step = compile_grad(lambda x: a * x if x > 0 else b * x, 1.0)
    path = tmp_path / "step.py"
    step.save_source(path)
    path.unlink()
    os.mkfifo(path)
    with pytest.warns(UserWarning, match="runs from memory now"):
        assert step(-1.0) == -2.0
    assert step(1.0) == 1.0 and step.stats.compiled == 1 and len(step.versions) == 2


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_int_labels_in_a_batch_are_floats_as_the_engine_makes_them(backend):
    w = Value(0.5)
    step = compile_grad(
        lambda x, y: w * (y.leaky_relu() - x[0].leaky_relu()), [1.0], 1.0, backend=backend
    )
    big = [([1e17], 10**17 + 1), ([2.0], True), ([3.0], 7)]
    loss = step.batch(big)
    eager = Value.sum([w * (Value(y).leaky_relu() - Value(x[0]).leaky_relu()) for x, y in big])
    assert bits(loss) == bits(eager.data)
    with pytest.raises(TypeError, match=r"argument y must be a real number"):
        step.batch([([1.0], 2), ([1.0], "3")])
