"""``forgetless.compare(...)``: the ``forgetless compare`` command as a Python function.

    import forgetless
    results = forgetless.compare(preset="split_mnist", activations=["relu", "hard_ash"],
                                 seeds=[0], train={"epochs": 1}, output_dir="runs")
    results["cells"][0]["acc"]

Keyword arguments are the config's top-level keys; a nested section is a dict (``train={...}``)
and may also be written as a dotted string in ``overrides`` (``overrides=["train.epochs=2"]``,
exactly as on the command line, applied last). Numpy scalars and arrays are accepted where a
number or a list is. The return value is the dict that the run's ``results.json`` holds, plus
``results["rows"]`` (mean ± std over the seeds per row) and ``results["run_dir"]`` (the run
folder). A bad value raises :class:`~forgetless.app.configs.ConfigError` (one line naming the
key) before anything is written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException


def _plain(value: Any) -> Any:
    """``value`` with numpy scalars and arrays (and tuples) as Python numbers and lists."""
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _dotted(prefix: str, value: Any) -> list[tuple[str, Any]]:
    """``{"train": {"epochs": 2}}`` → ``[("train.epochs", 2)]`` (lists stay whole)."""
    if isinstance(value, Mapping) and value:
        pairs = []
        for key, inner in value.items():
            pairs.extend(_dotted(f"{prefix}.{key}", inner))
        return pairs
    return [(prefix, value)]


def build_config(preset: str | None = None, overrides: Sequence[str] = (), **keys: Any) -> Any:
    """The validated config of ``compare(preset, overrides, **keys)`` (a ``DictConfig``)."""
    from forgetless.app.configs import ConfigError, load_config, validate
    from forgetless.app.configs.load import follow_scenario, list_expected, sets_source

    if isinstance(overrides, str):
        raise ConfigError("overrides: expected a list of 'key=value' strings, got one string")
    cfg = load_config([] if preset is None else [f"preset={preset}"])
    data = (cfg.scenario.name, cfg.scenario.root)
    pairs = [pair for top, value in keys.items() for pair in _dotted(top, _plain(value))]
    for key, inner in pairs:
        try:
            OmegaConf.update(cfg, key, inner, merge=True, force_add=False)
        except OmegaConfBaseException as error:
            first = str(error).strip().splitlines()[0]
            raise ConfigError(list_expected(cfg, key, inner) or f"{key}: {first}") from None
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise ConfigError(f"{key}: {error}") from None
    if overrides:
        # Reuse the command line's parser for the dotted strings (same errors, same types).
        from forgetless.app.configs.load import apply_overrides

        cfg = apply_overrides(cfg, list(overrides))
    source_set = any(key == "scenario.source" for key, _ in pairs) or sets_source(overrides)
    validate(follow_scenario(cfg, data, source_set))
    return cfg


def _pair(value: Any) -> Any:
    """A ``(mean, std)`` pair of the table as ``{"mean": ..., "std": ...}`` (NaN → None)."""
    if isinstance(value, tuple) and len(value) == 2:
        return {
            k: v if math.isfinite(v) else None for k, v in zip(("mean", "std"), value, strict=True)
        }
    return value


def rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per (rule, activation, strategy[, head]) of ``results["cells"]``: each metric's
    mean and (sample) standard deviation over the seeds that finished, ``seeds``, ``errors``
    and ``learned``, best ACC first (:func:`forgetless.report.aggregate`)."""
    from forgetless.report import aggregate

    table = aggregate(results["cells"], la_threshold=results.get("la_threshold"))
    return [{key: _pair(value) for key, value in row.items()} for row in table]


def compare(preset: str | None = None, overrides: Sequence[str] = (), **keys: Any) -> dict:
    """Run a comparison grid like ``forgetless compare``: the contract is
    :func:`forgetless.compare`'s docstring."""
    from forgetless.app.configs.extras_check import require_avalanche_door

    require_avalanche_door("forgetless.compare")
    from forgetless.app.run.compare import run_compare

    cfg = build_config(preset, overrides, **keys)
    run_dir = run_compare(cfg, echo=lambda _line: None)
    results = json.loads((run_dir / "results.json").read_text())
    results["rows"] = rows(results)
    results["run_dir"] = str(run_dir)
    return results
