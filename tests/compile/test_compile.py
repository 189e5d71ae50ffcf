"""compile_grad: the generated code computes what the engine computes (bit
for bit for one call), keeps its IEEE results and branches, and reads like
the hand derivation."""

import linecache
import math
import sys
import traceback
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import AnomalyError, Value, custom_op, detect_anomaly, grad, no_grad
from autograd.compile.step import MAX_VERSIONS, CompileError, compile_grad
from autograd.strategies import BINARY, UNARY, expressions
from nn import MLP, sse_loss

XS = [[2 / 3, 1.0], [1 / 3, 5 / 9], [1.0, 6 / 9]]  # the tutorial's scaled hours
YS = [0.92, 0.86, 0.89]

CUBE = custom_op(
    "cube_for_compile_tests",
    forward=lambda x: x * x * x,
    backward=lambda g, out, x: (3.0 * x * x * g,),
)


def same(a: float, b: float) -> bool:
    """Bitwise equal as floats: the sign of zero counts, nan equals nan."""
    if a != a or b != b:
        return a != a and b != b
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


TUTORIAL: dict[str, Any] = {
    "activation": "sigmoid",
    "output_activation": "sigmoid",
    "bias": False,
    "seed": 1,
}


def tutorial_model() -> MLP:
    return MLP(2, [3, 1], init="normal", **TUTORIAL)


def tutorial_loss(model):
    def loss(x, y):
        o = model(x)
        o.label = "o"
        o.inputs[0].label = "z3"
        return sse_loss([o], [y])

    return loss


# --- the tutorial ---------------------------------------------------------------


def test_the_tutorial_step_reads_like_the_hand_derivation():
    model = tutorial_model()
    step = compile_grad(tutorial_loss(model), XS[0], YS[0], params=model.named_parameters())
    lines = [line.strip() for line in step.source.splitlines()]
    assert "d_z3 = d_o * o * (1.0 - o)  # sigmoid: out * (1 - out)" in lines
    assert "d_layers_1_neurons_0_w_0 += d_z3 * v10" in lines
    assert lines.index("# forward") < lines.index(
        "o = 1.0 / (1.0 + exp(-z3)) if z3 >= 0.0 else exp(z3) / (1.0 + exp(z3))  # sigmoid"
    )
    assert lines[0] == "def loss_and_grad(params, grads, x, y):"


def test_a_call_gives_the_loss_and_gradients_of_backward_bit_for_bit():
    model = tutorial_model()
    fn = tutorial_loss(model)
    step = compile_grad(fn, XS[0], YS[0], params=model.named_parameters())
    for x, y in zip(XS, YS, strict=True):
        loss = step(x, y)
        compiled = [p.grad for p in model.parameters()]
        model.zero_grad()
        eager = fn(x, y)
        eager.backward()
        assert same(loss, eager.data)
        assert all(map(same, compiled, [p.grad for p in model.parameters()]))
        model.zero_grad()
    assert step.stats.compiled == 3 and step.stats.fallbacks == 0


def test_gradients_accumulate_into_grad_in_the_engines_order():
    w = Value(0.1)
    w.grad = 1e16 / 3  # large: the order of the additions shows in the last bits
    fn = lambda x: w * x + w * 3.0 + (w * w) * x  # noqa: E731  # three contributions to w
    step = compile_grad(fn, 0.7)
    step(0.7)
    compiled = w.grad
    w.grad = 1e16 / 3
    fn(Value(0.7)).backward()
    assert same(compiled, w.grad)


def test_gradients_accumulate_like_backward():
    w = Value(2.0)
    w.grad = None  # type: ignore[assignment]  # as after zero_grad(set_to_none): counts as 0
    step = compile_grad(lambda x: w * x, 3.0)
    step(3.0)
    step(4.0)
    assert w.grad == 7.0


def test_parameters_are_found_in_the_graph_when_not_given():
    a, b, unused = Value(1.0, label="a"), Value(2.0, label="b"), Value(5.0)
    step = compile_grad(lambda x: a * x + b, 1.0)
    assert step.params == [a, b] or step.params == [b, a]
    assert unused not in step.params
    assert "d_a += d_v1 * x" in step.source and "d_b += d_loss" in step.source


