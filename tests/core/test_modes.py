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
    assert modes.watching == {}
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


def test_no_gc_pauses_the_collector_and_restores_it_even_after_an_error():
    import gc

    from autograd import no_gc

    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        with no_gc():
            assert not gc.isenabled()
            with no_gc():  # nested: the inner block does not turn it on
                pass
            assert not gc.isenabled()
            raise ZeroDivisionError
    assert gc.isenabled()


def test_no_gc_leaves_a_collector_that_was_off_off():
    import gc

    from autograd import no_gc

    gc.disable()
    try:
        with no_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_no_gc_blocks_in_several_threads_restore_it_once_the_last_closes():
    import gc
    import threading

    from autograd import no_gc

    inside, release = threading.Barrier(3), threading.Event()
    seen: list[bool] = []

    def block() -> None:
        with no_gc():
            inside.wait()
            release.wait()
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=block) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()  # both blocks open
    assert not gc.isenabled()
    release.set()
    for t in threads:
        t.join()
    assert seen == [False, False] and gc.isenabled()


def test_graphs_made_inside_no_gc_are_freed_by_reference_counting():
    import weakref

    from autograd import Value, no_gc

    with no_gc():
        x = Value(1.0)
        for _ in range(1000):
            x = x * 1.0001 + 0.0001
        x.backward()
        probe = weakref.ref(x.inputs[0])
        del x
        assert probe() is None


def test_two_threads_watching_at_once_each_see_their_own_reads():
    import threading

    from autograd.core.modes import watch_untracked

    inside, done = threading.Barrier(2), threading.Barrier(2)
    seen: dict[str, list[str]] = {}

    def watch(name: str, value: float) -> None:
        with watch_data() as reads, watch_untracked() as made:
            inside.wait()  # both blocks open at once
            assert Value(value) > 0
            Value(value).detach()
            done.wait()
        seen[name] = [r.how for r in reads] + [f"detach {u.inputs[0].data}" for u in made]  # type: ignore[union-attr]

    threads = [threading.Thread(target=watch, args=(n, v)) for n, v in (("a", 1.0), ("b", 2.0))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a": [">", "detach 1.0"], "b": [">", "detach 2.0"]}
    assert modes.watching == {} and modes.leaving == {}
