"""Train a LightningModule's network with a backprop-free rule: ``RuleCallback``.

``Trainer(callbacks=[RuleCallback("mono_forward")])`` switches an existing LightningModule from
backpropagation to Forward-Forward (``forward_forward``, ``collaborative_ff``), Mono-Forward
(``mono_forward``) or NoProp (``noprop``), with no change to the module's code and no mixin.

In ``setup`` (before ``configure_optimizers``) the callback replaces the module's network
(``pl_module.<network>``: the one child holding ``nn.Linear`` layers, or ``network=``) by a new
:class:`~forgetless.rules.Rule` of the same widths and switches the module to manual optimization;
in ``on_train_batch_end`` the rule learns from the batch, ``rule.train_step(x, y, optimizer)``,
with the module's one optimizer (gradients averaged over processes under DDP), and
``trainer.global_step`` advances by one. Nothing is patched and no mixin is needed; why it works
this way: docs/rules.md ("RuleCallback in Lightning").
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from typing import Any

import pytorch_lightning as pl
from pytorch_lightning.strategies import ParallelStrategy
from pytorch_lightning.utilities import rank_zero_info, rank_zero_warn
from torch import nn

from forgetless.lightning.activation_swap import ActivationSwap
from forgetless.lightning.averaged_optimizer import AveragedOptimizer
from forgetless.lightning.batch_reading import BatchToXY, read_batch
from forgetless.lightning.datamodule import ContinualDataModule
from forgetless.lightning.mlp_shape import mlp_widths
from forgetless.optim import build_optimizer
from forgetless.rules import Rule, build_rule, list_rules
from forgetless.rules.entry import RuleRecipe, epochs_for
from forgetless.rules.registry import recipe as rule_recipe

_PLAIN = (int, float, str, bool, type(None))


def _find_network(pl_module: pl.LightningModule, network: str | None) -> str:
    if network is not None:
        if not isinstance(getattr(pl_module, network, None), nn.Module):
            raise ValueError(
                f"RuleCallback: network={network!r} is not a submodule of {type(pl_module).__name__}"
            )
        return network
    candidates = [
        name
        for name, child in pl_module.named_children()
        if any(isinstance(m, nn.Linear) for m in child.modules())
    ]
    if len(candidates) != 1:
        raise ValueError(
            f"RuleCallback: cannot tell which child of {type(pl_module).__name__} is the network "
            f"(children with nn.Linear layers: {candidates}); pass network='<attribute name>'"
        )
    return candidates[0]


class RuleCallback(pl.Callback):
    """Replace the module's network by the rule ``rule`` and train it with that rule.

    Args:
        rule: ``forward_forward``, ``collaborative_ff``, ``mono_forward``, ``noprop`` (or
            ``backprop``, the same loop with end-to-end backprop on ``forgetless.models.MLP``).
        network: attribute name of the network in the module (None: the one child module that
            holds ``nn.Linear`` layers).
        in_features, hidden, num_classes: the MLP's shape (None: read from the network's
            ``nn.Linear`` layers).
        activation, activation_params: the rule network's hidden activation (registry name).
        batch_to_xy: a function from a training batch to ``(x, y)`` (inputs, integer class
            labels); None reads ``(x, y, ...)`` tuples/lists. A batch that cannot be read is
            refused at the first batch (see :mod:`forgetless.lightning.batch_reading`).
        recipe: apply the rule's recipe (:func:`forgetless.rules.registry.recipe`, the
            settings ``forgetless compare`` trains it with): its options under ``rule_params``
            (yours win), its optimizer in place of ``configure_optimizers``' (built in
            ``on_fit_start``, before a resume restores its state; not when
            ``configure_optimizers`` returns schedulers: a warning), and a warning when an
            experience gets fewer optimizer steps than the recipe's ``min_steps`` (it says
            which ``epochs_per_experience`` to pass). False: your optimizer and options only.
        **rule_params: the rule's own parameters (``theta``, ``predict_mode``, ``T``, ...).

    Raises:
        ValueError: an unknown rule, a parameter that a checkpoint cannot hold, or a
            ``batch_to_xy`` that is not callable (the network and batches: at ``setup`` and the
            first batch).
    """

    def __init__(
        self,
        rule: str,
        *,
        network: str | None = None,
        in_features: int | None = None,
        hidden: Sequence[int] | None = None,
        num_classes: int | None = None,
        activation: str = "relu",
        activation_params: dict[str, Any] | None = None,
        batch_to_xy: BatchToXY | None = None,
        recipe: bool = True,
        **rule_params: Any,
    ) -> None:
        if rule not in list_rules():
            raise ValueError(
                f"RuleCallback: unknown rule {rule!r}; known: {', '.join(list_rules())}"
            )
        for key, value in {**rule_params, **(activation_params or {})}.items():
            if not isinstance(value, _PLAIN):
                raise ValueError(
                    f"RuleCallback: parameter {key!r} must be a number, string, bool or None "
                    f"(checkpointable), got {type(value).__name__}"
                )
        if batch_to_xy is not None and not callable(batch_to_xy):
            raise ValueError(
                f"RuleCallback: batch_to_xy must be a function batch -> (x, y), got {batch_to_xy!r}"
            )
        self.batch_to_xy = batch_to_xy
        self.rule_name = rule
        self.network = network
        self.shape = (in_features, None if hidden is None else tuple(hidden), num_classes)
        self.activation = activation
        self.activation_params = dict(activation_params or {})
        base = rule_recipe(rule) if recipe else RuleRecipe()
        self.rule_params = {**base.params, **rule_params}
        self.recipe_optimizer = dict(base.optimizer)
        self.min_steps = base.min_steps
        self.attribute: str | None = None
        self.built: dict[str, Any] = {}
        self._sync_off = contextlib.ExitStack()
        self._xy: tuple[Any, Any] | None = None

    @property
    def state_key(self) -> str:
        return "RuleCallback"  # one key: another rule's checkpoint meets the check below

    def identity(self) -> dict[str, Any]:
        """What a checkpoint of this rule must match (known before ``setup``)."""
        return {
            "rule": self.rule_name,
            "activation": self.activation,
            "activation_params": dict(self.activation_params),
            "rule_params": dict(self.rule_params),
            "optimizer": dict(self.recipe_optimizer),
        }

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if self.attribute is not None and isinstance(getattr(pl_module, self.attribute), Rule):
            return  # already switched (another fit/validate on the same module)
        for callback in trainer.callbacks:
            if isinstance(callback, ActivationSwap) and callback.report is not None:
                raise ValueError(
                    "RuleCallback: an ActivationSwap already ran; the rule builds a new network, "
                    "so put RuleCallback before ActivationSwap or pass activation= to RuleCallback"
                )
        attribute = _find_network(pl_module, self.network)
        in_features, hidden, num_classes = self.shape
        if None in self.shape:
            found = mlp_widths(getattr(pl_module, attribute), f"network {attribute!r}")
            in_features = in_features or found[0]
            hidden = hidden or found[1]
            num_classes = num_classes or found[2]
        rule = build_rule(
            self.rule_name,
            in_features=in_features,
            num_classes=num_classes,
            hidden=hidden,
            activation=self.activation,
            activation_params=self.activation_params,
            **self.rule_params,
        )
        setattr(pl_module, attribute, rule.to(pl_module.device))
        pl_module.automatic_optimization = False
        self.attribute = attribute
        self.built = {
            "rule": self.rule_name,
            "network": attribute,
            "in_features": in_features,
            "hidden": list(hidden),
            "num_classes": num_classes,
        }

    def on_fit_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if not self.recipe_optimizer:
            return
        if trainer.lr_scheduler_configs:
            rank_zero_warn(
                f"RuleCallback: the {self.rule_name} recipe's optimizer is not used: "
                "configure_optimizers returns learning-rate schedulers, which step its optimizer; "
                "pass recipe=False to silence this"
            )
            return
        trainer.strategy.optimizers = [build_optimizer(pl_module, **self.recipe_optimizer)]
        rank_zero_info(
            f"RuleCallback: {self.rule_name} trains with its recipe's optimizer {self.recipe_optimizer}"
        )

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        datamodule = trainer.datamodule
        if self.min_steps <= 1 or not isinstance(datamodule, ContinualDataModule):
            return
        smallest = min(len(d) for d in datamodule.scenario.train)
        batches = math.ceil(smallest / datamodule.batch_size)
        steps = batches * datamodule.epochs_per_experience
        if steps < self.min_steps:
            rank_zero_warn(
                f"RuleCallback: the {self.rule_name} recipe trains each experience for at least "
                f"{self.min_steps} optimizer steps, this run gives the smallest one {steps}; pass "
                f"epochs_per_experience={epochs_for(self.min_steps, batches)} to "
                "continual_trainer and fit_continual"
            )

    def _rule(self, pl_module: pl.LightningModule) -> Rule:
        return getattr(pl_module, self.attribute)

    def on_train_batch_start(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        # Read the batch before the module's training_step runs, so a batch the rule cannot
        # learn from is refused at once, with a message saying how to adapt it.
        self._xy = read_batch(batch, self.batch_to_xy, self.built["in_features"])
        if isinstance(trainer.strategy, ParallelStrategy):
            self._sync_off.enter_context(trainer.strategy.block_backward_sync())

    def on_train_batch_end(
        self,
        trainer: pl.Trainer,
        pl_module: pl.LightningModule,
        outputs: Any,
        batch: Any,
        batch_idx: int,
    ) -> None:
        try:
            optimizers = trainer.optimizers
            if len(optimizers) != 1:
                raise ValueError(
                    f"RuleCallback: configure_optimizers must return one optimizer, got {len(optimizers)}"
                )
            params = [p for group in optimizers[0].param_groups for p in group["params"]]
            front = AveragedOptimizer(optimizers[0], params, trainer.world_size)
            xy = self._xy or read_batch(batch, self.batch_to_xy, self.built["in_features"])
            self._xy = None
            losses = self._rule(pl_module).train_step(xy[0], xy[1], front)
            progress = trainer.fit_loop.epoch_loop.manual_optimization.optim_step_progress
            progress.increment_ready()
            progress.increment_completed()
        finally:
            self._sync_off.close()
        pl_module.log_dict({f"rule/{k}": v for k, v in losses.items()}, on_step=True)

    def on_exception(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, exception: BaseException
    ) -> None:
        self._sync_off.close()

    def state_dict(self) -> dict[str, Any]:
        return {
            **self.built,
            "activation": self.activation,
            "activation_params": dict(self.activation_params),
            "rule_params": dict(self.rule_params),
            "optimizer": dict(self.recipe_optimizer),
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        mine = self.state_dict()
        for key, value in state_dict.items():
            if key in mine and mine[key] != value:
                raise ValueError(
                    f"RuleCallback: checkpoint {key} is {value!r}, this run's is {mine[key]!r}; "
                    "build the callback with the checkpoint's arguments"
                )
