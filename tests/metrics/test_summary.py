import math

import pytest
import torch

from forgetless.metrics import summarize

# A 3-experience matrix worked out by hand.
R = [
    [0.90, 0.10, 0.05],
    [0.60, 0.95, 0.20],
    [0.30, 0.50, 0.97],
]
B = [0.10, 0.12, 0.08]


def test_acc_is_mean_of_last_row():
    assert summarize(R)["acc"] == pytest.approx((0.30 + 0.50 + 0.97) / 3)


def test_bwt_and_avalanche_forgetting():
    out = summarize(R)
    bwt = ((0.30 - 0.90) + (0.50 - 0.95)) / 2
    assert out["bwt"] == pytest.approx(bwt)
    assert out["avalanche_forgetting"] == pytest.approx(-bwt)


def test_forgetting_uses_the_best_earlier_accuracy():
    # experience 0 peaked at 0.90 (row 0), experience 1 at 0.95 (row 1)
    assert summarize(R)["forgetting"] == pytest.approx(((0.90 - 0.30) + (0.95 - 0.50)) / 2)
    # when the peak is not on the diagonal, max-based forgetting exceeds -BWT
    R2 = [[0.5, 0.0], [0.2, 0.9]]
    R3 = [[0.5, 0.0, 0.0], [0.8, 0.9, 0.0], [0.1, 0.3, 0.9]]
    assert summarize(R2)["forgetting"] == pytest.approx(0.3)
    out = summarize(R3)
    assert out["forgetting"] == pytest.approx(((0.8 - 0.1) + (0.9 - 0.3)) / 2)
    assert out["avalanche_forgetting"] == pytest.approx(((0.5 - 0.1) + (0.9 - 0.3)) / 2)


def test_fwt_needs_the_baseline():
    assert math.isnan(summarize(R)["fwt"])
    fwt = ((0.10 - 0.12) + (0.20 - 0.08)) / 2
    assert summarize(R, B)["fwt"] == pytest.approx(fwt)


def test_single_experience_gives_nan_transfer():
    out = summarize([[0.7]], [0.1])
    assert out["acc"] == pytest.approx(0.7)
    assert all(math.isnan(out[k]) for k in ("bwt", "fwt", "forgetting", "avalanche_forgetting"))


@pytest.mark.parametrize(
    "bad, field",
    [([[0.1, 0.2]], "R"), ([], "R"), ([[float("nan"), 0], [0, 1]], "R")],
)
def test_bad_matrix(bad, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        summarize(bad)


def test_bad_baseline_length():
    with pytest.raises(ValueError, match="^baseline: expected 3"):
        summarize(R, [0.1, 0.2])


def test_accepts_tensors():
    assert summarize(torch.tensor(R))["acc"] == pytest.approx(summarize(R)["acc"])


def test_learning_accuracy_is_mean_of_the_diagonal():
    assert summarize(R)["la"] == pytest.approx((0.90 + 0.95 + 0.97) / 3)
    assert summarize([[0.7]])["la"] == pytest.approx(0.7)
    # a run that never learns its current task "forgets" nothing but has a low LA
    never = [[0.0, 0.0], [0.0, 0.0]]
    assert summarize(never)["forgetting"] == 0.0
    assert summarize(never)["la"] == 0.0


def test_learning_threshold_is_halfway_between_chance_and_perfect():
    from forgetless.metrics import learning_threshold

    assert learning_threshold([2] * 5) == pytest.approx(0.75)
    assert learning_threshold([10] * 5) == pytest.approx(0.55)
    assert learning_threshold([2, 10]) == pytest.approx((1 + (0.5 + 0.1) / 2) / 2)
    with pytest.raises(ValueError, match="^classes_per_experience:"):
        learning_threshold([])
