"""The points of a ``forgetless sweep``: ``--grid KEY=[v1,v2,...]`` options, expanded or sampled.

Each ``--grid`` names one config key (any key ``forgetless compare`` takes as ``key=value``) and
a YAML list of values, parsed exactly as compare parses a value (so ``model.hidden=[[1000],[4000]]``
gives the two values ``[1000]`` and ``[4000]``). The grid is the product of the lists, in the
order given (the last key varies fastest); ``--random N --seed S`` draws N distinct points of it
(a seeded ``random.Random(S).sample``, kept in grid order). A point is a list of ``key=value``
overrides that :func:`forgetless.app.configs.load_config` reads back to the same values.
Every failure is a :class:`~forgetless.app.configs.ConfigError` of one line starting with
``--grid`` (or ``--random``) and the key.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from omegaconf import OmegaConf

from forgetless.app.configs.load import ConfigError

#: Keys the sweep sets itself (or that do not define a configuration): not allowed in ``--grid``.
RESERVED = ("preset", "seeds", "resume", "scenario.evaluate_on", "output_dir", "run_name")
RESERVED_SECTIONS = ("launcher", "progress")
#: The most points a sweep runs without ``--random``.
MAX_POINTS = 1000


def _parse(key: str, text: str) -> Any:
    """``text`` read as compare reads the value of ``key=text``."""
    try:
        return OmegaConf.to_container(OmegaConf.from_dotlist([f"value={text}"]))["value"]
    except Exception as error:  # YAML errors, e.g. an unclosed bracket
        detail = " ".join(str(error).split())
        raise ConfigError(f"--grid {key}: could not parse {text!r} ({detail})") from None


def format_value(value: Any) -> str:
    """``value`` written as the right-hand side of a ``key=value`` override."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ",".join(format_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{format_value(v)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if _parse("value", text) == text else "'" + text.replace("'", "''") + "'"


def parse_grid(specs: Sequence[str]) -> list[tuple[str, list[Any]]]:
    """``["KEY=[v1,v2]", ...]`` as ``[(KEY, [v1, v2]), ...]``; refuses bad syntax in one line."""
    grid: list[tuple[str, list[Any]]] = []
    for spec in specs:
        key, sep, text = spec.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(
                f"--grid {spec!r}: expected KEY=[v1,v2,...], e.g. optimizer.lr=[0.1,0.2]"
            )
        if key in RESERVED or key.split(".")[0] in RESERVED_SECTIONS:
            raise ConfigError(f"--grid {key}: set by the sweep or its options; not a grid key")
        if any(key == seen for seen, _ in grid):
            raise ConfigError(f"--grid {key}: given twice; put all its values in one list")
        values = _parse(key, text.strip())
        if not isinstance(values, list) or not values:
            raise ConfigError(
                f"--grid {key}: expected a non-empty list [v1,v2,...], got {text.strip()!r}"
            )
        grid.append((key, values))
    return grid


def grid_size(grid: Sequence[tuple[str, list[Any]]]) -> int:
    """How many points the product of the lists has (1 for an empty grid)."""
    return math.prod(len(values) for _, values in grid)


def point(grid: Sequence[tuple[str, list[Any]]], index: int) -> list[str]:
    """The ``index``-th point of the product (last key fastest) as ``key=value`` overrides."""
    overrides = []
    for key, values in reversed(grid):
        index, digit = divmod(index, len(values))
        overrides.append(f"{key}={format_value(values[digit])}")
    return overrides[::-1]


def points(
    grid: Sequence[tuple[str, list[Any]]], sample: int | None = None, seed: int = 0
) -> list[list[str]]:
    """Every point of ``grid``, or ``sample`` of them drawn with ``seed`` (in grid order)."""
    total = grid_size(grid)
    if sample is None:
        if total > MAX_POINTS:
            raise ConfigError(
                f"--grid: {total} points; expected at most {MAX_POINTS} (sample them: --random N)"
            )
        return [point(grid, i) for i in range(total)]
    if not 1 <= sample <= total:
        raise ConfigError(f"--random: expected 1 to {total} (the grid's points), got {sample}")
    return [point(grid, i) for i in sorted(random.Random(seed).sample(range(total), sample))]
