"""state_dict, save and load: round trips and every way they can fail."""

import fcntl
import json
import math
import os
import secrets
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import typing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn import MLP, Layer, Module, Neuron

REPO = Path(__file__).resolve().parent.parent.parent


def test_state_dict_round_trip_gives_identical_outputs():
    a, b = MLP(3, [4, 2], seed=1), MLP(3, [4, 2], seed=2)
    b.load_state_dict(a.state_dict())
    x = [0.1, -0.7, 1.3]
    assert [o.data for o in a(x)] == [o.data for o in b(x)]


def test_load_state_dict_names_missing_extra_and_mistyped_keys():
    model = MLP(2, [1], seed=0)
    state = model.state_dict()
    with pytest.raises(KeyError, match="missing.*layers.0.neurons.0.b"):
        model.load_state_dict({k: v for k, v in state.items() if not k.endswith(".b")})
    with pytest.raises(KeyError, match="unexpected.*layers.9"):
        model.load_state_dict({**state, "layers.9.x": 1.0})
    with pytest.raises(TypeError, match="str"):
        # a wrong type on purpose: the check must catch what the annotation forbids
        model.load_state_dict({**state, "layers.0.neurons.0.b": "1.0"})  # type: ignore[dict-item]
    assert model.state_dict() == state  # nothing changed by the failures


