"""backward_steps: the backward pass one node at a time."""

from autograd import Value, backward_steps


def test_steps_visit_each_node_once_users_first_with_final_gradients():
    a = Value(2.0, label="a")
    b = a * a
    b.label = "b"
    c = b + a
    c.label = "c"
    steps = list(backward_steps(c))
    assert [s.node for s in steps] == [c, b, a]
    assert [s.grad for s in steps] == [1.0, 1.0, 5.0]
    assert a.grad == 5.0  # walking the steps is a backward pass


def test_contributions_are_input_local_derivative_and_product():
    w, h = Value(0.4, label="w"), Value(-0.5, label="h")
    z = (w * h).sigmoid()
    steps = list(backward_steps(z))
    ((sig_input, local, contribution),) = steps[0].contributions
    assert sig_input is z.inputs[0]
    assert local == z.data * (1 - z.data) and contribution == local * 1.0
    mul = steps[1]
    assert [(x.label, loc) for x, loc, _ in mul.contributions] == [("w", -0.5), ("h", 0.4)]
    assert all(c == mul.grad * loc for _, loc, c in mul.contributions)


def test_a_step_reads_as_a_line_of_the_chain_rule():
    w, h = Value(0.4, label="w"), Value(2.0, label="h")
    z = w * h
    z.label = "z"
    assert (
        str(next(backward_steps(z, 0.5)))
        == "z = w * h grad=0.5 -> w += 0.5 * 2 = 1; h += 0.5 * 0.4 = 0.2"
    )


def test_unnamed_nodes_are_named_by_walk_position_and_constants_by_value():
    x = Value(1.0, label="x")
    line = str(next(backward_steps(Value.dot([x, 2.0], [3.0, 4.0]).tanh())))
    assert line.startswith("v0 = tanh(v1) grad=1 -> v1 += 1 * ")
    second = list(backward_steps(Value.dot([x, 2.0], [3.0, 4.0])))[0]
    assert str(second) == "v0 = dot(x, 2, 3, 4) grad=1 -> x += 1 * 3 = 3"
    wide = list(backward_steps(Value.sum([x, 1.0, 2.0, 3.0, 4.0])))[0]
    assert str(wide).startswith("v0 = sum(x, 1, 2, …) grad=1")


def test_an_abandoned_walk_leaves_the_leaves_as_they_were():
    x = Value(2.0)
    x.grad = 0.5
    y = x * x * x
    steps = backward_steps(y)
    next(steps)
    next(steps)  # x has received part of its gradient by now
    steps.close()
    assert x.grad == 0.5
    x.grad = 0.0
    y.backward()
    assert x.grad == 12.0


def test_a_dropped_walk_leaves_the_leaves_as_they_were():
    x = Value(2.0)
    y = x * x * x
    steps = backward_steps(y)
    next(steps)
    next(steps)
    del steps
    y.backward()
    assert x.grad == 12.0


def test_an_exhausted_walk_leaves_what_backward_would():
    x, z = Value(2.0), Value(2.0)
    y = x * x * x
    list(backward_steps(y))
    (z * z * z).backward()
    assert x.grad == z.grad == 12.0


def test_an_abandoned_walk_keeps_what_others_added_meanwhile():
    x = Value(2.0)
    steps = backward_steps(x * x * x)
    next(steps)
    next(steps)
    (x * 3).backward()  # another graph adds 3 while the walk is paused
    steps.close()
    assert x.grad == 3.0


def test_hooks_on_leaves_see_their_gradient_when_stepping_as_in_backward():
    seen: list[float] = []
    x = Value(2.0)
    x.register_hook(seen.append)
    list(backward_steps(x * x))
    (x * x).backward()
    assert seen == [4.0, 8.0]
