"""The names and refusals of the heads axis (``heads``, ``head.*``) and of the reference rows
(``references.*``); what they mean: docs/heads.md."""

from __future__ import annotations

import math

from omegaconf import DictConfig

from forgetless.app.configs.load import ConfigError
from forgetless.app.configs.scenario_check import choice
from forgetless.strategy_specs import strategies_where

NO_HEAD = "none"  # the network's own output layer (= forgetless.report.labels.NO_HEAD)
GRID_HEADS = ("slda", "ncm")
REFERENCE_HEADS = (
    *("slda_pixels", "ncm_pixels", "slda_random", "ncm_random", "slda_conv", "ncm_conv"),
)
HEAD_FEATURES = ("init", "first_experience", "online")
HEADED_MODELS = (
    "mlp",
    "cnn",
    "random_conv",
)  # the kinds with a ``features`` part before the output layer
JOINT_STEPS = ("cumulative", "stream")  # references.joint_steps: the joint cell's step budget
MAX_RANDOM_FEATURES = 20_000  # a d x d float64 covariance of 3.2 GB


def _distinct(key: str, values: list[str], accepted: tuple[str, ...]) -> None:
    if len(set(values)) != len(values):
        raise ConfigError(f"{key}: expected distinct entries, got {values}")
    for name in values:
        choice(key, name, list(accepted))


def _shrinkage(key: str, value: float) -> None:
    if not (math.isfinite(value) and 0 < value <= 1):
        raise ConfigError(f"{key}: expected a number in (0, 1], got {value!r}")


def check_heads(cfg: DictConfig) -> None:
    """``heads``, ``head.*`` and ``references.*``, and the cells a grid head cannot join.

    Raises:
        ConfigError: one line naming the key (``heads``, ``head.features``, ...).
    """
    heads = list(cfg.heads)
    if not heads:
        raise ConfigError("heads: expected a non-empty list (none: the network's output layer)")
    _distinct("heads", heads, (NO_HEAD, *GRID_HEADS))
    _distinct("references.heads", list(cfg.references.heads), REFERENCE_HEADS)
    choice("references.joint_steps", cfg.references.joint_steps, list(JOINT_STEPS))
    choice("head.features", cfg.head.features, list(HEAD_FEATURES))
    _shrinkage("head.shrinkage", cfg.head.shrinkage)
    _shrinkage("references.shrinkage", cfg.references.shrinkage)
    width = cfg.references.random_features
    if not 1 <= width <= MAX_RANDOM_FEATURES:
        raise ConfigError(
            f"references.random_features: expected an integer in [1, {MAX_RANDOM_FEATURES:,}], "
            f"got {width}"
        )
    grid = [h for h in heads if h != NO_HEAD]
    if not grid:
        return
    local = [rule for rule in cfg.rules if rule != "backprop"]
    if local:
        raise ConfigError(
            f"heads: {grid} read a network cut before its output layer; rules {local} have none "
            "(run them with heads=[none])"
        )
    if cfg.model.kind not in HEADED_MODELS:
        raise ConfigError(
            f"heads: {grid} read model.features, which model.kind {cfg.model.kind!r} lacks; "
            f"expected one of {list(HEADED_MODELS)}"
        )
    if cfg.privacy.enabled:
        raise ConfigError(f"heads: {grid} keep exact class statistics, which DP-SGD does not cover")
    bounds = [s for s in cfg.strategies if s in strategies_where("upper_bound")]
    if bounds:
        raise ConfigError(
            f"heads: {grid} read the stream one experience at a time; strategies {bounds} train "
            "on all of it at once (the joint row is references.joint)"
        )
    frozen = {"init": "never trains", "first_experience": "trains on experience 1 only"}
    if cfg.head.features in frozen and list(cfg.strategies) != ["naive"]:
        raise ConfigError(
            f"heads: with head.features={cfg.head.features} the network "
            f"{frozen[cfg.head.features]}, where strategies {list(cfg.strategies)} act like "
            "naive; expected strategies=[naive] (or head.features=online)"
        )
