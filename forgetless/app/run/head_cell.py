"""Cells whose predictions come from a closed-form streaming head (:mod:`forgetless.heads`).

- A **reference head** (``references.heads``: ``slda_pixels``, ``ncm_pixels``, ``slda_random``,
  ``ncm_random``, ``slda_conv``, ``ncm_conv``): the head on the scenario's standardised inputs,
  on a fixed random ReLU map of ``references.random_features`` units, or on fixed random conv
  features (:class:`~forgetless.heads.RandomConvFeatures` at its defaults), drawn from the cell's
  seed; no network, one pass, one cell per seed.
- A **grid head** (``heads=[slda, ncm]``): the head reads the cell's model cut before its output
  layer (``model.features``), with the cell's activation; ``head.features`` says when that
  extractor is trained: ``init`` (never: random features), ``first_experience`` (by the cell's
  strategy on experience 1, then frozen), ``online`` (on every experience, the head reading each
  minibatch of the last epoch after its update, :class:`~forgetless.avalanche.stream_head.StreamHeadPlugin`).

Either way, after each experience every experience is evaluated through the head; the head reads
each experience once (:class:`~forgetless.avalanche.stream_head.StreamHeadStrategy`), so R is an
ordinary accuracy matrix. There is no untrained baseline (a head with no class seen predicts
nothing): FWT is null.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from omegaconf import DictConfig

from forgetless.app.configs.heads_check import REFERENCE_HEADS
from forgetless.app.run.cell import Cell, build_strategy, resolve_device, section_params
from forgetless.app.run.memory import PeakMemory
from forgetless.app.run.rule_settings import rule_settings
from forgetless.scenarios import Scenario


def make_head(kind: str, num_features: int, num_classes: int, shrinkage: float) -> Any:
    """A fresh ``slda`` (:class:`~forgetless.heads.StreamingLDA`) or ``ncm`` head."""
    from forgetless.heads import NearestClassMean, StreamingLDA

    if kind == "slda":
        return StreamingLDA(num_features, num_classes, shrinkage=shrinkage)
    return NearestClassMean(num_features, num_classes)


def _reference_head(cfg: DictConfig, cell: Cell, scenario: Scenario) -> Any:
    from forgetless.heads import HeadOnFeatures, RandomConvFeatures, RandomReLUFeatures

    kind, reads = cell.head.split("_")
    width = int(np.prod(scenario.input_shape))
    extractor = None
    if reads == "random":
        extractor = RandomReLUFeatures(width, cfg.references.random_features, seed=cell.seed)
        width = cfg.references.random_features
    elif reads == "conv":  # issue 24's best map: 64 random 5 x 5 filters, ReLU, 4 x 4 max pool
        extractor = RandomConvFeatures(in_channels=scenario.input_shape[0], seed=cell.seed)
        width = int(np.prod(extractor(_example(scenario)).shape[1:]))
    head = make_head(kind, width, scenario.num_classes, cfg.references.shrinkage)
    return HeadOnFeatures(extractor, head)


def _grid_head(strategy: Any, cell: Cell, scenario: Scenario, cfg: DictConfig, swap: bool) -> Any:
    """The head on ``strategy``'s model cut before its output layer; ``swap``: put the cell's
    activation in now (a network that never trains never meets its ActivationPlugin)."""
    from forgetless.activations import swap_activations
    from forgetless.heads import HeadOnFeatures

    extractor = strategy.model.features  # the MLP / CNN cut before its output layer
    example = _example(scenario)
    if swap:
        params = section_params(cfg.activation_params, cell.activation)
        swap_activations(extractor, cell.activation, example_input=example, **params)
    width = int(np.prod(extractor(example).shape[1:]))
    head = make_head(cell.head, width, scenario.num_classes, cfg.head.shrinkage)
    return HeadOnFeatures(extractor, head)


def _example(scenario: Scenario) -> Any:
    import torch

    with torch.no_grad():
        return scenario.train[0][0][0].unsqueeze(0)


def run_head_cell(
    cfg: DictConfig,
    cell: Cell,
    scenario: Scenario,
    on_experience: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Train and evaluate ``cell`` (a reference head, or a grid head on the cell's model)."""
    from forgetless.avalanche import AccuracyMatrixPlugin, to_avalanche  # isort: skip
    from avalanche.training.determinism.rng_manager import RNGManager  # isort: skip

    from forgetless.avalanche.cl_strategies import quiet_evaluator
    from forgetless.avalanche.stream_head import StreamHeadPlugin, StreamHeadStrategy
    from forgetless.metrics import summarize

    RNGManager.set_random_seeds(cell.seed)
    device = resolve_device(cfg.train.device)
    T = len(scenario)
    recorder = AccuracyMatrixPlugin(T)
    mode = None if cell.head in REFERENCE_HEADS else cfg.head.features
    train_seconds = 0.0
    with PeakMemory(device) as memory:
        benchmark = to_avalanche(scenario)
        network = None
        if mode is None:
            model = _reference_head(cfg, cell, scenario)
        else:
            network, _ = build_strategy(cfg, cell, scenario, device, [])
            model = _grid_head(network, cell, scenario, cfg, swap=mode == "init")
        if mode == "online":
            network.plugins.append(StreamHeadPlugin(model))
            network.plugins.append(recorder)
            reader = network
        else:
            reader = StreamHeadStrategy(
                head=model,
                train_mb_size=cfg.train.eval_batch_size,  # any split gives the same statistics
                eval_mb_size=cfg.train.eval_batch_size,
                device=device,
                plugins=[recorder],
                evaluator=quiet_evaluator(),
            )
        for i, experience in enumerate(benchmark.train_stream):
            if on_experience is not None:
                on_experience(i, T)
            start = time.perf_counter()
            if mode == "first_experience" and i == 0:
                network.train(experience)  # then frozen: only the head reads the stream
            reader.train(experience)
            train_seconds += time.perf_counter() - start
            reader.eval(benchmark.test_stream)
    R, _ = recorder.matrix.matrix_and_baseline()
    training = None if mode is None else rule_settings(cfg, cell.rule, scenario).record()
    return {
        "evaluated_on": scenario.evaluated_on,
        "accuracy_matrix": R.tolist(),
        "baseline_accuracy": None,
        **summarize(R),
        "train_seconds": train_seconds,
        "peak_memory_mb": memory.peak_mb,
        "privacy": None,
        "training": training if mode is None else {**training, "head_features": mode},
    }
