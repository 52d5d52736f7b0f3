import math

import pytest
import torch

from forgetless.metrics import summarize
from forgetless.metrics.logged import (
    EXPERIENCE,
    MAX_LOG_INTERVAL,
    experience_scalars,
    is_log_step,
    log_interval,
)

R = torch.tensor([[0.9, 0.1, 0.0], [0.5, 0.8, 0.2], [0.3, 0.4, 0.7]], dtype=torch.float64)
BASE = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)


def test_names_are_one_based_and_values_come_from_summarize():
    out = experience_scalars(R, BASE, 1)
    expected = summarize(R[:2, :2], BASE[:2])
    assert out[EXPERIENCE] == 2.0
    assert {f"accuracy/experience_{j}" for j in (1, 2, 3)} <= set(out)
    assert "accuracy/experience_0" not in out
    assert out["accuracy/experience_3"] == pytest.approx(0.2)  # row k covers every experience
    for key, value in expected.items():
        assert out[f"continual/{key}"] == pytest.approx(value)


def test_undefined_summaries_are_left_out():
    first = experience_scalars(R, BASE, 0)  # one experience: no BWT, FWT or forgetting
    assert "continual/acc" in first and "continual/bwt" not in first
    assert all(math.isfinite(v) for v in first.values())
    unknown_baseline = experience_scalars(R, torch.full((3,), math.nan), 2)
    assert "continual/fwt" not in unknown_baseline and "continual/bwt" in unknown_baseline
    assert "continual/fwt" not in experience_scalars(R, None, 2)


def test_log_interval_is_about_ten_points_per_shortest_epoch():
    assert log_interval([2000, 1900], 32) == 6  # 60 batches in the shorter experience
    assert log_interval([32, 32], 8) == 1  # never 0
    assert log_interval([60000], 32) == MAX_LOG_INTERVAL
    assert [s for s in range(20) if is_log_step(s, 6)] == [5, 11, 17]
    assert not any(is_log_step(s, 0) for s in range(5))  # log_every_n_steps=0: never


def test_a_partial_matrix_logs_what_was_measured():
    """``train.evaluate=current``: row k < T − 1 holds only R[k, k]; the last row is complete."""
    nan = math.nan
    partial = torch.tensor([[0.9, nan, nan], [nan, 0.8, nan], [0.3, 0.4, 0.7]], dtype=torch.float64)
    middle = experience_scalars(partial, BASE, 1)
    assert middle["continual/la"] == pytest.approx(0.85)
    assert middle["accuracy/experience_2"] == pytest.approx(0.8)
    assert "accuracy/experience_1" not in middle and "continual/acc" not in middle
    last = experience_scalars(partial, BASE, 2)
    assert last["continual/acc"] == pytest.approx((0.3 + 0.4 + 0.7) / 3)
    assert last["continual/bwt"] == pytest.approx(((0.3 - 0.9) + (0.4 - 0.8)) / 2)
    assert "continual/forgetting" not in last  # needs the rows in between
    assert all(math.isfinite(v) for v in [*middle.values(), *last.values()])
