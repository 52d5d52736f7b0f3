import pytest
import pytorch_lightning as pl
import torch
from lightning_helpers import QUIET, LitClassifier, tiny_scenario
from pytorch_lightning.loggers import CSVLogger
from torch import nn
from torch.utils.data import DataLoader

from forgetless.lightning import ActivationSwap, RuleCallback
from forgetless.rules import ForwardForwardRule, MonoForwardRule, NoPropDTRule


@pytest.fixture(scope="module")
def loader():
    return DataLoader(tiny_scenario(T=1).train[0], batch_size=8)


class Recording(LitClassifier):
    def configure_optimizers(self):
        self.network_at_optimizer = type(self.net)
        optimizer = super().configure_optimizers()
        self.optimized = {id(p) for g in optimizer.param_groups for p in g["params"]}
        return optimizer


@pytest.mark.parametrize(
    "rule, rule_class, params",
    [
        ("mono_forward", MonoForwardRule, {}),
        ("forward_forward", ForwardForwardRule, {"predict_mode": "linear"}),
        ("noprop", NoPropDTRule, {"T": 2}),
    ],
)
def test_one_callback_switches_an_existing_module_to_a_rule(
    tmp_path, loader, rule, rule_class, params
):
    torch.manual_seed(0)
    module = Recording()
    callback = RuleCallback(rule, activation="elephant", activation_params={"a": 1.0}, **params)
    trainer = pl.Trainer(
        max_epochs=1,
        logger=CSVLogger(tmp_path),
        enable_checkpointing=False,
        callbacks=[callback],
        **QUIET,
    )
    before = None

    class Snapshot(pl.Callback):
        def on_train_start(self, trainer, pl_module):
            nonlocal before
            before = [p.detach().clone() for p in pl_module.net.parameters()]

    trainer.callbacks.append(Snapshot())
    trainer.fit(module, loader)
    assert isinstance(module.net, rule_class) and module.network_at_optimizer is rule_class
    assert all(id(p) in module.optimized for p in module.net.parameters())
    assert module.automatic_optimization is False
    assert callback.built == {
        "rule": rule,
        "network": "net",
        "in_features": 784,
        "hidden": [16, 16],
        "num_classes": 10,
    }
    assert any(not torch.equal(a, b) for a, b in zip(before, module.net.parameters(), strict=True))
    assert trainer.global_step == len(loader)  # one step per batch
    assert module(torch.zeros(3, 1, 28, 28)).shape == (3, 10)
    logged = (tmp_path / "lightning_logs" / "version_0" / "metrics.csv").read_text()
    assert "rule/loss" in logged and "train_loss" in logged


class TwoNets(LitClassifier):
    def __init__(self):
        super().__init__()
        self.other = nn.Linear(3, 3)


class ConvNet(LitClassifier):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(1352, 10))


@pytest.mark.parametrize(
    "callbacks, module_class, message",
    [
        (lambda: [RuleCallback("mono_forward")], TwoNets, "cannot tell which child"),
        (lambda: [RuleCallback("mono_forward", network="head")], LitClassifier, "not a submodule"),
        (lambda: [RuleCallback("mono_forward")], ConvNet, "holds a Conv2d"),
        (
            lambda: [ActivationSwap("elephant"), RuleCallback("mono_forward")],
            LitClassifier,
            "put RuleCallback before ActivationSwap",
        ),
    ],
)
def test_bad_set_ups_fail_at_setup(loader, callbacks, module_class, message):
    trainer = pl.Trainer(
        max_epochs=1, logger=False, enable_checkpointing=False, callbacks=callbacks(), **QUIET
    )
    with pytest.raises(ValueError, match=message):
        trainer.fit(module_class(), loader)


def test_bad_arguments_fail_when_built():
    with pytest.raises(ValueError, match="unknown rule 'mono'"):
        RuleCallback("mono")
    with pytest.raises(ValueError, match="parameter 'theta' must be a number"):
        RuleCallback("forward_forward", theta=[1.0])
