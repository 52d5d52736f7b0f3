"""The continual loop's set-up: a checkpoint of another run is refused naming the file, a
ModelCheckpoint works, validation data per experience, EarlyStopping refused, "did not learn"."""

import pytest
import torch
import torch.nn.functional as F
from lightning_helpers import QUIET, LitClassifier, tiny_scenario
from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint

from forgetless.lightning import ActivationSwap, RuleCallback
from forgetless.lightning.checkpoint_files import CheckpointError
from forgetless.lightning.continual_loop import continual_trainer, fit_continual


@pytest.fixture(scope="module")
def scenario():
    return tiny_scenario(T=2)


def _run(scenario, callbacks, checkpoint_dir=None, module=None, epochs=1, **kwargs):
    torch.manual_seed(0)
    trainer = continual_trainer(
        scenario,
        epochs_per_experience=epochs,
        checkpoint_dir=checkpoint_dir,
        callbacks=callbacks,
        **{"logger": False, **QUIET},
    )
    module = module or LitClassifier()
    metrics = fit_continual(
        trainer, module, scenario, batch_size=8, epochs_per_experience=epochs, **kwargs
    )
    return trainer, metrics


class OtherClassifier(LitClassifier):
    """Same weights, another model class."""


@pytest.mark.parametrize(
    "first, second, message",
    [
        (["aglu"], ["apa"], "ActivationSwap name is 'aglu' in the checkpoint but 'apa'"),
        (
            ["hard_ash"],
            ["elephant"],
            "ActivationSwap name is 'hard_ash' in the checkpoint but 'elephant'",
        ),
        (["hard_ash"], [], "made with ActivationSwap 'hard_ash', this run has no ActivationSwap"),
        ([], ["hard_ash"], "made without ActivationSwap, this run has ActivationSwap 'hard_ash'"),
    ],
)
def test_a_checkpoint_of_another_swap_is_refused_naming_the_file(
    scenario, tmp_path, first, second, message
):
    _run(scenario, [ActivationSwap(n) for n in first], tmp_path)
    with pytest.raises(CheckpointError, match="last.ckpt: " + message):
        _run(scenario, [ActivationSwap(n) for n in second], tmp_path)


def test_a_checkpoint_of_another_model_or_scenario_is_refused(scenario, tmp_path):
    _run(scenario, [], tmp_path)
    with pytest.raises(CheckpointError, match="last.ckpt: made by model LitClassifier"):
        _run(scenario, [], tmp_path, module=OtherClassifier())
    swapped = tiny_scenario(T=2)
    swapped.classes.reverse()
    with pytest.raises(CheckpointError, match="last.ckpt: classes is"):
        _run(swapped, [], tmp_path)


def test_a_checkpoint_of_another_rule_is_refused(scenario, tmp_path):
    _run(scenario, [RuleCallback("mono_forward", recipe=False)], tmp_path)
    with pytest.raises(CheckpointError, match="RuleCallback rule is 'mono_forward'"):
        _run(scenario, [RuleCallback("forward_forward", recipe=False)], tmp_path)


def test_a_model_checkpoint_in_continual_trainer_saves_and_resumes(scenario, tmp_path):
    saver = ModelCheckpoint(dirpath=tmp_path, save_last=True)
    _, metrics = _run(scenario, [saver])
    assert (tmp_path / "last.ckpt").is_file() and metrics.completed() == 2
    again = ModelCheckpoint(dirpath=tmp_path / "again")
    _, resumed = _run(scenario, [again], ckpt_path=tmp_path / "last.ckpt")
    assert torch.equal(resumed.matrix, metrics.matrix)  # nothing left to train: same matrix


class Validated(LitClassifier):
    """Logs a validation loss and plateaus its learning rate on it."""

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", F.cross_entropy(self(x), y))
        self.seen = getattr(self, "seen", []) + [(self.current_epoch, set(y.tolist()))]

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=self.lr)
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": plateau, "monitor": "val_loss"},
        }


def test_every_experience_validates_on_its_own_split(scenario):
    module = Validated()
    saver = ModelCheckpoint(monitor="val_loss", save_top_k=0)
    trainer, metrics = _run(scenario, [saver], module=module, epochs=2, validation_fraction=0.25)
    assert metrics.completed() == 2 and "val_loss" in trainer.callback_metrics
    by_epoch = {}
    for epoch, labels in module.seen:
        by_epoch.setdefault(epoch, set()).update(labels)
    assert by_epoch == {0: {0, 1}, 1: {0, 1}, 2: {2, 3}, 3: {2, 3}}
    datamodule = trainer.datamodule
    assert [len(d) for d in datamodule.scenario.validation] == [8, 8]
    assert [len(d) for d in datamodule.scenario.train] == [24, 24]


class Flat(LitClassifier):
    """Logs a score that never improves, so EarlyStopping(patience=1) stops at the 2nd epoch."""

    def on_train_epoch_start(self):
        self.epochs = getattr(self, "epochs", []) + [self.current_epoch]

    def training_step(self, batch, batch_idx):
        self.log("flat", 1.0, on_step=False, on_epoch=True)
        return super().training_step(batch, batch_idx)


def test_early_stopping_ends_the_experience_not_the_stream(scenario):
    module = Flat()
    stopper = EarlyStopping(monitor="flat", patience=1)
    trainer, metrics = _run(scenario, [stopper], module=module, epochs=3)
    assert module.epochs == [0, 1, 3, 4]  # each experience stopped after its 2nd epoch
    assert metrics.completed() == 2 and not torch.isnan(metrics.matrix).any()
    assert trainer.current_epoch == 6  # the loop counted the skipped epochs as run


def test_early_stopping_in_a_trainer_not_built_for_the_stream_is_refused(scenario):
    trainer = continual_trainer(scenario, logger=False, **QUIET)
    trainer.callbacks.append(EarlyStopping(monitor="train_loss"))
    with pytest.raises(ValueError, match=r"EarlyStopping\(monitor='train_loss'\) would end"):
        fit_continual(trainer, LitClassifier(), scenario, batch_size=8)


def test_a_rule_that_did_not_learn_warns_and_its_recipe_learns(scenario):
    with pytest.warns(UserWarning, match=r"RuleCallback\('forward_forward'\) did not learn"):
        _run(scenario, [RuleCallback("forward_forward", recipe=False)])
    with pytest.warns(UserWarning, match="pass epochs_per_experience=38"):
        _run(scenario, [RuleCallback("forward_forward")])
