import pytest

from forgetless.metrics.bounds import intransigence, joint_acc, relative_to_joint

# a known 3 x 3 accuracy matrix and joint bound
R = [[0.9, 0.0, 0.0], [0.5, 0.8, 0.0], [0.3, 0.4, 0.7]]
JOINT = [0.95, 0.85, 0.75]


def test_intransigence_of_a_known_matrix():
    # (0.95 - 0.9 + 0.85 - 0.8 + 0.75 - 0.7) / 3
    assert intransigence(R, JOINT) == pytest.approx(0.05)
    assert intransigence(R, [0.8, 0.8, 0.8]) == pytest.approx((-0.1 + 0.0 + 0.1) / 3)


def test_joint_acc_and_fraction():
    assert joint_acc(JOINT) == pytest.approx(0.85)
    acc = sum(R[-1]) / 3  # 0.4667
    assert relative_to_joint(acc, JOINT) == pytest.approx(acc / 0.85)
    assert relative_to_joint(0.85, JOINT) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: intransigence(R, [0.9, 0.8]), "joint_accuracy: expected 3 accuracies"),
        (lambda: intransigence([[0.9, 0.1]], JOINT), "R: expected a non-empty square"),
        (lambda: joint_acc([]), "joint_accuracy: expected a non-empty"),
        (lambda: joint_acc([0.5, float("nan")]), "joint_accuracy: expected finite"),
        (lambda: relative_to_joint(0.5, [0.0, 0.0]), "joint bound's ACC is 0"),
    ],
)
def test_bad_inputs_are_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()