# --- bitwise equality, drawn ------------------------------------------------------

OPS_DRAWN = (*UNARY, "abs", "relu", "leaky_relu", "clamp", "cube_for_compile_tests")


@settings(max_examples=150, deadline=None)
@given(expressions(unary=OPS_DRAWN, binary=BINARY), st.data())
def test_drawn_expressions_compile_to_the_engine_bit_for_bit(case, data):
    f, xs = case
    params = [Value(x, label=f"p{i}") for i, x in enumerate(xs)]
    step = compile_grad(lambda: f(*params), params=params)
    values = data.draw(st.lists(st.floats(-2.0, 2.0), min_size=len(xs), max_size=len(xs)))
    loss, grads = step.functional(values)
    for p, v in zip(params, values, strict=True):
        p.data = v
    eager = f(*params)
    expected = [g.data for g in grad(eager, params)]
    assert same(loss, eager.data)
    assert all(map(same, grads, expected)), (grads, expected)


@settings(max_examples=60, deadline=None)
@given(expressions(unary=OPS_DRAWN, binary=BINARY, min_inputs=2))
def test_drawn_expressions_called_with_arguments_and_parameters(case):
    f, xs = case
    w = Value(xs[0], label="w")
    step = compile_grad(lambda *rest: f(w, *rest), *xs[1:])
    loss = step(*xs[1:])
    compiled = w.grad
    w.grad = 0.0
    eager = f(w, *[Value(x) for x in xs[1:]])
    eager.backward()
    assert same(loss, eager.data) and same(compiled, w.grad)


# --- IEEE results and fallbacks -----------------------------------------------------


@pytest.mark.parametrize(
    ("fn", "arg", "expected"),
    [
        (lambda w, x: w / x, 0.0, math.inf),  # plain floats raise ZeroDivisionError
        (lambda w, x: (w * x).exp(), 2000.0, math.inf),  # OverflowError
        (lambda w, x: (w * x).log(), -1.0, math.nan),  # ValueError: math domain error
        (lambda w, x: x**w, -8.0, math.nan),  # math.pow raises; ** would give a complex
    ],
)
def test_where_floats_raise_the_call_gives_the_engines_ieee_result(fn, arg, expected):
    w = Value(0.5)
    step = compile_grad(lambda x: fn(w, x), 2.0)
    assert same(step(arg), expected)
    assert step.stats.fallbacks == 1
    compiled_grad = w.grad
    w.grad = 0.0
    eager = fn(w, Value(arg))
    eager.backward()
    assert same(compiled_grad, w.grad)


def test_anomaly_mode_runs_the_call_on_the_engine():
    w = Value(0.0)
    step = compile_grad(lambda x: (w * x).log(), 1.0)
    with detect_anomaly(), pytest.raises(AnomalyError, match="log"):
        step(1.0)
    assert step.stats.fallbacks == 1


def test_no_grad_runs_the_call_on_the_engine_and_leaves_gradients_alone():
    w = Value(3.0)
    step = compile_grad(lambda x: w * x, 2.0)
    with no_grad():
        assert step(2.0) == 6.0
    assert w.grad == 0.0 and step.stats.fallbacks == 1


def test_a_hook_on_a_parameter_runs_the_call_on_the_engine():
    w = Value(3.0)
    seen: list[float] = []
    step = compile_grad(lambda x: w * x, 2.0)
    handle = w.register_hook(seen.append)
    step(2.0)
    handle.remove()
    step(2.0)
    assert seen == [2.0] and w.grad == 4.0
    assert (step.stats.fallbacks, step.stats.compiled) == (1, 1)


def test_hooks_fn_records_make_every_call_eager():
    w = Value(3.0)
    seen: list[float] = []

    def fn(x):
        z = w * x
        z.register_hook(seen.append)
        return z * z

    step = compile_grad(fn, 2.0)
    step(1.0)
    assert seen == [6.0] and step.stats.fallbacks == 1


# --- guards ---------------------------------------------------------------------------


