"""Task-incremental accuracy next to class-incremental, and the task mask of training."""

from types import SimpleNamespace

import pytest
import torch

from forgetless.avalanche import AccuracyMatrixPlugin, TaskMaskPlugin

CLASSES = [[0, 1], [2, 3]]


def _strategy(output, y, evaluated_on, task_ids=None):
    return SimpleNamespace(
        mb_output=output,
        mb_y=y,
        mb_task_id=task_ids if task_ids is not None else torch.full_like(y, evaluated_on),
        experience=SimpleNamespace(current_experience=evaluated_on),
    )


def test_a_model_that_always_favours_the_last_classes_is_bad_class_il_and_good_task_il():
    # A class of the other experience always has the top score, so the argmax over all four
    # classes is never right (class-IL 0); within the experience's own two classes the true
    # class wins for 3 of the 4 samples (task-IL 0.75), as worked out beside each batch.
    recorder = AccuracyMatrixPlugin(2, CLASSES, 4)
    recorder.after_training_exp(SimpleNamespace(experience=SimpleNamespace(current_experience=1)))
    y0 = torch.tensor([0, 1, 0, 1])
    out0 = torch.tensor(
        [[2.0, 1.0, 5, 9], [0.0, 1.0, 5, 9], [3.0, 1.0, 5, 9], [1.0, 0.5, 5, 9]]
    )  # within {0, 1}: predicts 0, 1, 0, 0 -> 3 of 4 right; over all: 3 -> 0 right
    y1 = torch.tensor([2, 3, 2, 3])
    out1 = torch.tensor(
        [[9.0, 9, 1.0, 0.0], [9, 9, 0.0, 1.0], [9, 9, 0.0, 1.0], [9, 9, 0.0, 1.0]]
    )  # within {2, 3}: 2, 3, 3, 3 -> 3 of 4 right; over all: 0 -> 0 right
    recorder.after_eval_iteration(_strategy(out0, y0, 0))
    recorder.after_eval_iteration(_strategy(out1, y1, 1))
    class_il = recorder.matrix.matrix()[1].tolist()
    task_il = recorder.task_matrix.matrix()[1].tolist()
    assert class_il == [0.0, 0.0]
    assert task_il == [0.75, 0.75]


def test_class_indices_cannot_be_masked_and_classes_need_the_width():
    recorder = AccuracyMatrixPlugin(1, [[0, 1]], 2)
    recorder.after_eval_iteration(_strategy(torch.tensor([1, 1]), torch.tensor([1, 0]), 0))
    assert recorder.matrix.base_total[0] == 2 and recorder.task_matrix.base_total[0] == 0
    with pytest.raises(ValueError, match="num_classes: expected the output width"):
        AccuracyMatrixPlugin(1, [[0, 1]])
    assert AccuracyMatrixPlugin(1).task_matrix is None


def test_task_mask_plugin_masks_each_sample_to_its_tasks_classes_in_training_and_eval():
    plugin = TaskMaskPlugin(CLASSES, 4)
    scores = torch.tensor([[0.0, 1.0, 5.0, 4.0], [3.0, 2.0, 0.0, 1.0]])
    tasks = torch.tensor([0, 1])  # a replay batch mixing both tasks
    train = _strategy(scores.clone(), torch.tensor([1, 3]), 1, tasks)
    plugin.after_forward(train)
    assert train.mb_output.argmax(1).tolist() == [1, 3]
    evaluation = _strategy(scores.clone(), torch.tensor([1, 3]), 1, tasks)
    plugin.after_eval_forward(evaluation)
    assert torch.equal(evaluation.mb_output, train.mb_output)
    idle = _strategy(None, torch.tensor([1]), 0)  # a rule strategy without training logits
    plugin.after_forward(idle)
    assert idle.mb_output is None
