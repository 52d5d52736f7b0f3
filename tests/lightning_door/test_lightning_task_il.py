"""The Lightning door: task-IL accuracy next to class-IL, and task_incremental=True masked in
training (the loss) and evaluation."""

import dataclasses

import pytest
import torch
import torch.nn.functional as F
from lightning_helpers import QUIET, LitClassifier, tiny_scenario

from forgetless.lightning.continual_loop import continual_trainer, fit_continual


class LitAnyBatch(LitClassifier):
    """Reads ``(x, y)`` or ``(x, y, t)`` batches; ``call_self=False`` runs ``self.net`` directly
    (a training step whose scores the forward hook cannot see)."""

    def __init__(self, call_self: bool = True) -> None:
        super().__init__(log_loss=False)
        self.call_self = call_self
        self.trained_classes: list[set[int]] = []  # per step: the classes the loss could see

    def training_step(self, batch, batch_idx):
        x, y = batch[0], batch[1]
        scores = self(x) if self.call_self else self.net(x)
        visible = (scores > torch.finfo(scores.dtype).min).all(dim=0)
        self.trained_classes.append(set(torch.nonzero(visible).flatten().tolist()))
        return F.cross_entropy(scores, y)


def _task_incremental(scenario):
    return dataclasses.replace(
        scenario,
        train=[d.with_task_label(i) for i, d in enumerate(scenario.train)],
        test=[d.with_task_label(i) for i, d in enumerate(scenario.test)],
        task_incremental=True,
    )


def _fit(scenario, module):
    torch.manual_seed(0)
    trainer = continual_trainer(scenario, epochs_per_experience=2, seed=3, logger=False, **QUIET)
    return fit_continual(trainer, module, scenario, batch_size=8, epochs_per_experience=2, seed=3)


@pytest.fixture(scope="module")
def scenario():
    return tiny_scenario(T=2, n_train=48, n_test=32)


def test_class_il_and_task_incremental_runs_differ_and_task_il_beats_chance(scenario):
    class_il = _fit(scenario, LitAnyBatch())
    record = class_il.record()
    assert record["accuracy_matrix_task"] == class_il.task_matrix.tolist()
    assert record["acc_task"] >= record["acc"] and 0.0 <= record["acc_task"] <= 1.0
    module = LitAnyBatch()
    task_il = _fit(_task_incremental(scenario), module)
    assert not torch.equal(class_il.matrix, task_il.matrix)
    assert torch.equal(task_il.matrix, task_il.task_matrix)  # evaluation is masked
    assert task_il.summary()["acc"] > 0.5  # two classes per task: above chance
    # training was masked: each step's loss saw only the classes of the experience trained
    steps = len(module.trained_classes) // 2
    assert module.trained_classes == [{0, 1}] * steps + [{2, 3}] * steps


def test_a_training_step_that_does_not_call_the_module_is_refused(scenario):
    with pytest.raises(RuntimeError, match="training_step did not call pl_module"):
        _fit(_task_incremental(scenario), LitAnyBatch(call_self=False))
