"""The accuracy matrix of a Lightning continual run, logged as it fills: ``ContinualMetrics``.

Works with :class:`~forgetless.lightning.datamodule.ContinualDataModule` (one
``trainer.fit`` over the whole stream; :func:`~forgetless.lightning.continual_loop.fit_continual`
sets it up). Before the first training batch it evaluates the untrained model on every test
experience (the baseline ``b`` for FWT); after the last epoch of experience ``k`` it evaluates the
model on every test experience and fills row ``k`` of ``R``. Definitions of ACC, BWT, FWT and the
two forgettings: :mod:`forgetless.metrics.summary`.

It evaluates with its own loop (``pl_module(x)`` in ``eval()`` mode on the datamodule's
unpadded test shards; ``forward`` returns class scores ``[N, C]`` or class indices ``[N]``),
sums the counts over processes, and logs (rank 0, to ``trainer.loggers``) the names and step
axis of :mod:`forgetless.metrics.logged`; with ``plot_dir`` it writes the heatmap after every
experience and the bars at the end. Design decisions: docs/lightning.md#continual-metrics.

Next to ``R`` (class-incremental: the argmax over every class) it fills ``task_matrix``, the
task-incremental accuracy of the same run: the same scores masked to the classes of the
experience evaluated (:mod:`forgetless.metrics.class_mask`). In a task-incremental scenario
(``scenario.task_incremental``) both the evaluation and the training are masked: while
experience ``k`` trains, a forward hook masks the output of ``pl_module(x)`` to ``k``'s classes,
so the loss sees only them; a ``training_step`` that never calls ``pl_module(x)`` cannot be
masked and is refused after its first batch.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.utilities import rank_zero_only

from forgetless.lightning.activation_swap import ActivationSwap
from forgetless.lightning.datamodule import continual_datamodule
from forgetless.lightning.rule_callback import RuleCallback
from forgetless.metrics import AccuracyMatrix, learning_threshold, summarize
from forgetless.metrics.class_mask import allowed_classes, mask_logits
from forgetless.metrics.logged import (
    EXPERIENCE,
    TRAIN_LOSS,
    experience_scalars,
    is_log_step,
    log_interval,
)
from forgetless.metrics.summary import TASK_KEYS, task_summary
from forgetless.report import aggregate, plot_bars, plot_heatmaps
from forgetless.report.labels import cell_label
from forgetless.report.plots import BARS_FILE, HEATMAP_FILE
from forgetless.rules import BACKPROP


def _scores(output: Any, target: torch.Tensor) -> torch.Tensor:
    """The checked output of ``pl_module(x)``: scores ``[N, C]`` or class indices ``[N]``."""
    if isinstance(output, tuple | list) and output:
        output = output[0]
    if not isinstance(output, torch.Tensor) or output.ndim not in (1, 2):
        raise ValueError(
            "ContinualMetrics: pl_module(x) must return class scores [N, C] or class indices "
            f"[N], got {type(output).__name__} {tuple(getattr(output, 'shape', ()))}"
        )
    if output.shape[0] != target.shape[0]:
        raise ValueError(
            f"ContinualMetrics: pl_module(x) returned {output.shape[0]} rows for a batch of "
            f"{target.shape[0]}"
        )
    return output


class ContinualMetrics(pl.Callback):
    """Fill and log the accuracy matrix ``R`` of a continual run (see the module docstring).

    Args:
        plot_dir: folder for ``accuracy_matrices.png`` and ``acc_forgetting.png`` (None: no plots).
        label: ``activation``/``rule``/``strategy`` names for :meth:`record` and the plots;
            by default taken from an :class:`ActivationSwap` / :class:`RuleCallback` in the
            Trainer (``relu`` / ``backprop`` without them) and ``strategy="lightning"``.
        auto_log_interval: choose ``trainer.log_every_n_steps`` from the stream in ``setup``.

    Raises:
        ValueError: ``label`` has a key other than ``activation``, ``rule``, ``strategy``; the
            Trainer has no :class:`ContinualDataModule`; ``pl_module(x)`` returns something
            other than ``[N, C]`` scores or ``[N]`` indices for the batch; a checkpoint's
            accuracy matrix has another shape than this run's.
        RuntimeError: in a task-incremental scenario, a ``training_step`` that does not call
            ``pl_module(x)`` (its loss cannot be masked to the experience's classes).
    """

    def __init__(
        self,
        plot_dir: str | Path | None = None,
        label: dict[str, str] | None = None,
        auto_log_interval: bool = False,
    ):
        self.plot_dir = None if plot_dir is None else Path(plot_dir)
        self.label = dict(label or {})
        unknown = set(self.label) - {"activation", "rule", "strategy"}
        if unknown:
            raise ValueError(
                f"ContinualMetrics: label keys must be activation, rule, strategy; got {sorted(unknown)}"
            )
        self.matrix = torch.empty(0, 0, dtype=torch.float64)
        self.task_matrix = torch.empty(0, 0, dtype=torch.float64)
        self.baseline = torch.empty(0, dtype=torch.float64)
        self._task_accumulator: AccuracyMatrix | None = None
        self._allowed: torch.Tensor | None = None
        self._task_incremental = False
        self._mask_hook: Any = None
        self._masked_calls = 0
        self.la_threshold = math.nan  # set in setup, from the scenario's classes
        self.activation_params: dict[str, Any] = {}
        self.train_seconds = 0.0
        self.seed = 0
        self._accumulator: AccuracyMatrix | None = None
        self._epoch_started = 0.0
        self._experience = 0
        self._step = 0
        self.auto_log_interval = bool(auto_log_interval)

    # -- set-up -------------------------------------------------------------------------------
    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        datamodule = continual_datamodule(trainer, "ContinualMetrics")
        T = datamodule.num_experiences
        if self.matrix.shape != (T, T):
            self.matrix = torch.full((T, T), math.nan, dtype=torch.float64)
            self.baseline = torch.full((T,), math.nan, dtype=torch.float64)
        if self.task_matrix.shape != (T, T):
            self.task_matrix = torch.full((T, T), math.nan, dtype=torch.float64)
        scenario = datamodule.scenario
        self.seed = datamodule.seed
        self._accumulator = AccuracyMatrix(T)
        self._task_accumulator = AccuracyMatrix(T)
        self._allowed = allowed_classes(scenario.classes, scenario.num_classes)
        self._task_incremental = bool(scenario.task_incremental)
        self.la_threshold = learning_threshold([len(c) for c in scenario.classes])
        if self.auto_log_interval:
            sizes = [len(data) for data in datamodule.scenario.train]
            trainer.log_every_n_steps = log_interval(sizes, datamodule.batch_size)
        for callback in trainer.callbacks:
            if isinstance(callback, ActivationSwap):
                self.label.setdefault("activation", callback.name)
                self.activation_params = dict(callback.params)
            elif isinstance(callback, RuleCallback):
                self.label.setdefault("rule", callback.rule_name)
        self.label.setdefault("activation", "relu")
        self.label.setdefault("rule", BACKPROP)
        self.label.setdefault("strategy", "lightning")

    # -- evaluation ---------------------------------------------------------------------------
    @torch.no_grad()
    def _evaluate(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, trained_on: int | None
    ) -> None:
        datamodule = continual_datamodule(trainer, "ContinualMetrics")
        accumulator = self._accumulator.to(pl_module.device)
        task_accumulator = self._task_accumulator.to(pl_module.device)
        accumulator.reset()
        task_accumulator.reset()
        was_training = pl_module.training
        pl_module.eval()
        try:
            for j in range(datamodule.num_experiences):
                for batch in datamodule.eval_loader(j):
                    x, y = batch[0].to(pl_module.device), batch[1].to(pl_module.device)
                    scores = _scores(pl_module(x), y)
                    if scores.ndim == 2:
                        masked = mask_logits(scores, self._allowed[j, : scores.shape[1]])
                        task_accumulator.update(masked, y, trained_on, j)
                        scores = masked if self._task_incremental else scores
                    accumulator.update(scores, y, trained_on, j)
        finally:
            pl_module.train(was_training)
        R, base = accumulator.matrix_and_baseline()  # synchronised over processes
        R_task = task_accumulator.matrix()
        if trained_on is None:
            if base is not None:
                self.baseline = base.detach().cpu().to(torch.float64)
        else:
            self.matrix[trained_on] = R[trained_on].detach().cpu().to(torch.float64)
            self.task_matrix[trained_on] = R_task[trained_on].detach().cpu().to(torch.float64)
        accumulator.reset()
        task_accumulator.reset()

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.current_epoch == 0 and bool(torch.isnan(self.baseline).all()):
            self._evaluate(trainer, pl_module, trained_on=None)

    def on_train_epoch_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        datamodule = continual_datamodule(trainer, "ContinualMetrics")
        self._experience = datamodule.experience_of_epoch(trainer.current_epoch)
        if self._task_incremental:
            self._mask_training(pl_module)
        self._epoch_started = time.perf_counter()

    def _mask_training(self, pl_module: pl.LightningModule) -> None:
        """Mask ``pl_module(x)``'s scores to the current experience's classes until the epoch
        ends (a forward hook; :meth:`_unmask_training` removes it)."""
        self._unmask_training()
        allowed = self._allowed[self._experience]
        self._masked_calls = 0

        def hook(module: Any, args: Any, output: Any) -> Any:
            if isinstance(output, torch.Tensor) and output.ndim == 2 and module.training:
                self._masked_calls += 1
                return mask_logits(output, allowed[: output.shape[1]])
            return None

        self._mask_hook = pl_module.register_forward_hook(hook)

    def _unmask_training(self) -> None:
        if self._mask_hook is not None:
            self._mask_hook.remove()
            self._mask_hook = None

    def on_train_batch_start(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        self._step = trainer.global_step  # this batch's 0-based index over the whole stream
        pl_module.log(
            "experience", float(self._experience + 1), prog_bar=True, logger=False, on_step=True
        )

    def on_train_batch_end(
        self,
        trainer: pl.Trainer,
        pl_module: pl.LightningModule,
        outputs: Any,
        batch: Any,
        batch_idx: int,
    ) -> None:
        if self._task_incremental and self._masked_calls == 0:
            self._unmask_training()
            raise RuntimeError(
                "ContinualMetrics: scenario.task_incremental=True, but training_step did not "
                "call pl_module(x) with [N, C] scores, so its loss cannot be masked to the "
                "experience's classes; call self(x) in training_step, or mask with "
                "forgetless.metrics.class_mask.mask_logits"
            )
        loss = outputs.get("loss") if isinstance(outputs, dict) else outputs
        if isinstance(loss, torch.Tensor) and is_log_step(self._step, trainer.log_every_n_steps):
            scalars = {TRAIN_LOSS: loss.detach(), EXPERIENCE: float(self._experience + 1)}
            self._send(trainer, scalars, self._step, save=False)

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._unmask_training()
        self.train_seconds += time.perf_counter() - self._epoch_started
        datamodule = continual_datamodule(trainer, "ContinualMetrics")
        epoch = trainer.current_epoch
        if not datamodule.ends_experience(epoch):
            return
        k = datamodule.experience_of_epoch(epoch)
        self._evaluate(trainer, pl_module, trained_on=k)
        self._log(trainer, k)
        self._plot(final=k == datamodule.num_experiences - 1)

    # -- results ------------------------------------------------------------------------------
    def summary_after(self, k: int) -> dict[str, float]:
        """ACC, LA, BWT, FWT and forgetting of the ``(k+1) × (k+1)`` matrix seen after experience k.

        Args:
            k: the 0-based experience after which to summarise (FWT only when the baseline is
                known).
        """
        R = self.matrix[: k + 1, : k + 1]
        base = self.baseline[: k + 1]
        return summarize(R, None if bool(torch.isnan(base).any()) else base)

    def completed(self) -> int:
        """How many rows of ``R`` are filled (experiences trained and evaluated)."""
        filled = ~torch.isnan(self.matrix).any(dim=1)
        return int(filled.sum()) if self.matrix.numel() else 0

    def summary(self) -> dict[str, float]:
        """The final summary (all experiences).

        Raises:
            ValueError: the stream is not finished (the message says how many experiences are).
        """
        T = self.matrix.shape[0]
        if T == 0 or self.completed() < T:
            raise ValueError(
                f"ContinualMetrics: only {self.completed()} of {T} experiences are finished"
            )
        return self.summary_after(T - 1)

    def record(self) -> dict[str, Any]:
        """One record in the shape of ``forgetless compare``'s results (see forgetless.report).

        Raises:
            ValueError: the stream is not finished.
        """
        out: dict[str, Any] = {**self.label, "seed": self.seed}
        out["accuracy_matrix"] = self.matrix.tolist()
        out["baseline_accuracy"] = self.baseline.tolist()
        out.update(self.summary())
        out.update(self._task_record(), **self._activation_record())
        out["learned"] = bool(out["la"] >= self.la_threshold)
        out.update(train_seconds=self.train_seconds, peak_memory_mb=None, error=None)
        return out

    def _task_record(self) -> dict[str, Any]:
        if not bool(torch.isfinite(self.task_matrix).all()):  # outputs were class indices
            return {"accuracy_matrix_task": None, **dict.fromkeys(TASK_KEYS)}
        return {"accuracy_matrix_task": self.task_matrix.tolist(), **task_summary(self.task_matrix)}

    def _activation_record(self) -> dict[str, Any]:
        from forgetless.activations.resolved import activation_record

        try:
            return activation_record(self.label["activation"], **self.activation_params)
        except ValueError:  # a label that names no registered activation
            return {"activation_params": None, "activation_paper_differences": {}}

    def _log(self, trainer: pl.Trainer, k: int) -> None:
        baseline = None if bool(torch.isnan(self.baseline).any()) else self.baseline
        scalars = experience_scalars(self.matrix, baseline, k, self.task_matrix)
        self._send(trainer, scalars, trainer.global_step, save=True)

    @rank_zero_only
    def _send(self, trainer: pl.Trainer, scalars: dict[str, Any], step: int, save: bool) -> None:
        metrics = {name: float(value) for name, value in scalars.items()}
        for logger in trainer.loggers:
            logger.log_metrics(metrics, step=step)
            if save:
                logger.save()

    @rank_zero_only
    def _plot(self, final: bool) -> None:
        if self.plot_dir is None:
            return
        self.plot_dir.mkdir(parents=True, exist_ok=True)
        k = self.completed() - 1
        partial = {**self.label, "seed": self.seed}
        partial["accuracy_matrix"] = self.matrix.nan_to_num(0.0).tolist()
        partial["acc"] = self.summary_after(k)["acc"]
        title = f"Lightning continual run: {_run_label(self.label)}, seed {self.seed}"
        plot_heatmaps(self.plot_dir / HEATMAP_FILE, [partial], title=title)
        if final:
            rows = aggregate([self.record()], la_threshold=self.la_threshold)
            plot_bars(self.plot_dir / BARS_FILE, rows, title=title, la_threshold=self.la_threshold)

    # -- checkpoint ---------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        return {
            "matrix": self.matrix.clone(),
            "task_matrix": self.task_matrix.clone(),
            "baseline": self.baseline.clone(),
            "train_seconds": self.train_seconds,
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        matrix, baseline = state_dict["matrix"], state_dict["baseline"]
        if self.matrix.numel() and matrix.shape != self.matrix.shape:
            raise ValueError(
                f"ContinualMetrics: checkpoint accuracy matrix is {tuple(matrix.shape)}, this "
                f"run's is {tuple(self.matrix.shape)}"
            )
        self.matrix = matrix.clone().to(torch.float64)
        self.baseline = baseline.clone().to(torch.float64)
        task = state_dict.get("task_matrix")  # absent from checkpoints made before it existed
        self.task_matrix = (
            torch.full_like(self.matrix, math.nan) if task is None else task.clone().double()
        )
        self.train_seconds = float(state_dict["train_seconds"])


def _run_label(label: dict[str, str]) -> str:
    return cell_label(
        label.get("rule", BACKPROP),
        label.get("activation", "relu"),
        label.get("strategy", "lightning"),
    )
