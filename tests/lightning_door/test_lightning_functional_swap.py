"""ActivationSwap on Lightning's own demo models, which call torch.relu in forward."""

import pytest
import pytorch_lightning as pl
import torch
from gradient_hooks import gradients_seen
from lightning_helpers import QUIET, LitClassifier, tiny_scenario
from pytorch_lightning.callbacks import ModelCheckpoint
from pytorch_lightning.demos.boring_classes import BoringModel, DemoModel, RandomDataset
from torch import nn
from torch.utils.data import DataLoader

from forgetless.activations import AGLU, Elephant
from forgetless.activations.swap import CALL_SITES_ATTRIBUTE
from forgetless.lightning import ActivationSwap


def _loader():
    return DataLoader(RandomDataset(32, 16), batch_size=4)


def _fit(model, swap, tmp_path=None, ckpt_path=None, epochs=1):
    checkpoint = [ModelCheckpoint(dirpath=tmp_path, filename="demo")] if tmp_path else []
    trainer = pl.Trainer(
        max_epochs=epochs,
        logger=False,
        enable_checkpointing=bool(tmp_path),
        callbacks=[swap, *checkpoint],
        **QUIET,
    )
    trainer.fit(model, _loader(), ckpt_path=ckpt_path, weights_only=True)
    return trainer


class RecordingDemo(DemoModel):
    def configure_optimizers(self):
        optimizer = super().configure_optimizers()
        self.optimized = {id(p) for group in optimizer.param_groups for p in group["params"]}
        return optimizer


def test_demo_model_with_elephant_trains_and_its_output_changes():
    torch.manual_seed(0)
    model, swap = DemoModel(), ActivationSwap("elephant")
    _fit(model, swap)
    (site,) = getattr(model, CALL_SITES_ATTRIBUTE).values()
    assert isinstance(site, Elephant) and swap.swapped == []
    assert [s.function for s in swap.report.calls] == ["torch.relu"]
    assert swap.report.calls[0].file.endswith("boring_classes.py")
    plain = DemoModel()
    plain.load_state_dict(model.state_dict())  # elephant has no state: same keys
    x = torch.randn(4, 32, requires_grad=True)
    out = model(x)
    assert not torch.allclose(out, plain(x))
    seen = gradients_seen([site])
    model(x).sum().backward()
    assert len(seen) == 1 and seen[0] > 0 and x.grad.abs().sum() > 0


def test_demo_model_with_aglu_optimises_saves_and_restores_the_call_site(tmp_path):
    torch.manual_seed(0)
    model = RecordingDemo()
    _fit(model, ActivationSwap("aglu"), tmp_path)
    (site,) = getattr(model, CALL_SITES_ATTRIBUTE).values()
    assert isinstance(site, AGLU)
    assert {id(site.kappa), id(site.lam)} <= model.optimized
    assert site.kappa.item() != 1.0  # trained
    checkpoint = torch.load(tmp_path / "demo.ckpt", weights_only=True)
    keys = [k for k in checkpoint["state_dict"] if k.startswith(CALL_SITES_ATTRIBUTE)]
    assert len(keys) == 2 and any(k.endswith(".kappa") for k in keys)
    (state,) = [s for k, s in checkpoint["callbacks"].items() if k.startswith("ActivationSwap")]
    assert len(state["calls"]) == 1 and state["functional"] is True
    # Resume (the epoch is already done, so nothing trains): the site's parameters come back.
    resumed = DemoModel()
    _fit(resumed, ActivationSwap("aglu"), tmp_path / "again", tmp_path / "demo.ckpt")
    for key in keys:
        assert torch.equal(resumed.state_dict()[key], checkpoint["state_dict"][key])
    # Outside a Trainer: re-swap a fresh model, then load; the call site comes from the keys.
    fresh = DemoModel()
    assert ActivationSwap.apply_from_checkpoint(fresh, checkpoint) == []
    fresh.load_state_dict(checkpoint["state_dict"])
    x = torch.randn(3, 32)
    assert torch.equal(fresh(x), resumed(x))


def test_boring_model_calls_no_activation_and_is_refused_at_setup():
    with pytest.raises(ValueError, match=r"nothing swapped runs in BoringModel.*no submodule"):
        _fit(BoringModel(), ActivationSwap("elephant"))


class SpareRelu(LitClassifier):
    """Issue 12: holds a ReLU it never calls."""

    def __init__(self) -> None:
        super().__init__()
        self.spare = nn.ReLU()


def test_a_held_relu_never_called_is_reported_unused():
    swap = ActivationSwap("elephant")
    model = SpareRelu()
    trainer = pl.Trainer(
        max_steps=1, logger=False, enable_checkpointing=False, callbacks=[swap], **QUIET
    )
    trainer.fit(model, DataLoader(tiny_scenario(T=1).train[0], batch_size=8))
    assert swap.swapped == ["net.2", "net.4", "spare"]
    assert swap.report.unused == ("spare",)
