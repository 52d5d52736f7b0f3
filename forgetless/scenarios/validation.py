"""Hold out a validation split from each experience's training data.

:func:`hold_out` returns the scenario whose ``train`` experiences keep a fraction ``1 − f`` of
their samples and whose ``validation`` experiences hold the rest; :func:`evaluate_on` returns the
scenario whose evaluation stream (``test``) is the validation one, so every loop that evaluates on
``scenario.test`` (the Avalanche door, the Lightning door) measures validation accuracy instead,
and ``scenario.evaluated_on`` says which stream it is.

Split by image and stratified by class, seeded by the scenario's seed; f = 0 returns the
scenario unchanged. The decisions: docs/scenarios.md.
"""

from __future__ import annotations

import math
from dataclasses import replace

import torch

from forgetless.scenarios.experience import ExperienceDataset
from forgetless.scenarios.scenario import Scenario

MAX_FRACTION = 0.5
STREAMS = ("test", "validation")


def check_fraction(fraction: object) -> float:
    """``fraction`` as a float in ``[0, 0.5)``; else a ValueError naming ``validation_fraction``."""
    ok = isinstance(fraction, int | float) and not isinstance(fraction, bool)
    if not ok or not math.isfinite(fraction) or not 0 <= fraction < MAX_FRACTION:
        raise ValueError(
            f"validation_fraction: expected a number in [0, {MAX_FRACTION}), got {fraction!r}"
        )
    return float(fraction)


def held_out_images(labels: torch.Tensor, fraction: float, seed: int) -> torch.Tensor:
    """A bool mask over the training images: True for the ``fraction`` held out, per class
    (images labelled −1, in no experience, are never held out)."""
    generator = torch.Generator().manual_seed(seed)
    mask = torch.zeros(labels.shape[0], dtype=torch.bool)
    for label in torch.unique(labels[labels >= 0]).tolist():
        rows = torch.nonzero(labels == label).flatten()
        rows = rows[torch.randperm(rows.numel(), generator=generator)]
        mask[rows[: round(fraction * rows.numel())]] = True
    return mask


def _part(experience: ExperienceDataset, keep: torch.Tensor) -> ExperienceDataset:
    rows = experience.rows[keep]
    return replace(experience, rows=rows, targets=experience.targets[keep])


def hold_out(scenario: Scenario, fraction: float, seed: int) -> Scenario:
    """``scenario`` with ``fraction`` of each experience's training data moved to ``validation``.

    All training experiences must index the same image tensor (true of every built-in scenario).
    """
    fraction = check_fraction(fraction)
    if fraction == 0:
        return scenario
    if scenario.validation is not None:
        raise ValueError("validation_fraction: this scenario already holds out a validation split")
    images = scenario.train[0].images
    if any(e.images is not images for e in scenario.train):
        raise ValueError("validation_fraction: the training experiences must share one image set")
    labels = torch.empty(images.shape[0], dtype=torch.long).fill_(-1)
    for experience in scenario.train:
        labels[experience.rows] = experience.targets
    held = held_out_images(labels, fraction, seed)
    train, validation = [], []
    for index, experience in enumerate(scenario.train):
        in_validation = held[experience.rows]
        train.append(_part(experience, ~in_validation))
        validation.append(_part(experience, in_validation))
        if len(train[-1]) == 0 or len(validation[-1]) == 0:
            part = "training" if len(train[-1]) == 0 else "validation"
            raise ValueError(
                f"validation_fraction: {fraction} leaves experience {index} "
                f"({len(experience)} samples) with no {part} samples"
            )
    return replace(scenario, train=train, validation=validation)


def evaluate_on(scenario: Scenario, stream: str) -> Scenario:
    """``scenario`` evaluated on ``stream`` (``test`` or ``validation``): for ``validation`` its
    ``test`` experiences become the validation ones and ``evaluated_on`` says so."""
    if stream not in STREAMS:
        raise ValueError(f"evaluate_on: expected one of {list(STREAMS)}, got {stream!r}")
    if stream == scenario.evaluated_on:
        return scenario
    if stream == "test":
        raise ValueError("evaluate_on: this scenario's test stream was replaced; rebuild it")
    if scenario.validation is None:
        raise ValueError(
            "evaluate_on: 'validation' needs a held-out split; set validation_fraction > 0"
        )
    return replace(scenario, test=scenario.validation, evaluated_on="validation")