def test_save_and_load_round_trip(tmp_path):
    model = MLP(2, [3, 1], activation="tanh", bias=False, init="xavier", seed=4)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = MLP.load(path)
    assert loaded.config() == model.config() and loaded.state_dict() == model.state_dict()
    assert loaded([0.3, 0.4]).data == model([0.3, 0.4]).data


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"format": "glassgrad-module-v1", "cla', "corrupt or truncated"),
        ("[1, 2]", "not a saved glassgrad module"),
        ('{"format": "glassgrad-module-v1", "class": "Layer"}', "holds a Layer"),
        (
            '{"format": "glassgrad-module-v1", "class": "MLP", "config": {"nin": 2}}',
            "not describe a valid MLP",
        ),
        (
            '{"format": "glassgrad-module-v1", "class": "MLP", "config": {"nin": 1, '
            '"nouts": [1]}, "state": {"layers.0.neurons.0.w.0": 1.0}}',
            "missing",
        ),
    ],
)
def test_corrupt_or_foreign_files_give_clear_errors(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        MLP.load(path)


def test_save_gives_a_new_file_the_umask_default_and_keeps_a_replaced_files_mode(tmp_path):
    new, old = tmp_path / "new.json", tmp_path / "old.json"
    previous_umask = os.umask(0o022)
    try:
        MLP(2, [1], seed=0).save(new)
    finally:
        os.umask(previous_umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    old.write_text("{}")
    old.chmod(0o640)
    MLP(2, [1], seed=0).save(old)
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    assert MLP.load(old).state_dict() == MLP(2, [1], seed=0).state_dict()


def test_a_binary_file_is_a_clear_error_naming_it(tmp_path):
    path = tmp_path / "weights.bin"
    path.write_bytes(b"\xff\xfe\x00\x01 not text")
    with pytest.raises(ValueError, match=r"weights\.bin: not a saved glassgrad module"):
        MLP.load(path)


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    MLP(2, [1], seed=0).save(path)
    before = path.read_text()

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        MLP(2, [1], seed=1).save(path)
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json"]
    json.loads(before)


# --- save: where it writes, what it refuses, what it leaves behind ---

NOBODY = 65534


@pytest.fixture
def permissions_apply(tmp_path):
    """A directory in which file modes bind: root ignores them, so when the
    suite runs as root the test runs with nobody's effective uid instead."""
    if os.geteuid() != 0:
        yield tmp_path
        return
    # pytest's own temporary directories are root's (0700): use one nobody owns.
    with tempfile.TemporaryDirectory() as directory:
        os.chown(directory, NOBODY, NOBODY)
        os.seteuid(NOBODY)
        try:
            yield Path(directory)
        finally:
            os.seteuid(0)


def temporary_files(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_save_writes_through_a_symlink_to_its_target(tmp_path):
    target, link = tmp_path / "real.json", tmp_path / "link.json"
    MLP(2, [1], seed=0).save(target)
    target.chmod(0o640)
    link.symlink_to(target.name)
    MLP(2, [1], seed=1).save(link)
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert MLP.load(target).state_dict() == MLP(2, [1], seed=1).state_dict()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to("created.json")
    MLP(2, [1], seed=2).save(dangling)  # creates the target, as open(dangling, "w") does
    assert dangling.is_symlink()
    assert MLP.load(tmp_path / "created.json").state_dict() == MLP(2, [1], seed=2).state_dict()
    assert temporary_files(tmp_path) == []


def make_fifo(path):
    os.mkfifo(path)


def make_socket(path):
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


@pytest.mark.parametrize("make", [make_fifo, make_socket], ids=["fifo", "socket"])
def test_save_refuses_a_path_that_is_not_a_regular_file(tmp_path, make):
    path = tmp_path / "model.json"
    make(path)
    kind = stat.S_IFMT(path.stat().st_mode)
    with pytest.raises(OSError, match=r"model\.json.*not a regular file") as error:
        MLP(2, [1], seed=0).save(path)
    assert ".tmp" not in str(error.value)
    assert stat.S_IFMT(path.stat().st_mode) == kind  # still there, not replaced
    assert temporary_files(tmp_path) == []


def test_save_refuses_a_directory_naming_it(tmp_path):
    path = tmp_path / "model.json"
    path.mkdir()
    with pytest.raises(IsADirectoryError, match=r"model\.json") as error:
        MLP(2, [1], seed=0).save(path)
    assert ".tmp" not in str(error.value) and path.is_dir()
    assert temporary_files(tmp_path) == []


def test_save_respects_a_read_only_file_as_open_does(permissions_apply):
    path = permissions_apply / "model.json"
    path.write_text("previous")
    path.chmod(0o444)
    with pytest.raises(PermissionError):
        open(path, "w")  # the behaviour save must match
    with pytest.raises(PermissionError, match=r"model\.json") as error:
        MLP(2, [1], seed=0).save(path)
    assert ".tmp" not in str(error.value)
    assert path.read_text() == "previous"
    assert temporary_files(permissions_apply) == []


def test_save_into_a_directory_it_cannot_write_is_a_permission_error_naming_the_path(
    permissions_apply,
):
    directory = permissions_apply / "locked"
    directory.mkdir()
    directory.chmod(0o555)
    with pytest.raises(PermissionError, match=r"locked/model\.json'") as error:
        MLP(2, [1], seed=0).save(directory / "model.json")
    assert ".tmp" not in str(error.value)
    assert list(directory.iterdir()) == []


def test_save_into_a_directory_it_may_write_but_not_list_works_as_open_does(permissions_apply):
    directory = permissions_apply / "drop-box"
    directory.mkdir()
    directory.chmod(0o333)
    open(directory / "probe.txt", "w").close()  # the behaviour save must match
    MLP(2, [1], seed=0).save(directory / "model.json")
    assert MLP.load(directory / "model.json").state_dict() == MLP(2, [1], seed=0).state_dict()


def test_save_errors_name_the_users_path_not_the_temporary_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as error:
        MLP(2, [1], seed=0).save("nodir/model.json")
    assert error.value.filename == "nodir/model.json"
    assert "'nodir/model.json'" in str(error.value) and ".tmp" not in str(error.value)


def test_save_removes_temporary_files_orphaned_by_earlier_saves_and_nothing_else(tmp_path):
    path = tmp_path / "model.json"
    orphans = [f".model.json.{secrets.token_hex(8)}.tmp" for _ in range(2)]
    live = f".model.json.{secrets.token_hex(8)}.tmp"  # a save in progress holds its lock
    others = [
        f".model.json.{secrets.token_hex(7)}.tmp",  # not 16 hex digits
        f".model.json.{secrets.token_hex(8).upper()}.tmp",
        f".other.json.{secrets.token_hex(8)}.tmp",
        f"model.json.{secrets.token_hex(8)}.tmp",
        f".model.json.{secrets.token_hex(8)}.tmp.bak",
        "notes.txt",
    ]
    for name in orphans + others + [live]:
        (tmp_path / name).write_text("partial")
    with open(tmp_path / live) as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        MLP(2, [1], seed=0).save(path)
    remaining = sorted(p.name for p in tmp_path.iterdir())
    assert remaining == sorted(["model.json", live, *others])


def test_a_killed_save_leaves_a_temporary_file_the_next_save_removes(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [1], seed=0).save(path)
    killed_mid_save = (
        "import os, signal, sys\n"
        "from nn import MLP\n"
        "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
        "MLP(2, [1], seed=1).save(sys.argv[1])\n"
    )
    child = subprocess.run([sys.executable, "-c", killed_mid_save, str(path)], cwd=REPO)
    assert child.returncode == -signal.SIGKILL
    assert len(temporary_files(tmp_path)) == 1  # the orphan
    assert MLP.load(path).state_dict() == MLP(2, [1], seed=0).state_dict()  # old file intact
    MLP(2, [1], seed=2).save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json"]
    assert MLP.load(path).state_dict() == MLP(2, [1], seed=2).state_dict()


def test_save_survives_a_concurrent_save_removing_its_file_before_it_is_locked(
    tmp_path, monkeypatch
):
    # Between creating its temporary file and locking it, a save's file looks
    # orphaned to another save to the same path, which may remove it.
    path = tmp_path / "model.json"
    flock = fcntl.flock
    raced: list[bool] = []

    def another_save_cleans_up_first(fd, operation):
        if not raced:
            raced.append(True)
            for name in temporary_files(tmp_path):
                (tmp_path / name).unlink()
        flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", another_save_cleans_up_first)
    MLP(2, [1], seed=3).save(path)
    assert raced and sorted(p.name for p in tmp_path.iterdir()) == ["model.json"]
    assert MLP.load(path).state_dict() == MLP(2, [1], seed=3).state_dict()


# --- the file: strict JSON, weights exact ---


def reject_constant(name):
    raise ValueError(f"not RFC 8259 JSON: {name}")


def bits(x):
    return struct.pack("<d", x)


def test_saved_files_are_strict_json_and_non_finite_weights_round_trip(tmp_path):
    model = MLP(2, [3, 1], seed=0)
    weights = [math.nan, math.inf, -math.inf, -0.0, 5e-324, 1.7976931348623157e308, 0.1]
    for p, w in zip(model.parameters(), weights, strict=False):
        p.data = w
    path = tmp_path / "model.json"
    model.save(path)
    payload = json.loads(path.read_text(), parse_constant=reject_constant)
    json.dumps(payload, allow_nan=False)
    state = payload["state"]
    assert [state[name] for name, _ in model.named_parameters()][:3] == ["nan", "inf", "-inf"]
    assert all(type(w) is float for w in list(state.values())[3:])
    loaded = MLP.load(path)
    assert repr(loaded) == repr(model) and loaded.config() == model.config()
    got = [p.data for p in loaded.parameters()]
    assert math.isnan(got[0])
    assert [bits(w) for w in got[1:]] == [bits(p.data) for p in model.parameters()[1:]]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(), min_size=3, max_size=3))
def test_every_weight_round_trips_bit_for_bit(weights):
    model = MLP(2, [1], seed=0)
    for p, w in zip(model.parameters(), weights, strict=True):
        p.data = w
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "model.json"
        model.save(path)
        json.loads(path.read_text(), parse_constant=reject_constant)
        got = [p.data for p in MLP.load(path).parameters()]
    for w, g in zip(weights, got, strict=True):
        assert math.isnan(g) if math.isnan(w) else bits(g) == bits(w)


# --- load: every malformed file is a ValueError naming it ---

HEADER = '{"format": "glassgrad-module-v1", "class": "MLP", '
CONFIG = '"config": {"nin": 1, "nouts": [1], "bias": false}'


@pytest.mark.parametrize(
    "text, message",
    [
        (HEADER + CONFIG + ', "state": []}', "'state' must be an object"),
        (HEADER + CONFIG + ', "state": null}', "'state' must be an object"),
        (HEADER + '"config": null, "state": {}}', "'config' must be an object"),
        (HEADER + '"config": [1, [1]], "state": {}}', "'config' must be an object"),
        ("[" * 100_000, "corrupt"),
        ('"a string"', "not a saved glassgrad module"),
        ("1" * 5000, "corrupt"),  # an integer too long for Python to convert
        (
            HEADER + CONFIG + ', "state": {"layers.0.neurons.0.w.0": ' + "1" * 400 + "}}",
            "too large",
        ),
        (HEADER + CONFIG + ', "state": {"layers.0.neurons.0.w.0": "1.5"}}', "must be a number"),
        (HEADER + CONFIG + ', "state": {"layers.0.neurons.0.w.0": "NaN"}}', "must be a number"),
        (HEADER + CONFIG + ', "state": {"layers.0.neurons.0.w.0": true}}', "must be a number"),
        (HEADER + CONFIG + ', "state": {"layers.0.neurons.0.w.0": [1.0]}}', "must be a number"),
        (
            HEADER + '"config": {"nin": 1000, "nouts": [1000000]}, "state": {}}',
            r"1,001,000,000 parameters, more than the 10,000,000",
        ),
        (
            HEADER + '"config": {"nin": 1, "nouts": [1, 1], "bias": false, "depth": 3}, '
            '"state": {}}',
            "depth",
        ),
        (HEADER + '"config": {"nin": "2", "nouts": [1]}, "state": {}}', "positive integers"),
        (HEADER + '"config": {"nin": true, "nouts": [1]}, "state": {}}', "positive integers"),
        (HEADER + '"config": {"nin": 2, "nouts": 3}, "state": {}}', "positive integers"),
        (HEADER + '"config": {"nin": 2, "nouts": [1.5]}, "state": {}}', "positive integers"),
        (HEADER + '"config": {"nin": 2, "nouts": [-5, 3]}, "state": {}}', "positive integers"),
        (HEADER + '"config": {"nin": 2, "nouts": [1], "bias": "yes"}, "state": {}}', "bias"),
        (HEADER + '"config": {"nouts": [1]}, "state": {}}', "nin"),
    ],
)
def test_malformed_files_are_value_errors_naming_the_path(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as error:
        MLP.load(path)
    assert str(error.value).startswith(f"{path}: ")


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 4),
    st.lists(st.integers(1, 4), min_size=1, max_size=3),
    st.booleans(),
)
def test_parameter_count_matches_the_parameters_each_layer_builds(nin, nouts, bias):
    for module in (
        MLP(nin, nouts, bias=bias, seed=0),
        Layer(nin, nouts[0], bias=bias, seed=0),
        Neuron(nin, bias=bias, seed=0),
    ):
        config = module.config()
        assert type(module).parameter_count(config) == len(module.parameters()), config


