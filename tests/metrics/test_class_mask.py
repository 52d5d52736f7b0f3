"""The one mask of task-incremental accuracy and training: logits limited to a task's classes."""

import pytest
import torch
import torch.nn.functional as F

from forgetless.metrics.class_mask import allowed_classes, mask_logits


def test_allowed_classes_marks_each_tasks_classes():
    allowed = allowed_classes([[0, 1], [2, 3]], 5)
    assert allowed.tolist() == [
        [True, True, False, False, False],
        [False, False, True, True, False],
    ]
    with pytest.raises(ValueError, match=r"classes\[1\]: expected class indices in 0..4"):
        allowed_classes([[0], [5]], 5)
    with pytest.raises(ValueError, match=r"classes\[0\]"):
        allowed_classes([[]], 5)


def test_masked_argmax_is_among_the_tasks_classes_and_the_loss_stays_finite():
    logits = torch.tensor([[0.1, 0.2, 5.0, 4.0], [3.0, 0.0, 0.5, 0.4]], requires_grad=True)
    allowed = allowed_classes([[0, 1], [2, 3]], 4)
    one_task = mask_logits(logits, allowed[0])
    assert one_task.argmax(1).tolist() == [1, 0]
    per_sample = mask_logits(logits, allowed[torch.tensor([0, 1])])
    assert per_sample.argmax(1).tolist() == [1, 2]
    loss = F.cross_entropy(per_sample, torch.tensor([1, 2]))
    loss.backward()
    assert torch.isfinite(loss)
    # the masked classes get no gradient: they are out of the task's softmax
    assert logits.grad[0, 2:].abs().max() == 0 and logits.grad[1, :2].abs().max() == 0


def test_bad_shapes_name_the_argument():
    with pytest.raises(ValueError, match=r"logits: expected class scores \[N, C\]"):
        mask_logits(torch.zeros(4), torch.ones(4, dtype=torch.bool))
    with pytest.raises(ValueError, match="allowed: expected a mask of shape"):
        mask_logits(torch.zeros(2, 4), torch.ones(3, dtype=torch.bool))
