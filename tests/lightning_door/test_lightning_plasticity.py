"""The plasticity callbacks in a real Trainer, on a module with forward and on one without."""

from __future__ import annotations

import pytest
import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from lightning_helpers import QUIET, LitClassifier
from pytorch_lightning.loggers import CSVLogger
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from forgetless.lightning import (
    ContinualBackpropCallback,
    PlasticityMonitorCallback,
    ReDoCallback,
    ShrinkPerturbCallback,
)
from forgetless.metrics.logged import plasticity_name


def _loader(n: int = 128) -> DataLoader:
    g = torch.Generator().manual_seed(0)
    x = torch.rand(n, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    return DataLoader(TensorDataset(x, y), batch_size=16)


class NoForward(pl.LightningModule):
    """Lightning's README shape: the network is called inside training_step, no forward."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(784, 12), nn.ReLU())
        self.head = nn.Linear(12, 10)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self.head(self.encoder(x)), y)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-2)


def _fit(module, callbacks, tmp_path, epochs=2):
    torch.manual_seed(0)
    trainer = pl.Trainer(
        max_epochs=epochs, callbacks=callbacks, logger=CSVLogger(tmp_path), **QUIET
    )
    trainer.fit(module, _loader())
    return trainer


def test_continual_backprop_and_redo_on_a_module_without_forward(tmp_path):
    cbp = ContinualBackpropCallback(replacement_rate=0.05, maturity=3)
    redo = ReDoCallback(tau=0.5, every=4)
    module = NoForward()
    _fit(module, [cbp, redo], tmp_path)
    assert [c.name for c in cbp.method.chains] == ["encoder.2"]
    assert cbp.method.chains[0].outgoing is module.head  # found through training_step's calls
    assert cbp.method.replaced["encoder.2"] > 0 and redo.method.reset["encoder.2"] > 0


def test_shrink_perturb_and_the_monitor_log_under_one_scheme(tmp_path):
    probe = torch.rand(64, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    monitor = PlasticityMonitorCallback(probe, every_n_steps=4)
    torch.manual_seed(0)
    plain = LitClassifier()
    _fit(plain, [], tmp_path / "plain")
    torch.manual_seed(0)
    perturbed = LitClassifier()
    _fit(perturbed, [ShrinkPerturbCallback(weight_decay=0.1, sigma=1e-3), monitor], tmp_path)
    assert not torch.equal(plain.net[1].weight, perturbed.net[1].weight)
    steps = [row["step"] for row in monitor.history]
    assert steps[0] == 0 and steps[-1] == 16  # 8 batches × 2 epochs
    assert set(steps) >= {0, 4, 8, 12, 16}
    assert monitor.history[0][plasticity_name("net.1", "weight_change")] == 0.0
    assert monitor.history[-1][plasticity_name("net.1", "weight_change")] > 0.0
    logged = (tmp_path / "lightning_logs" / "version_0" / "metrics.csv").read_text()
    assert plasticity_name("net.2", "dormant_units") in logged.splitlines()[0]


def test_monitor_reads_a_module_without_forward_through_a_given_pass(tmp_path):
    probe = torch.rand(32, 1, 28, 28)
    monitor = PlasticityMonitorCallback(probe, every_n_steps=8, forward=lambda m, x: m.encoder(x))
    _fit(NoForward(), [monitor], tmp_path, epochs=1)
    assert plasticity_name("encoder.2", "effective_rank") in monitor.history[-1]
    with pytest.raises(ValueError, match="every_n_steps"):
        PlasticityMonitorCallback(probe, every_n_steps=0)
