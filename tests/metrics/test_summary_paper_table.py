"""Average incremental accuracy, the task-incremental summaries and FWT in class-incremental runs."""

import math

import pytest
import torch

from forgetless.metrics import SUMMARY_KEYS, summarize
from forgetless.metrics.logged import experience_scalars
from forgetless.metrics.summary import TASK_KEYS, task_summary

R = [
    [0.90, 0.10, 0.05],
    [0.60, 0.95, 0.20],
    [0.30, 0.50, 0.97],
]


def test_average_incremental_accuracy_by_hand():
    by_hand = (0.90 + (0.60 + 0.95) / 2 + (0.30 + 0.50 + 0.97) / 3) / 3
    out = summarize(R)
    assert out["avg_incremental_acc"] == pytest.approx(by_hand)
    assert set(out) == set(SUMMARY_KEYS)
    assert summarize([[0.7]])["avg_incremental_acc"] == pytest.approx(0.7)  # one experience: ACC


def test_average_incremental_accuracy_ignores_unseen_experiences():
    above = [row[:] for row in R]
    above[0][2] = above[1][2] = 0.99  # accuracies on experiences not yet seen
    assert summarize(above)["avg_incremental_acc"] == summarize(R)["avg_incremental_acc"]


def test_task_summary_is_acc_la_and_forgetting_of_the_task_matrix():
    task = [[0.99, 0.5], [0.90, 0.98]]
    out = task_summary(task)
    assert set(out) == set(TASK_KEYS)
    assert out["acc_task"] == pytest.approx((0.90 + 0.98) / 2)
    assert out["la_task"] == pytest.approx((0.99 + 0.98) / 2)
    assert out["forgetting_task"] == pytest.approx(0.99 - 0.90)
    with pytest.raises(ValueError, match="R: expected a non-empty square"):
        task_summary([[0.5, 0.5]])


def test_fwt_of_a_class_incremental_run_is_minus_the_untrained_accuracy():
    # One head: the classes of j are never trained before j, so R[j-1, j] = 0 whatever the
    # strategy; FWT is then -mean_{j>1} b_j, a property of the initialisation only.
    class_il = [[0.99, 0.0, 0.0], [0.40, 0.98, 0.0], [0.20, 0.30, 0.97]]
    other_strategy = [[0.95, 0.0, 0.0], [0.90, 0.90, 0.0], [0.85, 0.88, 0.90]]
    b = [0.31, 0.12, 0.07]
    expected = -(0.12 + 0.07) / 2
    assert summarize(class_il, b)["fwt"] == pytest.approx(expected)
    assert summarize(other_strategy, b)["fwt"] == pytest.approx(expected)


def test_logged_scalars_carry_the_new_summaries():
    M = torch.tensor(R, dtype=torch.float64)
    task = torch.tensor([[0.99, 0.6, 0.5], [0.97, 0.98, 0.5], [0.9, 0.95, 0.99]])
    out = experience_scalars(M, None, 1, task)
    assert out["continual/avg_incremental_acc"] == pytest.approx((0.90 + (0.60 + 0.95) / 2) / 2)
    assert out["continual/acc_task"] == pytest.approx((0.97 + 0.98) / 2)
    assert "continual/acc_task" not in experience_scalars(M, None, 1)
    unfilled = torch.full((3, 3), math.nan)
    assert "continual/acc_task" not in experience_scalars(M, None, 1, unfilled)


def test_plasticity_summary_averages_the_first_and_last_tenth_of_the_diagonal():
    from forgetless.metrics.summary import plasticity_summary

    R = torch.eye(20) * torch.linspace(1.0, 0.525, 20)  # R[j, j] falls by 0.025 per experience
    out = plasticity_summary(R)
    assert out["la_first_tenth"] == pytest.approx((1.0 + 0.975) / 2)
    assert out["la_last_tenth"] == pytest.approx((0.55 + 0.525) / 2)
    assert plasticity_summary(torch.eye(9)) == {}  # a tenth of nine is no experience
