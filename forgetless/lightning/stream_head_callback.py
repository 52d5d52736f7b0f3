"""A streaming head (:mod:`forgetless.heads`) read from a LightningModule's training batches:
``StreamHeadCallback``.

``Trainer(callbacks=[StreamHeadCallback("slda", features="net.0")])`` (with
:func:`~forgetless.lightning.continual_loop.continual_trainer`): in the last epoch of each
experience, after every optimizer step, the batch's features ``pl_module.<features>(x)`` (or the
flattened inputs with ``features=None``) are merged into the head (one pass per experience;
earlier statistics are not re-estimated when the network drifts, docs/heads.md). Every forward
of the module in eval mode then returns the head's logits (a forward hook), so
:class:`~forgetless.lightning.ContinualMetrics` scores the head; before the head has seen a class
(the untrained baseline) the module's own output is kept. To read frozen features, freeze the
network (``requires_grad_(False)``) or train it with ``lr=0``. One process only: under DDP each
process would hold the statistics of its own shard.
"""

from __future__ import annotations

from typing import Any

import pytorch_lightning as pl
import torch
from torch import nn

from forgetless.heads import HeadOnFeatures, NearestClassMean, StreamingLDA
from forgetless.lightning.batch_reading import BatchToXY, default_batch_to_xy
from forgetless.lightning.datamodule import continual_datamodule

HEADS = ("slda", "ncm")


class StreamHeadCallback(pl.Callback):
    """Fill streaming head ``head`` from the training batches and evaluate the module through it.

    Args:
        head: ``slda`` (streaming LDA) or ``ncm`` (nearest class mean).
        features: the dotted name of the submodule of the LightningModule whose output the head
            reads (``"net.0"``; ``pl_module.get_submodule``), or None for the flattened inputs.
        shrinkage: streaming LDA's ``s`` in (0, 1].
        batch_to_xy: how to read ``(x, y)`` from a batch (default: its first two items).

    Raises:
        ValueError: naming ``head`` or ``features`` (at ``setup``) when they are not usable.
    """

    def __init__(
        self,
        head: str = "slda",
        *,
        features: str | None = None,
        shrinkage: float = 0.01,
        batch_to_xy: BatchToXY | None = None,
    ) -> None:
        if head not in HEADS:
            raise ValueError(f"StreamHeadCallback: head must be one of {list(HEADS)}, got {head!r}")
        self.kind = head
        self.features = features
        self.shrinkage = shrinkage
        self.batch_to_xy = batch_to_xy or default_batch_to_xy
        self.model: HeadOnFeatures | None = None
        self._hook: Any = None
        self._reading = False

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if trainer.world_size > 1:
            raise ValueError("StreamHeadCallback: runs in one process (each would see a shard)")
        datamodule = continual_datamodule(trainer, "StreamHeadCallback")
        extractor = None
        if self.features is not None:
            try:
                extractor = pl_module.get_submodule(self.features)
            except AttributeError:
                raise ValueError(
                    f"StreamHeadCallback: features={self.features!r} is not a submodule of "
                    f"{type(pl_module).__name__}"
                ) from None
        scenario = datamodule.scenario
        example = scenario.train[0][0][0].unsqueeze(0).to(pl_module.device)
        with torch.no_grad():
            width = (example if extractor is None else extractor(example)).flatten(1).shape[1]
        classes = scenario.num_classes
        head = (
            StreamingLDA(width, classes, shrinkage=self.shrinkage)
            if self.kind == "slda"
            else NearestClassMean(width, classes)
        )
        self.model = HeadOnFeatures(extractor, head)
        if self._hook is None:
            self._hook = pl_module.register_forward_hook(self._through_head)

    def teardown(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        """The forward hook stays: the module keeps answering through the head after ``fit``."""

    def _through_head(self, module: nn.Module, inputs: tuple, output: Any) -> Any:
        if module.training or self.model is None or int(self.model.head.counts.sum()) == 0:
            return None  # the module's own output
        return self.model.to(inputs[0].device)(inputs[0]).to(output.dtype)

    def on_train_epoch_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        datamodule = continual_datamodule(trainer, "StreamHeadCallback")
        self._reading = datamodule.ends_experience(trainer.current_epoch)

    def on_train_batch_end(
        self,
        trainer: pl.Trainer,
        pl_module: pl.LightningModule,
        outputs: Any,
        batch: Any,
        batch_idx: int,
    ) -> None:
        if self._reading and self.model is not None:
            x, y = self.batch_to_xy(batch)
            self.model.to(x.device).update(x, y)
