import csv

import pytest
import pytorch_lightning as pl
import torch
from lightning_helpers import QUIET, LitClassifier, same_weights, tiny_scenario
from pytorch_lightning.loggers import CSVLogger, TensorBoardLogger

from forgetless.lightning import ActivationSwap, ContinualMetrics
from forgetless.lightning.checkpoint_files import CheckpointError
from forgetless.lightning.continual_loop import continual_trainer, fit_continual
from forgetless.lightning.datamodule import ContinualDataModule


@pytest.fixture(scope="module")
def scenario():
    return tiny_scenario(T=3)


class Kill(pl.Callback):
    """Stands in for a killed process: raise at (epoch, batch)."""

    def __init__(self, epoch: int, batch: int) -> None:
        self.epoch, self.batch = epoch, batch

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        if trainer.current_epoch == self.epoch and batch_idx == self.batch:
            raise KeyError("killed")


def _run(scenario, checkpoint_dir, *, extra=(), init_seed=0, epochs=1, **trainer_kwargs):
    torch.manual_seed(init_seed)
    module = LitClassifier()
    trainer = continual_trainer(
        scenario,
        epochs_per_experience=epochs,
        checkpoint_dir=checkpoint_dir,
        seed=7,
        callbacks=[ActivationSwap("aglu"), *extra],
        **{"logger": False, **QUIET, **trainer_kwargs},
    )
    metrics = fit_continual(
        trainer, module, scenario, batch_size=8, epochs_per_experience=epochs, seed=7
    )
    return metrics, module


def test_killed_run_resumes_to_the_same_accuracy_matrix_bit_for_bit(scenario, tmp_path):
    reference, reference_module = _run(scenario, tmp_path / "uninterrupted", epochs=2)
    assert reference.completed() == 3
    # Killed after experience 0 (first batch of epoch 2), then in the middle of experience 2
    # (epoch 5, batch 2); each restart builds a fresh Trainer and module with another init.
    for epoch, batch in ((2, 0), (5, 2)):
        with pytest.raises(KeyError, match="killed"):
            _run(scenario, tmp_path / "killed", extra=[Kill(epoch, batch)], epochs=2)
    resumed, resumed_module = _run(scenario, tmp_path / "killed", init_seed=123, epochs=2)
    assert torch.equal(resumed.matrix, reference.matrix)
    assert torch.equal(resumed.baseline, reference.baseline)
    assert same_weights(resumed_module, reference_module)
    files = sorted(p.name for p in (tmp_path / "killed").iterdir())
    assert files == ["experience-0.ckpt", "experience-1.ckpt", "experience-2.ckpt", "last.ckpt"]


def test_matrix_rows_are_the_models_test_accuracies(scenario, tmp_path):
    metrics, module = _run(scenario, None)
    module.eval()
    with torch.no_grad():
        final = [
            float((module(x).argmax(1) == y).double().mean())
            for x, y in (test.tensors() for test in scenario.test)
        ]
    assert metrics.matrix[-1].tolist() == pytest.approx(final, abs=1e-12)
    assert torch.isfinite(metrics.matrix).all() and torch.isfinite(metrics.baseline).all()
    record = metrics.record()
    assert record["activation"] == "aglu" and record["rule"] == "backprop"
    assert record["acc"] == pytest.approx(sum(final) / 3)


