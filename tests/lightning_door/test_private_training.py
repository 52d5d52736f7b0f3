"""The Lightning door: a tiny LightningModule trained with DP-SGD by the PrivateTraining callback."""

from __future__ import annotations

import pytest
import pytorch_lightning as pl
import torch
from opacus.accountants import RDPAccountant
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from forgetless.activations.apa import AGLU
from forgetless.lightning.private_training import PrivateTraining
from forgetless.privacy import PrivacySettings, poisson_loader

pytestmark = pytest.mark.filterwarnings(
    "ignore:Full backward hook is firing",
    "ignore:.*does not have many workers",
    "ignore:.*GPU available but not used",
    "ignore:.*log_every_n_steps",
)


class Tiny(pl.LightningModule):
    def __init__(self, norm: nn.Module | None = None) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), norm or nn.Identity(), AGLU(8), nn.Linear(8, 2))
        self.steps_seen = 0

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        self.steps_seen += 1
        return nn.functional.cross_entropy(self(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.5)


def _data(n: int = 200) -> TensorDataset:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 4, generator=g)
    y = (x[:, 0] + x[:, 1] > 0).long()
    return TensorDataset(x, y)


def _trainer(callback, **kwargs) -> pl.Trainer:
    return pl.Trainer(
        max_epochs=kwargs.pop("max_epochs", 3),
        accelerator="cpu",
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        callbacks=[callback],
        **kwargs,
    )


def test_private_lightning_training_spends_the_accounted_epsilon():
    torch.manual_seed(0)
    module = Tiny()
    data = _data()
    loader = poisson_loader(data, batch_size=20, generator=torch.Generator().manual_seed(1))
    private = PrivateTraining(PrivacySettings(target_epsilon=5.0, delta=1e-3, max_grad_norm=1.0))
    before = {n: p.detach().clone() for n, p in module.named_parameters()}
    _trainer(private).fit(module, train_dataloaders=loader)

    steps = 3 * len(loader)
    assert len(loader) == 10 and module.steps_seen == steps
    reference = RDPAccountant()
    reference.history = [(private.noise_multiplier, 0.1, steps)]
    assert private.ledger.steps == steps
    assert private.ledger.epsilon() == pytest.approx(reference.get_epsilon(delta=1e-3), rel=1e-12)
    assert 5.0 - 0.01 <= private.ledger.epsilon() <= 5.0
    # every parameter (the learnable activation's too) moved; hooks and DP optimizer are gone
    for name, p in module.named_parameters():
        assert not torch.equal(p.detach(), before[name]), name
        assert getattr(p, "grad_sample", None) is None
    assert not hasattr(module, "autograd_grad_sample_hooks")
    with torch.no_grad():
        accuracy = (module(data.tensors[0]).argmax(1) == data.tensors[1]).float().mean()
    assert accuracy > 0.7


def test_plain_dataloader_is_refused():
    loader = DataLoader(_data(), batch_size=20)
    private = PrivateTraining(PrivacySettings(noise_multiplier=1.0))
    with pytest.raises(ValueError, match="train_dataloaders: PrivateTraining needs Opacus"):
        _trainer(private).fit(Tiny(), train_dataloaders=loader)


def test_lightning_gradient_clipping_is_refused():
    private = PrivateTraining(PrivacySettings(noise_multiplier=1.0))
    with pytest.raises(ValueError, match="gradient_clip_val"):
        _trainer(private, gradient_clip_val=1.0).fit(
            Tiny(), train_dataloaders=poisson_loader(_data(), 20)
        )


def test_batchnorm_module_is_refused_naming_the_layer():
    private = PrivateTraining(PrivacySettings(noise_multiplier=1.0))
    with pytest.raises(ValueError, match=r"layer 'net.1' \(BatchNorm1d\)"):
        _trainer(private).fit(
            Tiny(norm=nn.BatchNorm1d(8)), train_dataloaders=poisson_loader(_data(), 20)
        )


def test_delta_is_checked_against_the_loader_size():
    private = PrivateTraining(PrivacySettings(noise_multiplier=1.0, delta=0.01))
    with pytest.raises(ValueError, match=r"privacy.delta: .*N = 200"):
        _trainer(private).fit(Tiny(), train_dataloaders=poisson_loader(_data(), 20))
