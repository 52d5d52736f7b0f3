"""DP-SGD for a LightningModule, through Opacus (the Lightning door).

Recipe::

    from forgetless.privacy import PrivacySettings, poisson_loader
    from forgetless.lightning.private_training import PrivateTraining

    private = PrivateTraining(PrivacySettings(target_epsilon=3.0, delta=1e-5, max_grad_norm=1.0))
    trainer = pl.Trainer(max_epochs=40, callbacks=[private])
    trainer.fit(module, train_dataloaders=poisson_loader(train_set, batch_size=256))
    private.ledger.epsilon()        # ε spent (Opacus's accountant), also logged as "privacy/epsilon"

As in Opacus's own Lightning example, the *data* side is the user's: the training loader must be
Opacus's Poisson loader (:func:`forgetless.privacy.poisson_loader`, or Opacus's
``DPLightningDataModule``), since Lightning gives callbacks no clean way to swap it. The callback
does the rest:

* ``setup`` (fit): refuses settings Opacus cannot honour (gradient clipping by Lightning,
  gradient accumulation, several optimizers) and a model Opacus cannot train privately (naming
  the layer).
* ``on_train_start`` (the loader exists now): checks it is a Poisson loader, reads its sample
  rate q, calibrates σ for ``max_epochs · len(loader)`` steps when a ``target_epsilon`` is given,
  hooks Opacus's per-sample gradients onto the module (no wrapper: ``self(x)`` in
  ``training_step`` still works) and wraps the optimizer in Opacus's ``DPOptimizer`` (clipping,
  noise, the ledger's step hook).
* ``on_train_end``: removes the hooks and gives Lightning its plain optimizer back.
"""

from __future__ import annotations

from typing import Any

import pytorch_lightning as pl
from pytorch_lightning.callbacks import Callback

from forgetless.privacy import (
    Phase,
    PrivacyLedger,
    PrivacySettings,
    attach_per_sample_gradients,
    calibrate_noise_multiplier,
    check_private_model,
    dp_optimizer,
)


class PrivateTraining(Callback):
    """Train the LightningModule with DP-SGD (Opacus); ``ledger`` reports the ε spent."""

    def __init__(self, settings: PrivacySettings) -> None:
        super().__init__()
        if not isinstance(settings, PrivacySettings):
            raise ValueError(f"settings: expected PrivacySettings, got {type(settings).__name__}")
        self.settings = settings
        self.ledger: PrivacyLedger | None = None
        self.noise_multiplier: float | None = None
        self._hooks: Any = None

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if stage != "fit":
            return
        if trainer.gradient_clip_val:
            raise ValueError(
                "Trainer.gradient_clip_val: must be None under PrivateTraining (DP-SGD clips "
                "each example's gradient to privacy.max_grad_norm itself)"
            )
        if trainer.accumulate_grad_batches != 1:
            raise ValueError(
                "Trainer.accumulate_grad_batches: must be 1 under PrivateTraining (Poisson "
                "sampling makes each step one batch)"
            )
        if not pl_module.automatic_optimization:
            raise ValueError(
                "LightningModule.automatic_optimization: PrivateTraining supports automatic "
                "optimization only"
            )
        check_private_model(pl_module)

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        from opacus.data_loader import DPDataLoader

        loader = trainer.train_dataloader
        if not isinstance(loader, DPDataLoader):
            raise ValueError(
                "train_dataloaders: PrivateTraining needs Opacus's Poisson loader; pass "
                "forgetless.privacy.poisson_loader(dataset, batch_size), got "
                f"{type(loader).__name__}"
            )
        if len(trainer.optimizers) != 1:
            raise ValueError(
                f"configure_optimizers: PrivateTraining supports exactly one optimizer, got "
                f"{len(trainer.optimizers)}"
            )
        n_examples = len(loader.dataset)
        self.settings.validate(n_examples)
        epochs = trainer.max_epochs
        if self.settings.target_epsilon is not None and (epochs is None or epochs < 1):
            raise ValueError(
                "Trainer.max_epochs: a positive number of epochs is needed to spend "
                f"privacy.target_epsilon over the run, got {epochs!r}"
            )
        phases = [Phase(loader.sample_rate, (epochs or 1) * len(loader))]
        self.noise_multiplier = calibrate_noise_multiplier(self.settings, phases)
        if self.ledger is None:
            self.ledger = PrivacyLedger(self.settings, self.noise_multiplier)
        pl_module.train()
        self._hooks = attach_per_sample_gradients(pl_module)
        optimizer = dp_optimizer(
            trainer.optimizers[0],
            noise_multiplier=self.noise_multiplier,
            max_grad_norm=self.settings.max_grad_norm,
            expected_batch_size=max(1, round(loader.sample_rate * n_examples)),
        )
        optimizer.attach_step_hook(self.ledger.hook(loader.sample_rate))
        trainer.strategy.optimizers = [optimizer]

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if self.ledger is not None:
            pl_module.log("privacy/epsilon", self.ledger.epsilon())

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if self._hooks is not None:
            self._hooks.cleanup()
            self._hooks = None
        original = getattr(trainer.optimizers[0], "original_optimizer", None)
        if original is not None:
            trainer.strategy.optimizers = [original]

    def state_dict(self) -> dict[str, Any]:
        return {} if self.ledger is None else self.ledger.state_dict()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        if state_dict:
            self.ledger = PrivacyLedger(self.settings, state_dict["noise_multiplier"])
            self.ledger.load_state_dict(state_dict)