def test_a_branch_on_a_value_is_a_guard_and_each_outcome_its_version():
    w = Value(1.0)

    def fn(x):
        z = w * x
        return z * 2.0 if z > 0 else z * z

    step = compile_grad(fn, 1.0)
    assert "raise GuardFailed(0)" in step.source
    assert step(-3.0) == 9.0 and w.grad == 18.0  # retraced: the other branch
    assert step(2.0) == 4.0 and w.grad == 22.0
    assert step(-1.0) == 1.0 and w.grad == 24.0
    assert (step.stats.retraces, step.stats.compiled, len(step.versions)) == (1, 2, 2)


def test_max_of_two_values_is_a_guard():
    a, b = Value(1.0), Value(2.0)
    step = compile_grad(lambda x: max(a * x, b * x), 1.0)
    assert step(-1.0) == -1.0 and (a.grad, b.grad) == (-1.0, 0.0)
    assert step.stats.retraces == 1


def test_past_the_bound_on_versions_calls_run_on_the_engine():
    w = Value(1.0)

    def fn(x):
        z = w * x
        steps = sum(1 for t in range(MAX_VERSIONS + 2) if z > t)  # one outcome per band
        return z * float(steps + 1)

    step = compile_grad(fn, 0.5)
    results = [step(t + 0.5) for t in range(MAX_VERSIONS + 2)]
    assert results == [(t + 0.5) * (t + 2) for t in range(MAX_VERSIONS + 2)]
    assert len(step.versions) == MAX_VERSIONS
    assert step.stats.retraces == MAX_VERSIONS - 1 and step.stats.fallbacks == 2


@pytest.mark.parametrize("read", [float, int, round, lambda v: f"{v:.3f}", lambda v: v.item()])
def test_reading_a_number_during_the_trace_is_refused(read):
    w = Value(1.5)

    def fn(x):
        z = w * x
        read(z)
        return z

    with pytest.raises(CompileError, match="reads a Value's number"):
        compile_grad(fn, 1.0)


# --- batch and functional ---------------------------------------------------------------


@pytest.mark.parametrize("backend", ["python", "numpy"])
@pytest.mark.parametrize("reduce", ["sum", "mean"])
def test_a_batch_matches_the_engine_on_the_summed_loss(backend, reduce):
    model = tutorial_model()
    fn = tutorial_loss(model)
    step = compile_grad(fn, XS[0], YS[0], params=model.named_parameters(), backend=backend)
    samples = list(zip(XS, YS, strict=True))
    loss = step.batch(samples, reduce=reduce)
    compiled = [p.grad for p in model.parameters()]
    model.zero_grad()
    total = Value.sum([fn(x, y) for x, y in samples])
    total = total / 3 if reduce == "mean" else total
    total.backward()
    assert loss == pytest.approx(total.data, rel=1e-12)
    assert compiled == pytest.approx([p.grad for p in model.parameters()], rel=1e-12)
    assert (step.stats.compiled, step.stats.python_loops) == (1, 0)


def test_numpy_batches_with_another_branch_run_in_the_python_loop():
    w = Value(1.0)
    step = compile_grad(
        lambda x: (w * x).relu() if w * x > 0 else w * x * 3.0, 1.0, backend="numpy"
    )
    loss = step.batch([(1.0,), (-2.0,), (4.0,)])
    assert loss == 1.0 - 6.0 + 4.0 and w.grad == 1.0 - 6.0 + 4.0
    assert step.stats.python_loops == 1 and step.stats.retraces == 1


def test_numpy_batches_with_a_non_finite_value_run_in_the_python_loop():
    w = Value(1.0)
    step = compile_grad(lambda x: w / x, 1.0, backend="numpy")
    assert step.batch([(1.0,), (0.0,)]) == math.inf
    assert step.stats.python_loops == 1 and step.stats.fallbacks == 1


def test_the_numpy_backend_without_numpy_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "numpy", None)
    with pytest.raises(ImportError, match="needs numpy"):
        compile_grad(lambda x: x * x, 1.0, backend="numpy")


