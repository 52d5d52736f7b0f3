"""ActivationSwap on every LightningModule shape: no forward, several inputs, F.relu in
training_step, manual optimisation; learnable activations reach the optimizer; a checkpoint
round trip gives the same outputs."""

import pytest
import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from lightning_helpers import QUIET
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from forgetless.activations import AGLU, APA, LearnableElephant
from forgetless.activations.swap import CALL_SITES_ATTRIBUTE
from forgetless.lightning import ActivationSwap


def _data(n: int = 32) -> DataLoader:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 12, generator=g)
    return DataLoader(TensorDataset(x, (x[:, 0] > 0).long()), batch_size=8)


class Recording(pl.LightningModule):
    """Remembers which parameters its optimizer holds."""

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=0.5)
        self.optimized = {id(p) for group in optimizer.param_groups for p in group["params"]}
        return optimizer


class NoForwardFunctional(Recording):
    """No forward; training_step calls F.relu between its layers (Lightning's README style)."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Linear(12, 8)
        self.decoder = nn.Linear(8, 2)

    def logits(self, x):
        return self.decoder(F.relu(self.encoder(x)))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self.logits(x), y)
        self.log("train_loss", loss)
        return loss

    def predict_step(self, batch, batch_idx):
        return self.logits(batch[0])


class SeveralInputs(Recording):
    """forward(x, scale): the first batch element alone cannot run it."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 2))

    def forward(self, x, scale):
        return self.net(x * scale)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x, 2.0), y)


class Manual(Recording):
    """Manual optimisation, a held nn.ReLU and an F.relu call in forward."""

    def __init__(self) -> None:
        super().__init__()
        self.automatic_optimization = False
        self.first = nn.Sequential(nn.Linear(12, 8), nn.ReLU())
        self.second = nn.Linear(8, 8)
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        return self.head(F.relu(self.second(self.first(x))))

    def training_step(self, batch, batch_idx):
        x, y = batch
        optimizer = self.optimizers()
        optimizer.zero_grad()
        loss = F.cross_entropy(self(x), y)
        self.manual_backward(loss)
        optimizer.step()
        self.log("train_loss", loss)


class Snapshot(pl.Callback):
    """The parameters as training starts (after the swap, before any step)."""

    def on_train_start(self, trainer, pl_module):
        pl_module.initial = {id(p): p.detach().clone() for p in pl_module.parameters()}


def _fit(model, swap, epochs: int = 2, **kwargs) -> pl.Trainer:
    trainer = pl.Trainer(
        max_epochs=epochs,
        logger=False,
        enable_checkpointing=False,
        callbacks=[swap, Snapshot()],
        **QUIET,
    )
    trainer.fit(model, _data(), **kwargs)
    return trainer


def _sites(model) -> list[nn.Module]:
    return list(getattr(model, CALL_SITES_ATTRIBUTE).values())


def _trained(module: nn.Module, model: Recording) -> None:
    params = list(module.parameters())
    assert params and {id(p) for p in params} <= model.optimized  # reach the optimizer
    assert any(not torch.equal(p, model.initial[id(p)]) for p in params)  # and are trained


def test_no_forward_with_f_relu_in_training_step_is_swapped_and_trained():
    torch.manual_seed(0)
    model, swap = NoForwardFunctional(), ActivationSwap("aglu")
    _fit(model, swap)
    (site,) = _sites(model)
    assert isinstance(site, AGLU)
    assert swap.report.checked and [s.function for s in swap.report.calls] == [
        "torch.nn.functional.relu"
    ]
    assert swap.report.calls[0].qualname == "NoForwardFunctional.logits"
    _trained(site, model)


def test_forward_with_several_inputs_is_checked_through_training_step():
    torch.manual_seed(0)
    model, swap = SeveralInputs(), ActivationSwap("apa")
    _fit(model, swap)
    assert swap.swapped == ["net.1"] and swap.report.checked and swap.report.unused == ()
    assert isinstance(model.net[1], APA)
    _trained(model.net[1], model)


def test_manual_optimisation_trains_held_and_called_learnable_activations():
    torch.manual_seed(0)
    model, swap = Manual(), ActivationSwap("learnable_elephant")
    _fit(model, swap)
    assert swap.swapped == ["first.1"] and len(swap.report.calls) == 1
    assert isinstance(model.first[1], LearnableElephant)
    (site,) = _sites(model)
    for module in (model.first[1], site):
        _trained(module, model)


def test_checkpoint_round_trip_gives_the_same_outputs(tmp_path):
    torch.manual_seed(0)
    model, swap = NoForwardFunctional(), ActivationSwap("apa")
    trainer = _fit(model, swap)
    path = tmp_path / "shapes.ckpt"
    trainer.save_checkpoint(path)

    def predict(module, swap, **kwargs):
        runner = pl.Trainer(logger=False, callbacks=[swap], **QUIET)
        return torch.cat(runner.predict(module, _data(), **kwargs))

    before = predict(model, swap)
    torch.manual_seed(1)  # another initialisation: only the checkpoint can make them equal
    fresh = NoForwardFunctional()
    after = predict(fresh, ActivationSwap("apa"), ckpt_path=path, weights_only=True)
    assert torch.equal(before, after)
    plain = NoForwardFunctional()
    plain.load_state_dict({k: v for k, v in model.state_dict().items() if "forgetless" not in k})
    assert not torch.allclose(plain.logits(_data().dataset.tensors[0]), before)  # APA ran
    with pytest.raises(ValueError, match="shapes.ckpt.*'apa'.*'aglu'|'aglu'.*'apa'"):
        predict(NoForwardFunctional(), ActivationSwap("aglu"), ckpt_path=path, weights_only=True)
