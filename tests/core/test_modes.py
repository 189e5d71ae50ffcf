"""The documented modes: each restores the previous setting, even on error."""

import pytest

from autograd import Value, enable_grad, no_grad
from autograd.core.modes import modes, watch_data


def test_enable_grad_records_inside_no_grad_and_restores_it():
    x = Value(2.0)
    with no_grad():
        with enable_grad():
            assert (x * x).op == "*"
        assert (x * x).op == ""
    assert modes.recording


def test_enable_grad_restores_when_the_block_raises():
    with no_grad():
        with pytest.raises(KeyError), enable_grad():
            raise KeyError
        assert not modes.recording


def test_watch_data_sees_every_place_data_reaches_control_flow():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    with watch_data() as reads:
        if a > 0:
            pass
        max(a, b)
        got = [float(b), int(b), round(a), bool(a), f"{a:.1f}", a.item()]
        got += [a <= b, a >= 3.0, a < b]
    assert got == [2.0, 2, 1, True, "1.0", 1.0, True, False, True]
    assert [(r.node.label, r.how, r.result) for r in reads] == [
        ("a", ">", True),
        ("b", ">", True),
        ("b", "float", 2.0),
        ("b", "int", 2),
        ("a", "round", 1),
        ("a", "bool", True),
        ("a", "format", "1.0"),
        ("a", "item", 1.0),
        ("a", "<=", True),
        ("a", ">=", False),
        ("a", "<", True),
    ]
    assert reads[1].other is a and reads[0].other == 0


def test_watch_data_is_off_outside_and_restored_after_errors():
    with pytest.raises(ValueError), watch_data():
        raise ValueError
    assert modes.watching is None
    with watch_data() as outer:
        with watch_data() as inner:
            assert Value(1.0) > 0
        assert Value(2.0) > 0
    assert (len(outer), len(inner)) == (1, 1)


def test_the_engine_reads_no_data_as_control_flow():
    x = Value(-1.0)
    with watch_data() as reads:
        y = (x * x).relu() + abs(x) + x.clamp(-2.0, 2.0)
        y.backward()
    assert reads == []


def test_watch_data_collects_only_its_own_threads_reads():
    import threading

    other = threading.Thread(target=lambda: [float(Value(1.0)) for _ in range(1000)])
    with watch_data() as reads:
        other.start()
        other.join()
        assert Value(2.0) > 1
    assert [r.how for r in reads] == [">"]
