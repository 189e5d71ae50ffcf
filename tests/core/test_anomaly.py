"""detect_anomaly: the first nan or inf, forward or backward, is reported."""

import pytest

from autograd import AnomalyError, Value, detect_anomaly
from autograd.core.modes import modes


def test_off_by_default_and_nan_flows_through():
    assert not modes.anomaly
    assert (Value(-1.0).log() * 2).op == "*"


def test_forward_anomaly_names_op_inputs_and_user_line():
    x = Value(-1.0, label="x")
    with pytest.raises(AnomalyError) as info:
        with detect_anomaly():
            x.sqrt()  # the line reported
    message = str(info.value)
    assert "forward of op 'sqrt' produced nan" in message
    assert "x=-1.0" in message and "test_anomaly.py:" in message


def test_backward_anomaly_names_the_node_and_where_it_was_made():
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = x.sqrt()
        with pytest.raises(AnomalyError) as info:
            y.backward()
    message = str(info.value)
    assert "backward of op 'sqrt' produced inf" in message and "x=0.0" in message
    assert "test_anomaly.py:" in message


def test_constants_gradients_are_not_anomalies():
    x = Value(-2.0, label="x")
    with detect_anomaly():
        (x**2).backward()  # d/d(exponent) would be log(-2) = nan, unused
    assert x.grad == -4.0


def test_restored_when_the_block_raises():
    with pytest.raises(AnomalyError):
        with detect_anomaly():
            Value(0.0).log()
    assert not modes.anomaly
