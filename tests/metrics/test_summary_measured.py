"""summarize_measured / plasticity_summary of a matrix holding only its diagonal and last row
(``train.evaluate=current``)."""

import math

import pytest
import torch

from forgetless.metrics import summarize
from forgetless.metrics.summary import plasticity_summary, summarize_measured

FULL = torch.tensor([[0.9, 0.1, 0.2], [0.7, 0.8, 0.3], [0.5, 0.6, 0.95]], dtype=torch.float64)


def _partial(R: torch.Tensor) -> torch.Tensor:
    P = torch.full_like(R, math.nan)
    P[-1] = R[-1]
    P.diagonal().copy_(R.diagonal())
    return P


def test_a_full_matrix_gives_summarize():
    assert summarize_measured(FULL, [0.1, 0.1, 0.1]) == summarize(FULL, [0.1, 0.1, 0.1])


def test_diagonal_and_last_row_give_the_exact_acc_la_bwt():
    out = summarize_measured(_partial(FULL))
    assert out["acc"] == pytest.approx((0.5 + 0.6 + 0.95) / 3)
    assert out["la"] == pytest.approx((0.9 + 0.8 + 0.95) / 3)
    assert out["bwt"] == pytest.approx(((0.5 - 0.9) + (0.6 - 0.8)) / 2)
    assert out["avalanche_forgetting"] == pytest.approx(-out["bwt"])
    for key in ("fwt", "forgetting", "avg_incremental_acc"):
        assert math.isnan(out[key])


def test_a_missing_diagonal_entry_is_refused():
    P = _partial(FULL)
    P[1, 1] = math.nan
    with pytest.raises(ValueError, match="^R: expected finite accuracies on the diagonal"):
        summarize_measured(P)


def test_plasticity_summary_reads_only_the_diagonal():
    R = torch.eye(20, dtype=torch.float64) * torch.linspace(1.0, 0.5, 20)
    P = _partial(R)
    assert plasticity_summary(P) == plasticity_summary(R)
    assert plasticity_summary(P)["la_first_tenth"] == pytest.approx((1.0 + R[1, 1].item()) / 2)
