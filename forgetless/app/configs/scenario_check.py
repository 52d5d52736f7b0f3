"""Value checks of a compare config's ``scenario`` section (names, sources, classes, the
validation split), each failure one :class:`~forgetless.app.configs.load.ConfigError` line naming
the ``scenario.*`` key. Called by :func:`forgetless.app.configs.validate.validate`."""

from __future__ import annotations

import math
from typing import Any

from omegaconf import DictConfig

from forgetless.app.configs.load import ConfigError
from forgetless.app.configs.paths import check_scenario_root
from forgetless.scenario_specs import MNIST_SOURCES, SCENARIOS


def choice(key: str, value: Any, accepted: list[str] | tuple[str, ...]) -> None:
    """A ConfigError naming ``key`` unless ``value`` is one of ``accepted``."""
    if value not in accepted:
        raise ConfigError(f"{key}: expected one of {list(accepted)}, got {value!r}")


def check_scenario(sc: DictConfig) -> None:
    """Raise :class:`ConfigError` for the first invalid value of the ``scenario`` section.

    The names, classes and sources come from :data:`forgetless.scenario_specs.SCENARIOS`.

    Raises:
        ConfigError: one line naming the ``scenario.*`` key.
    """
    choice("scenario.name", sc.name, list(SCENARIOS))
    spec = SCENARIOS[sc.name]
    narrow = spec.sources != MNIST_SOURCES  # a scenario with fewer sources names itself
    source_key = f"scenario.source ({sc.name})" if narrow else "scenario.source"
    choice(source_key, sc.source, spec.sources)
    if sc.n_experiences < 1:
        raise ConfigError(
            f"scenario.n_experiences: expected an integer >= 1, got {sc.n_experiences}"
        )
    split = spec.splits_classes
    classes = spec.num_classes
    if split and classes % sc.n_experiences:
        divisors = ", ".join(str(d) for d in range(1, classes + 1) if classes % d == 0)
        raise ConfigError(
            f"scenario.n_experiences: expected a divisor of the {classes} classes ({divisors}), "
            f"got {sc.n_experiences}"
        )
    if sc.class_order is not None:
        order = list(sc.class_order)
        if not split:
            raise ConfigError(f"scenario.class_order: applies to split scenarios, not {sc.name}")
        if sorted(order) != list(range(classes)):
            raise ConfigError(
                f"scenario.class_order: expected a permutation of 0..{classes - 1} (or null), "
                f"got {order}"
            )
    _check_validation_split(sc)
    check_scenario_root(sc)
    if sc.source == "idx" and sc.root is None:
        raise ConfigError("scenario.root: scenario.source=idx needs root=<folder of IDX files>")
    if sc.source == "embedded" and spec.dataset != "mnist":
        raise ConfigError(
            f"scenario.source: 'embedded' holds MNIST digits only; {sc.name} needs "
            "scenario.source=auto, idx (with scenario.root), debian or torchvision"
        )


def _check_validation_split(sc: DictConfig) -> None:
    """``validation_fraction`` in [0, 0.5); ``evaluate_on`` test | validation (the latter with
    a fraction > 0)."""
    fraction = sc.validation_fraction
    if not (math.isfinite(fraction) and 0 <= fraction < 0.5):
        raise ConfigError(
            f"scenario.validation_fraction: expected a number in [0, 0.5), got {fraction!r}"
        )
    choice("scenario.evaluate_on", sc.evaluate_on, ("test", "validation"))
    if sc.evaluate_on == "validation" and fraction == 0:
        raise ConfigError(
            "scenario.evaluate_on: 'validation' needs scenario.validation_fraction > 0 "
            "(e.g. 0.1), got 0"
        )