def test_loggers_receive_the_metrics_and_plots_are_written(scenario, tmp_path):
    csv_logger = CSVLogger(tmp_path, name="csv")
    tb_logger = TensorBoardLogger(tmp_path, name="tb")
    torch.manual_seed(0)
    trainer = continual_trainer(
        scenario, plot_dir=tmp_path / "plots", logger=[csv_logger, tb_logger], **QUIET
    )
    metrics = fit_continual(trainer, LitClassifier(), scenario, batch_size=8)
    with open(csv_logger.log_dir + "/metrics.csv") as handle:
        rows = list(csv.DictReader(handle))
    # one step axis: the global step; 32 samples / 8 = 4 iterations per experience
    by_step = {int(r["step"]): r for r in rows if r.get("continual/acc")}
    assert sorted(by_step) == [4, 8, 12]
    for k, step in enumerate((4, 8, 12)):
        row = by_step[step]
        assert float(row["continual/acc"]) == pytest.approx(metrics.summary_after(k)["acc"])
        diagonal = [float(metrics.matrix[j, j]) for j in range(k + 1)]
        assert float(row["continual/la"]) == pytest.approx(sum(diagonal) / (k + 1))
        assert float(row["continual/experience"]) == k + 1  # experiences are 1-based
        assert float(row["accuracy/experience_1"]) == pytest.approx(float(metrics.matrix[k, 0]))
    assert "accuracy/experience_0" not in rows[0]
    assert float(by_step[12]["continual/forgetting"]) == pytest.approx(
        metrics.summary()["forgetting"]
    )
    assert by_step[4]["continual/bwt"] == ""  # undefined after one experience: not logged
    assert by_step[12]["continual/fwt"] != ""
    # the loss ContinualMetrics logs is the one the module logs, at the same steps
    losses = [(r["step"], r["train/loss"]) for r in rows if r.get("train/loss")]
    own = [(r["step"], r["train_loss"]) for r in rows if r.get("train_loss")]
    assert len(losses) == 12 and [float(v) for _, v in losses] == pytest.approx(
        [float(v) for _, v in own]
    )
    assert [int(s) for s, _ in losses] == [int(s) for s, _ in own] == list(range(12))

    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(tb_logger.log_dir)
    events.Reload()
    for tag in ("continual/acc", "continual/bwt", "continual/forgetting", "accuracy/experience_3"):
        assert tag in events.Tags()["scalars"]
    assert [e.step for e in events.Scalars("continual/acc")] == [4, 8, 12]
    assert (tmp_path / "plots" / "accuracy_matrices.png").stat().st_size > 0
    assert (tmp_path / "plots" / "acc_forgetting.png").stat().st_size > 0


def test_corrupt_or_mismatched_checkpoints_are_refused_naming_the_file(scenario, tmp_path):
    _run(scenario, tmp_path / "good")
    good = tmp_path / "good" / "last.ckpt"
    corrupt = tmp_path / "corrupt.ckpt"
    corrupt.write_bytes(good.read_bytes()[:1000])
    trainer = continual_trainer(scenario, logger=False, **QUIET)
    with pytest.raises(CheckpointError, match=rf"{corrupt}: not a readable checkpoint"):
        fit_continual(trainer, LitClassifier(), scenario, batch_size=8, ckpt_path=corrupt)
    # Another stream (batch size): named field.
    with pytest.raises(CheckpointError, match=rf"{good}: batch_size is 8 in the checkpoint but 4"):
        fit_continual(trainer, LitClassifier(), scenario, batch_size=4, seed=7, ckpt_path=good)
    # Another model (no activation swap, other width): the callbacks and weights are compared.
    torch.manual_seed(0)
    other = continual_trainer(
        scenario, checkpoint_dir=tmp_path / "good", seed=7, logger=False, **QUIET
    )
    with pytest.raises(
        CheckpointError,
        match=rf"{good}: made with ActivationSwap 'aglu', this run has no ActivationSwap",
    ):
        fit_continual(other, LitClassifier(hidden=8), scenario, batch_size=8, seed=7)


def test_misconfigured_trainer_and_missing_datamodule_are_clear_errors(scenario):
    wrong = pl.Trainer(max_epochs=5, logger=False, enable_checkpointing=False, **QUIET)
    with pytest.raises(ValueError, match="max_epochs is 5, this stream needs 3"):
        fit_continual(wrong, LitClassifier(), scenario)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        ContinualDataModule(scenario, batch_size=0)
    plain = pl.Trainer(
        max_epochs=1,
        logger=False,
        enable_checkpointing=False,
        callbacks=[ContinualMetrics()],
        **QUIET,
    )
    loader = torch.utils.data.DataLoader(scenario.train[0], batch_size=8)
    with pytest.raises(ValueError, match="ContinualMetrics: needs trainer.fit"):
        plain.fit(LitClassifier(), loader)
    with pytest.raises(ValueError, match="sets max_epochs itself"):
        continual_trainer(scenario, max_epochs=3)