def test_functional_reads_and_writes_no_value():
    a, b = Value(1.0), Value(2.0)
    step = compile_grad(lambda x: a * x * b, 3.0, params=[("a", a), ("b", b)])
    assert step.functional([5.0, 7.0], 3.0) == (105.0, [21.0, 15.0])
    assert (a.data, b.data, a.grad, b.grad) == (1.0, 2.0, 0.0, 0.0)
    assert step.functional([1.0, 0.0], 0.0) == (0.0, [0.0, 0.0])


def test_functional_falls_back_and_retraces_without_changing_the_parameters():
    w = Value(1.0)
    step = compile_grad(lambda x: (w * x).log() if w > 0 else -w * x, 2.0)
    loss, (g,) = step.functional([-1.0], 2.0)  # the other branch: a retrace
    assert (loss, g) == (2.0, -2.0) and w.data == 1.0
    unguarded = compile_grad(lambda x: (w * x).log(), 2.0)
    loss, (g,) = unguarded.functional([0.0], 2.0)  # log(0): the engine's -inf
    assert (loss, g) == (-math.inf, math.inf) and w.data == 1.0 and w.grad == 0.0
    assert unguarded.stats.fallbacks == 1


# --- the source as data-safe, steppable code -------------------------------------------

NASTY_LABELS = [
    "x\nimport os; os.system('echo pwned')",
    'quote " and \' and """',
    "# a comment",
    "σ unicode",
    "class",
    "2fast",
    "dup",
    "dup",
    "d_o",
    "v1",
    "exp",
]


def test_labels_and_parameter_names_reach_the_source_only_as_identifiers():
    params = [Value(float(i + 1), label=label) for i, label in enumerate(NASTY_LABELS)]

    def fn(x):
        z = Value.sum([p * x for p in params])
        z.label = 'loss"""\n#'
        return z

    step = compile_grad(
        fn, 2.0, params=[(label, p) for label, p in zip(NASTY_LABELS, params, strict=True)]
    )
    assert "os.system" not in step.source and '"' not in step.source and "σ" not in step.source
    assert step(2.0) == 2.0 * sum(range(1, len(params) + 1))
    assert [p.grad for p in params] == [2.0] * len(params)
    names = step.source.split("(\n")[1].split(") = params")[0].replace(",", " ").split()
    assert all(name.isidentifier() and name.isascii() for name in names)
    assert len(set(names)) == len(names) == len(params)
    assert names.count("dup") == 1  # the second "dup" is v{i}


def test_a_ten_thousand_term_sum_compiles_over_short_lines():
    ws = [Value(1.0) for _ in range(10_000)]
    step = compile_grad(lambda x: Value.sum([w * x for w in ws]), 1.0, params=ws)
    assert step(0.5) == 5000.0 and ws[-1].grad == 0.5
    assert max(map(len, step.source.splitlines())) < 1000


def test_tracebacks_show_the_generated_line():
    w = Value(1.0)
    no_numbers: dict[str, float] = {}
    failing = custom_op(
        "fails_for_compile_tests",
        forward=lambda x: x if x < 5 else no_numbers["not a number"],
        backward=lambda g, out, x: (g,),
    )
    step = compile_grad(lambda x: failing(w * x), 1.0)
    with pytest.raises(KeyError) as info:
        step(10.0)
    frame = [
        f
        for f in traceback.extract_tb(info.value.__traceback__)
        if f.filename.startswith("<compile_grad")
    ][0]
    assert frame.line is not None and frame.lineno is not None
    assert "fails_for_compile_tests_forward(" in frame.line
    assert linecache.getline(frame.filename, frame.lineno).strip() == frame.line


def test_save_source_writes_a_file_the_code_then_runs_from(tmp_path):
    w = Value(2.0)
    step = compile_grad(lambda x: w * x, 3.0)
    path = tmp_path / "step.py"
    step.save_source(path)
    assert path.read_text() == step.source
    assert step.versions[0].single.__code__.co_filename == str(path)
    assert step(3.0) == 6.0 and w.grad == 3.0