def test_a_module_of_another_shape_must_count_its_own_parameters(tmp_path):
    class Scale(Module):
        def config(self):
            return {"size": 1}

    path = tmp_path / "scale.json"
    Scale().save(path)
    with pytest.raises(ValueError, match=r"scale\.json: .*no 'nin' to count Scale's parameters"):
        Scale.load(path)


def test_load_caps_the_parameters_and_the_bytes_a_file_may_ask_for(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [1], seed=0).save(path)  # 3 parameters
    assert MLP.load(path, max_parameters=3).state_dict() == MLP(2, [1], seed=0).state_dict()
    with pytest.raises(ValueError, match=r"model\.json: .*3 parameters, more than the 2"):
        MLP.load(path, max_parameters=2)
    padded = tmp_path / "padded.json"
    padded.write_text(path.read_text()[:-1] + " " * 1_000_000 + "}")
    with pytest.raises(ValueError, match=r"padded\.json: .*larger than"):
        MLP.load(padded, max_parameters=3)


def test_load_reads_the_nan_and_infinity_tokens_earlier_versions_wrote(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(HEADER + CONFIG + ', "state": {"layers.0.neurons.0.w.0": -Infinity}}')
    assert MLP.load(path).state_dict() == {"layers.0.neurons.0.w.0": -math.inf}


def test_a_state_with_many_unexpected_names_gives_a_short_message():
    model = MLP(1, [1], bias=False, seed=0)
    state = {**model.state_dict(), **{f"extra.{i}": 0.0 for i in range(100_000)}}
    with pytest.raises(KeyError, match="and 99,995 more") as error:
        model.load_state_dict(state)
    assert len(str(error.value)) < 300


def test_load_is_typed_to_return_the_class_it_is_called_on():
    # For a type checker MLP.load(path) is then an MLP, and MLP.load(path)(x)
    # a call of MLP; tests/project/test_typing.py's user script checks that with mypy.
    assert typing.get_type_hints(Module.load)["return"] is typing.Self


def test_load_refuses_a_fifo_instead_of_waiting_on_it(tmp_path):
    import os

    from nn import MLP

    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="model.json.*not a regular file"):
        MLP.load(fifo)


def test_load_of_a_directory_names_the_path_not_a_file_descriptor(tmp_path):
    from nn import MLP

    with pytest.raises(ValueError) as refused:
        MLP.load(tmp_path)
    assert str(refused.value) == f"{tmp_path}: is a directory"
