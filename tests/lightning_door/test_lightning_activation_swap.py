import pytest
import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from lightning_helpers import QUIET, LitClassifier, tiny_scenario
from pytorch_lightning.callbacks import ModelCheckpoint
from torch import nn
from torch.utils.data import DataLoader

from forgetless.activations import AGLU, Elephant
from forgetless.lightning import ActivationSwap


@pytest.fixture(scope="module")
def loader():
    return DataLoader(tiny_scenario(T=1).train[0], batch_size=16)


class Recording(LitClassifier):
    """Records what configure_optimizers saw, and whether a training step ran."""

    def configure_optimizers(self):
        self.seen_types = [type(m) for m in self.modules()]
        optimizer = super().configure_optimizers()
        self.optimized = {id(p) for group in optimizer.param_groups for p in group["params"]}
        return optimizer

    def training_step(self, batch, batch_idx):
        self.stepped = True
        return super().training_step(batch, batch_idx)


def test_swap_happens_before_the_optimizer_exists_and_learnable_parameters_train(loader):
    torch.manual_seed(0)
    module = Recording()
    swap = ActivationSwap("aglu")
    trainer = pl.Trainer(
        max_epochs=1, logger=False, enable_checkpointing=False, callbacks=[swap], **QUIET
    )
    trainer.fit(module, loader)
    assert swap.swapped == ["net.2", "net.4"]
    assert AGLU in module.seen_types and nn.ReLU not in module.seen_types
    aglu_params = [p for m in module.modules() if isinstance(m, AGLU) for p in m.parameters()]
    assert aglu_params and all(id(p) in module.optimized for p in aglu_params)
    assert any(not torch.allclose(p, torch.ones_like(p)) for p in aglu_params)  # kappa, lam moved


class Functional(Recording):
    """Docs-style forward calling F.relu: functional=False must refuse it loudly."""

    def forward(self, x):
        return self.net[5](F.relu(self.net[3](F.relu(self.net[1](self.net[0](x))))))


@pytest.mark.parametrize(
    "swap, module_class, message",
    [
        (ActivationSwap("elephant", target=(nn.Tanh,)), Recording, "no submodule of type Tanh"),
        (ActivationSwap("elephant", functional=False), Functional, "calls relu as a function"),
    ],
)
def test_nothing_to_swap_or_functional_relu_fails_at_setup(loader, swap, module_class, message):
    model = module_class()
    trainer = pl.Trainer(
        max_epochs=1, logger=False, enable_checkpointing=False, callbacks=[swap], **QUIET
    )
    with pytest.raises(ValueError, match=message):
        trainer.fit(model, loader)
    assert not getattr(model, "stepped", False)


def test_unknown_name_or_parameter_fails_when_the_callback_is_built():
    with pytest.raises(ValueError, match="unknown activation 'elefant'"):
        ActivationSwap("elefant")
    with pytest.raises(ValueError, match="unknown parameter"):
        ActivationSwap("elephant", width=2)
    with pytest.raises(ValueError, match="parameter 'a' must be a number"):
        ActivationSwap("elephant", a=[1.0])


def _fit_with_checkpoint(tmp_path, loader, swap, ckpt_path=None):
    torch.manual_seed(0)
    module = LitClassifier()
    trainer = pl.Trainer(
        max_epochs=2 if ckpt_path else 1,
        logger=False,
        callbacks=[swap, ModelCheckpoint(dirpath=tmp_path, filename="swap")],
        **QUIET,
    )
    trainer.fit(module, loader, ckpt_path=ckpt_path, weights_only=True)
    return module


def test_callback_state_round_trips_through_a_checkpoint(tmp_path, loader):
    _fit_with_checkpoint(tmp_path, loader, ActivationSwap("elephant", a=2.0, d=4))
    path = tmp_path / "swap.ckpt"
    checkpoint = torch.load(path, weights_only=True)
    state = checkpoint["callbacks"]["ActivationSwap"]
    assert state == {
        "name": "elephant",
        "params": {"a": 2.0, "d": 4},
        "target": ["ReLU"],
        "swapped": ["net.2", "net.4"],
        "functional": True,
        "calls": [],
    }
    # Same arguments: the run re-swaps in setup, then loads weights and state, and continues.
    resumed = _fit_with_checkpoint(
        tmp_path / "again", loader, ActivationSwap("elephant", a=2.0, d=4), path
    )
    assert isinstance(resumed.net[2], Elephant) and resumed.net[2].a == 2.0
    # Other arguments: refused, naming what differs.
    with pytest.raises(
        ValueError,
        match=r"swap.ckpt: ActivationSwap params is \{'a': 2.0, 'd': 4\} in the checkpoint",
    ):
        _fit_with_checkpoint(
            tmp_path / "other", loader, ActivationSwap("elephant", a=1.0, d=4), path
        )


def test_apply_from_checkpoint_reswaps_a_fresh_model_before_its_weights_load(tmp_path, loader):
    _fit_with_checkpoint(tmp_path, loader, ActivationSwap("aglu"))
    checkpoint = torch.load(tmp_path / "swap.ckpt", weights_only=True)
    fresh = LitClassifier()
    with pytest.raises(RuntimeError, match="Unexpected key"):
        fresh.load_state_dict(checkpoint["state_dict"])
    assert ActivationSwap.apply_from_checkpoint(fresh, checkpoint) == ["net.2", "net.4"]
    fresh.load_state_dict(checkpoint["state_dict"])
    assert torch.equal(fresh.net[2].kappa, checkpoint["state_dict"]["net.2.kappa"])


class NoForward(LitClassifier):
    """Issue 26: calls its layers from training_step and defines no forward."""

    forward = pl.LightningModule.forward

    def training_step(self, batch, batch_idx):
        x, y = batch[0], batch[1]
        return F.cross_entropy(self.net(x), y)


def test_a_module_without_forward_is_checked_through_its_training_step(loader):
    torch.manual_seed(0)
    module, swap = NoForward(), ActivationSwap("aglu")
    trainer = pl.Trainer(
        max_steps=2, logger=False, enable_checkpointing=False, callbacks=[swap], **QUIET
    )
    trainer.fit(module, loader)
    assert swap.swapped == ["net.2", "net.4"] and isinstance(module.net[2], AGLU)
    assert swap.report.checked and swap.report.unused == ()  # training_step ran them
    assert "no checked forward" not in swap.report.summary()
    assert module.net[2].kappa.item() != 1.0  # trained
