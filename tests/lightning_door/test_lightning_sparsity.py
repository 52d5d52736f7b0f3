import csv

import pytest
import pytorch_lightning as pl
import torch
from lightning_helpers import QUIET, LitClassifier, tiny_scenario
from pytorch_lightning.loggers import CSVLogger

from forgetless.lightning import ActivationSwap, SparsityMonitor
from forgetless.lightning.continual_loop import continual_trainer, fit_continual


class DeadFirstLayer(LitClassifier):
    """First hidden layer always off (bias -100): its ReLU outputs and input gradients are 0;
    second hidden layer always on (bias +100, weights 0): no zero outputs."""

    def __init__(self):
        super().__init__(lr=1e-9)
        with torch.no_grad():
            self.net[1].bias.fill_(-100.0)
            self.net[3].weight.zero_()
            self.net[3].bias.fill_(100.0)


def test_fractions_of_zero_activations_and_gradients_per_layer_and_experience(tmp_path):
    scenario = tiny_scenario(T=2)
    monitor = SparsityMonitor()
    trainer = continual_trainer(scenario, callbacks=[monitor], logger=CSVLogger(tmp_path), **QUIET)
    fit_continual(trainer, DeadFirstLayer(), scenario, batch_size=8)
    assert [h["experience"] for h in monitor.history] == [1, 2]  # 1-based, as everywhere
    assert [h["step"] for h in monitor.history] == [4, 8]  # global steps: 32 samples / 8
    for entry in monitor.history:
        assert entry["sparsity/net.2/activation_zero_fraction"] == 1.0
        assert entry["sparsity/net.2/gradient_zero_fraction"] == 1.0
        assert entry["sparsity/net.4/activation_zero_fraction"] == 0.0
        assert 0.0 <= entry["sparsity/net.4/gradient_zero_fraction"] < 1.0
    with open(tmp_path / "lightning_logs" / "version_0" / "metrics.csv") as handle:
        rows = list(csv.DictReader(handle))
    logged = [r for r in rows if r.get("sparsity/net.2/activation_zero_fraction")]
    assert [int(r["step"]) for r in logged] == [4, 8]  # the axis ContinualMetrics uses


def test_monitor_watches_swapped_forgetless_activations(tmp_path):
    # The monitor watches swapped activations too (forgetless.activations classes).
    loader = torch.utils.data.DataLoader(tiny_scenario(T=1).train[0], batch_size=8)
    monitor = SparsityMonitor(every_n_batches=2)
    trainer = pl.Trainer(
        max_epochs=1,
        logger=False,
        enable_checkpointing=False,
        callbacks=[ActivationSwap("elephant", a=0.01), monitor],
        **QUIET,
    )
    trainer.fit(LitClassifier(), loader)
    (entry,) = monitor.history
    assert set(entry) == {
        "experience",
        "step",
        "sparsity/net.2/activation_zero_fraction",
        "sparsity/net.2/gradient_zero_fraction",
        "sparsity/net.4/activation_zero_fraction",
        "sparsity/net.4/gradient_zero_fraction",
    }
    # a = 0.01 on pre-activations of order 1: almost every elephant output is below 1e-3.
    assert entry["sparsity/net.2/activation_zero_fraction"] > 0.9


def test_bad_arguments_and_nothing_to_watch_are_errors():
    with pytest.raises(ValueError, match="rtol must be in"):
        SparsityMonitor(rtol=1.5)
    with pytest.raises(ValueError, match="every_n_batches"):
        SparsityMonitor(every_n_batches=0)
    loader = torch.utils.data.DataLoader(tiny_scenario(T=1).train[0], batch_size=8)
    trainer = pl.Trainer(
        max_epochs=1,
        logger=False,
        enable_checkpointing=False,
        callbacks=[SparsityMonitor(target=(torch.nn.Tanh,))],
        **QUIET,
    )
    with pytest.raises(ValueError, match="no activation modules to watch"):
        trainer.fit(LitClassifier(), loader)
