"""One cell of a comparison grid: one activation, rule, strategy and seed, trained through the
Avalanche door experience by experience, evaluated on every experience after each one."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from omegaconf import DictConfig, OmegaConf

from forgetless.app.configs.grid_check import check_rule_cells
from forgetless.app.run.loggers import cell_evaluator
from forgetless.app.run.memory import PeakMemory
from forgetless.app.run.rule_settings import rule_settings
from forgetless.models import build_model
from forgetless.optim import build_optimizer
from forgetless.report.labels import NO_HEAD, cell_label
from forgetless.rules import BACKPROP, build_rule
from forgetless.scenarios import Scenario


@dataclass(frozen=True)
class Cell:
    """Coordinates of one run in the grid. ``head``: ``none`` (the network's own output layer),
    a grid head (``slda``, ``ncm``) or a reference head (``slda_pixels``, ...; its activation,
    rule and strategy are :data:`~forgetless.report.labels.REFERENCE`)."""

    activation: str
    rule: str
    strategy: str
    seed: int
    head: str = NO_HEAD

    @property
    def label(self) -> str:
        return cell_label(self.rule, self.activation, self.strategy, self.head)

    @classmethod
    def of(cls, record: dict[str, Any]) -> Cell:
        """The coordinates a cell's record carries (``head`` absent in older records: none)."""
        head = record.get("head") or NO_HEAD
        return cls(record["activation"], record["rule"], record["strategy"], record["seed"], head)


def resolve_device(name: str) -> str:
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return name


def section_params(section: DictConfig, name: str) -> dict[str, Any]:
    """``section[name]`` as a plain dict ({} when absent)."""
    return dict(OmegaConf.to_container(section[name])) if name in section else {}


def _optimizer_plugins(cfg: DictConfig) -> list[Any]:
    from forgetless.avalanche import KeepOptimizerState, UpdateClip

    plugins: list[Any] = []
    if cfg.train.keep_optimizer_state:
        plugins.append(KeepOptimizerState())
    if cfg.train.update_clip is not None:
        plugins.append(UpdateClip(cfg.train.update_clip))
    return plugins


def build_rule_strategy(
    cfg: DictConfig,
    cell: Cell,
    scenario: Scenario,
    device: str,
    plugins: list[Any],
    evaluator: Any = None,
) -> Any:
    """A backprop-free rule (Forward-Forward, Mono-Forward, NoProp, ...) on an MLP of
    ``model.hidden`` with the cell's activation, trained by :class:`RuleStrategy` at the rule's
    recipe and the config's overrides (:func:`~forgetless.app.run.rule_settings.rule_settings`).
    Replay works (it changes the data); a loss-penalty strategy (EWC, SI, LwF) cannot act on a
    local rule's update, so such a cell is refused (:mod:`forgetless.app.configs.grid_check`).

    Raises:
        ConfigError: a cell the grid check refuses.
    """
    from forgetless.avalanche.cl_strategies import quiet_evaluator, strategy_plugins
    from forgetless.avalanche.rule_strategy import RuleStrategy

    check_rule_cells([cell.rule], [cell.strategy], cfg.model.kind)
    settings = rule_settings(cfg, cell.rule, scenario)
    rule = build_rule(
        cell.rule,
        in_features=int(np.prod(scenario.input_shape)),
        num_classes=scenario.num_classes,
        hidden=list(cfg.model.hidden),
        activation=cell.activation,
        activation_params=section_params(cfg.activation_params, cell.activation),
        **settings.params,
    )
    optimizer = build_optimizer(rule, **settings.optimizer)
    params = section_params(cfg.strategy_params, cell.strategy)
    plugins = [*plugins, *strategy_plugins(cell.strategy, params)]
    return RuleStrategy(
        rule=rule,
        optimizer=optimizer,
        train_mb_size=cfg.train.batch_size,
        train_epochs=settings.epochs,
        eval_mb_size=cfg.train.eval_batch_size,
        device=device,
        plugins=[*plugins, *_optimizer_plugins(cfg)],
        evaluator=quiet_evaluator() if evaluator is None else evaluator,
        train_logits=False,
    )


def build_strategy(
    cfg: DictConfig,
    cell: Cell,
    scenario: Scenario,
    device: str,
    plugins: list[Any],
    evaluator: Any = None,
) -> tuple[Any, Any]:
    """What a user would write: a model with ReLU modules, an optimizer, an Avalanche strategy,
    and the forgetless plugins that swap the activation and apply the optimizer options.

    ``evaluator``: the strategy's ``EvaluationPlugin`` (None: a silent one).
    Returns ``(strategy, privacy_plugin)``; the second is None unless ``privacy.enabled``."""
    from forgetless.avalanche import ActivationPlugin
    from forgetless.avalanche.cl_strategies import build_cl_strategy, quiet_evaluator

    if evaluator is None:
        evaluator = quiet_evaluator()
    if cell.rule != BACKPROP:
        return build_rule_strategy(cfg, cell, scenario, device, plugins, evaluator), None

    model = build_model(
        cfg.model.kind,
        input_shape=scenario.input_shape,
        num_classes=scenario.num_classes,
        hidden=list(cfg.model.hidden),
        bias=cfg.model.bias,
        normalized=cfg.model.normalized,
        seed=cell.seed,  # random_conv's filters, drawn as forgetless.heads.RandomConvFeatures'
    )
    settings = rule_settings(cfg, BACKPROP, scenario)  # the shared sections + rule_train.backprop
    optimizer = build_optimizer(model, **settings.optimizer)
    act_params = section_params(cfg.activation_params, cell.activation)
    plugins = [ActivationPlugin(cell.activation, **act_params), *plugins, *_optimizer_plugins(cfg)]
    common = {
        "train_mb_size": cfg.train.batch_size,
        "train_epochs": settings.epochs,
        "eval_mb_size": cfg.train.eval_batch_size,
        "device": device,
        **section_params(cfg.strategy_params, cell.strategy),
    }
    if cfg.privacy.enabled:
        from forgetless.app.configs.validate import privacy_settings
        from forgetless.avalanche.private_strategy import make_private_strategy

        return make_private_strategy(
            cell.strategy,
            model,
            optimizer,
            privacy=privacy_settings(cfg),
            experience_sizes=[len(d) for d in scenario.train],
            plugins=plugins,
            evaluator=evaluator,
            seed=cell.seed,
            **common,
        )
    strategy = build_cl_strategy(
        cell.strategy,
        model,
        optimizer,
        plugins=plugins,
        evaluator=evaluator,
        input_shape=tuple(scenario.input_shape),  # GSS's memory
        **common,
    )
    return strategy, None


def _skip_eval_draws(n: int) -> None:
    """Draw from torch's generator as ``n`` skipped evaluations would have (each evaluated
    experience's DataLoader draws its base seed once), so that ``train.evaluate=current``
    trains on the same random stream as ``all`` (tested)."""
    for _ in range(n):
        torch.empty((), dtype=torch.int64).random_()


def plasticity_monitor(cfg: DictConfig, scenario: Scenario) -> Any:
    """The cell's :class:`~forgetless.avalanche.PlasticityMonitorPlugin` with
    ``monitors.plasticity`` (None without): probed on the first ``monitors.probe_size``
    training inputs of the experience being trained."""
    if not cfg.monitors.plasticity:
        return None
    from forgetless.avalanche import PlasticityMonitorPlugin

    size = cfg.monitors.probe_size

    def probe(index: int) -> torch.Tensor:
        return scenario.train[index].inputs(slice(0, size))

    return PlasticityMonitorPlugin(probe, every_n_steps=cfg.monitors.every_n_steps)


def streaming_accuracy(cfg: DictConfig, scenario: Scenario) -> Any:
    """The cell's :class:`~forgetless.avalanche.StreamingAccuracyPlugin` with
    ``monitors.streaming_accuracy`` (None without), on the scenario's evaluation stream."""
    if not cfg.monitors.streaming_accuracy:
        return None
    from forgetless.avalanche import StreamingAccuracyPlugin

    every = cfg.monitors.anytime_every_n_steps
    return StreamingAccuracyPlugin(scenario.test, every, cfg.train.eval_batch_size)


def run_cell(
    cfg: DictConfig,
    cell: Cell,
    scenario: Scenario,
    on_experience: Callable[[int, int], None] | None = None,
    log_root: Path | None = None,
) -> dict[str, Any]:
    """Train ``cell`` on ``scenario``; return its accuracy matrix, summary, time and memory.

    The untrained model is evaluated first (the baseline ``b`` of FWT); then for each experience
    ``i``: ``train(exp_i)`` and ``eval(test_stream)``, as Avalanche expects for its own metrics;
    with ``train.evaluate=current``, ``eval`` of experience ``i`` only, and of the whole stream
    after the last one (the matrix's other entries stay NaN, docs/plasticity.md).
    ``train_seconds`` counts the ``train`` calls only; ``peak_memory_mb`` is over the whole cell
    (see :class:`~forgetless.app.run.memory.PeakMemory`). The "test stream" is the scenario's
    evaluation stream: its validation split with ``scenario.evaluate_on=validation``, as the
    record's ``evaluated_on`` says. With ``log_root`` and a non-empty
    ``cfg.loggers`` the cell also logs under ``log_root`` (:mod:`forgetless.app.run.loggers`).

    A joint cell (an ``upper_bound`` strategy) runs :func:`~forgetless.app.run.joint_cell.run_joint_cell`,
    a cell with a head :mod:`forgetless.app.run.head_cell`'s runners. Avalanche's own deprecation
    notices are dropped (:mod:`forgetless.avalanche.quiet_warnings`).
    """
    from forgetless.avalanche.quiet_warnings import avalanche_deprecations_hidden

    with avalanche_deprecations_hidden():
        return _run_cell(cfg, cell, scenario, on_experience, log_root)


def _run_cell(
    cfg: DictConfig,
    cell: Cell,
    scenario: Scenario,
    on_experience: Callable[[int, int], None] | None,
    log_root: Path | None,
) -> dict[str, Any]:
    from forgetless.strategy_specs import strategy_spec

    if cell.head != NO_HEAD:
        from forgetless.app.run.head_cell import run_head_cell

        return run_head_cell(cfg, cell, scenario, on_experience)
    if strategy_spec(cell.strategy).upper_bound:
        from forgetless.app.run.joint_cell import run_joint_cell

        return run_joint_cell(cfg, cell, scenario, on_experience)
    # The door first: it installs its warning filters before Avalanche is imported.
    from forgetless.avalanche import AccuracyMatrixPlugin, task_mask_plugins, to_avalanche  # isort: skip
    from avalanche.training.determinism.rng_manager import RNGManager  # isort: skip

    from forgetless.activations.resolved import activation_record

    # torchmetrics: only where cells run (worker import)
    from forgetless.metrics.summary import plasticity_summary, summarize_measured
    from forgetless.plasticity.history import monitor_record

    RNGManager.set_random_seeds(cell.seed)  # random, numpy, torch (CPU and CUDA)
    device = resolve_device(cfg.train.device)
    T = len(scenario)
    recorder = AccuracyMatrixPlugin(T, scenario.classes, scenario.num_classes)
    train_seconds = 0.0
    logging = cell_evaluator(cfg, cell, scenario, recorder, log_root)
    monitor, streaming = plasticity_monitor(cfg, scenario), streaming_accuracy(cfg, scenario)
    watchers = [plugin for plugin in (monitor, streaming) if plugin is not None]
    plugins = [*task_mask_plugins(scenario, cell.rule), recorder, *watchers]
    with PeakMemory(device) as memory, logging as evaluator:
        strategy, privacy = build_strategy(cfg, cell, scenario, device, plugins, evaluator)
        benchmark = to_avalanche(scenario)
        strategy.eval(benchmark.test_stream)
        for i, experience in enumerate(benchmark.train_stream):
            if on_experience is not None:
                on_experience(i, T)
            start = time.perf_counter()
            strategy.train(experience)
            train_seconds += time.perf_counter() - start
            if cfg.train.evaluate == "current" and i < T - 1:
                strategy.eval([benchmark.test_stream[i]])
                _skip_eval_draws(T - 1)
            else:
                strategy.eval(benchmark.test_stream)
    R, baseline = recorder.matrix.matrix_and_baseline()
    monitored = {} if monitor is None else monitor_record(monitor.history, T)
    if streaming is not None:
        monitored["prequential_acc"] = streaming.prequential.value
        monitored["anytime_accuracy"] = [list(point) for point in streaming.anytime]
    return {
        "evaluated_on": scenario.evaluated_on,
        "accuracy_matrix": R.tolist(),
        "baseline_accuracy": None if baseline is None else baseline.tolist(),
        **summarize_measured(R, baseline),
        **plasticity_summary(R),
        **monitored,
        **recorder.task_record(),
        **activation_record(
            cell.activation, **section_params(cfg.activation_params, cell.activation)
        ),
        "train_seconds": train_seconds,
        "peak_memory_mb": memory.peak_mb,
        "privacy": None if privacy is None else privacy.ledger.report(),
        "training": rule_settings(cfg, cell.rule, scenario).record(),
    }
