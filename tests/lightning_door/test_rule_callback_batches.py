"""RuleCallback refuses, at the first batch, a batch it cannot read as (x, y), and says how to
adapt it with ``batch_to_xy`` (issue 12, item 7)."""

import pytest
import pytorch_lightning as pl
import torch
from lightning_helpers import QUIET
from pytorch_lightning.demos.boring_classes import BoringModel, RandomDataset
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from forgetless.lightning import RuleCallback
from forgetless.rules import MonoForwardRule


class Boring(BoringModel):
    """Lightning's BoringModel (bare tensor batches), counting its training steps."""

    def __init__(self, batch_size: int) -> None:
        super().__init__()
        self.batch_size = batch_size
        self.steps = 0

    def training_step(self, batch, batch_idx):
        self.steps += 1
        return super().training_step(batch, batch_idx)

    def train_dataloader(self):
        return DataLoader(RandomDataset(32, 16), batch_size=self.batch_size)


def fit(module, callback, loader=None):
    trainer = pl.Trainer(
        max_epochs=1,
        logger=False,
        enable_checkpointing=False,
        callbacks=[callback],
        limit_val_batches=0,
        **QUIET,
    )
    trainer.fit(module, loader)


def rule_callback(**kwargs):
    return RuleCallback("mono_forward", in_features=32, hidden=[8], num_classes=2, **kwargs)


@pytest.mark.parametrize("batch_size", [2, 5])
def test_bare_tensor_batches_are_refused_at_the_first_batch(batch_size):
    module = Boring(batch_size)
    expected = rf"got a torch.float32 tensor of shape \({batch_size}, 32\); expected a tuple/list"
    with pytest.raises(ValueError, match=expected) as info:
        fit(module, rule_callback())
    assert "batch_to_xy=lambda batch: (x, y)" in str(info.value)
    assert module.steps == 0  # refused before the module's training_step ran


def test_batch_to_xy_adapts_any_batch():
    module = Boring(4)
    callback = rule_callback(batch_to_xy=lambda batch: (batch, (batch[:, 0] > 0).long()))
    fit(module, callback)
    assert isinstance(module.layer, MonoForwardRule) and module.steps == 4
    assert all(torch.isfinite(p).all() for p in module.layer.parameters())


class Classifier(pl.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 3))

    def training_step(self, batch, batch_idx):
        return None

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


@pytest.mark.parametrize(
    "x, y, message",
    [
        (
            torch.randn(8, 6),
            torch.randn(8),
            r"labels y are a torch.float32 tensor of shape \(4,\), not integer",
        ),
        (
            torch.randn(8, 6),
            torch.zeros(8, 2, dtype=torch.long),
            r"labels y are a torch.int64 tensor of shape \(4, 2\) for 4 inputs",
        ),
        (
            torch.randn(8, 5),
            torch.zeros(8, dtype=torch.long),
            r"inputs have 5 values per sample, the network takes 6",
        ),
        (
            torch.zeros(8, 6, dtype=torch.long),
            torch.zeros(8, dtype=torch.long),
            r"inputs x are a torch.int64 tensor",
        ),
    ],
)
def test_batches_that_do_not_fit_the_rule_are_named(x, y, message):
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    with pytest.raises(ValueError, match=message):
        fit(Classifier(), RuleCallback("mono_forward"), loader)


def test_batch_to_xy_must_be_callable():
    with pytest.raises(ValueError, match="batch_to_xy must be a function"):
        RuleCallback("mono_forward", batch_to_xy="x")