def test_params_must_cover_every_leaf_the_loss_depends_on():
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(CompileError, match="not in params"):
        compile_grad(lambda x: a * x + b, 1.0, params=[a])
    with pytest.raises(ValueError, match="leaves"):
        compile_grad(lambda x: a * x, 1.0, params=[a * 2])
    with pytest.raises(ValueError, match="twice"):
        compile_grad(lambda x: a * x, 1.0, params=[a, a])
    with pytest.raises(CompileError, match="must return a Value"):
        compile_grad(lambda x: 1.0, 1.0)  # type: ignore[arg-type, return-value]  # the point


def test_the_batch_loop_skips_a_sample_whose_hinge_is_flat():
    w, b = Value(0.5), Value(-0.25)
    step = compile_grad(lambda x, y: (1.0 - y * (w * x + b)).relu(), 1.0, 1.0)
    samples = [(4.0, 1.0), (1.0, 1.0), (-3.0, -1.0), (0.5, -1.0)]  # the 1st and 3rd are flat
    loss = step.batch(samples, reduce="mean")
    assert "continue" in step.versions[0].functions.batch("check")
    compiled = (w.grad, b.grad)
    w.grad = b.grad = 0.0
    eager = Value.sum([(1.0 - y * (w * x + b)).relu() for x, y in samples]) / len(samples)
    eager.backward()
    assert loss == pytest.approx(eager.data, rel=1e-12)
    assert compiled == pytest.approx((w.grad, b.grad), rel=1e-12)


def test_the_batch_loop_does_not_skip_where_the_engine_makes_nan():
    w = Value(-1.0)
    step = compile_grad(lambda x: (w * x).relu(), 1.0)
    assert step.batch([(math.inf,)]) == 0.0  # relu(-inf): flat, but d_w = 0 * inf
    assert math.isnan(w.grad)


def test_a_retrace_that_finds_another_parameter_keeps_every_version_working():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    step = compile_grad(lambda x: a * x if x > 0 else b * x, 1.0)
    assert step(-1.0) == -3.0 and step.params == [a, b]
    assert step(2.0) == 4.0 and (a.grad, b.grad) == (2.0, -1.0)
    assert step.stats.fallbacks == 0 and step.functional([1.0, 1.0], 5.0) == (5.0, [5.0, 0.0])


def test_the_batch_loop_skips_a_dead_units_rule_only_where_that_is_exact():
    ws = [Value(1.0) for _ in range(8)]
    step = compile_grad(lambda x: (-Value.dot(ws, [x] * 8)).relu() + ws[0] * 0.5, 1.0, params=ws)
    assert "!= 0.0 or not (params_finite and isfinite(" in step.versions[0].functions.batch("check")
    assert step.batch([(1.0,), (2.0,)]) == 1.0  # dead: the dot's rule is skipped
    assert [w.grad for w in ws] == [1.0] + [0.0] * 7
    step.batch([(math.inf,)])  # dead too, but 0 * inf is nan, as in the engine
    assert all(math.isnan(w.grad) for w in ws)


def test_a_wide_dot_is_written_with_lists_and_accumulates_like_backward():
    ws = [Value(0.5 * i) for i in range(300)]
    ws[7].grad = 1e16 / 3
    step = compile_grad(lambda x: Value.dot(ws, x), [1.0] * 300, params=ws)
    assert "loss = sum(map(mul, params, x), 0.0)  # dot" in step.source
    assert "d_params_0_300 = list(map(mul, repeat(d_loss), x))  # dot" in step.source
    b = Value(1.0, label="b")  # a run that is not every parameter is read as a slice
    biased = compile_grad(lambda x: Value.dot(ws, x) + b, [1.0] * 300, params=[b, *ws])
    assert "sum(map(mul, params[1:301], x), 0.0)" in biased.source
    xs = [0.1 * i for i in range(300)]
    loss = step(xs)
    compiled = [w.grad for w in ws]
    ws[7].grad = 1e16 / 3
    for w in ws[:7] + ws[8:]:
        w.grad = 0.0
    eager = Value.dot(ws, [Value(x) for x in xs])
    eager.backward()
    assert same(loss, eager.data) and all(map(same, compiled, [w.grad for w in ws]))
    assert step.functional([0.5 * i for i in range(300)], xs)[1] == xs
