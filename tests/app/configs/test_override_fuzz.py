"""Property-based: any set of overrides is either a valid config or one ConfigError line naming a
key, never another exception, and validating writes nothing (issue 12, the systematic suite).

Budget: 250 random override sets plus 150 single-key numeric examples checked against the
documented bounds (about 12 s on two CPU cores; in-process, no subprocess per example).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fake_idx_data import write_fake_idx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from override_values import VALUES, ints, overrides

from forgetless.app.configs import CompareConfig, ConfigError, load_config, validate

SETTINGS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SECTIONS = {f for f in CompareConfig.__dataclass_fields__} | {"override", "config"}
# A value under one section can make a key of another invalid (documented cross-checks).
PARTNERS = {
    "scenario": {"strategies", "train", "seeds"},
    "privacy": {"strategies", "rules", "seeds"},
    "rules": {"strategies", "model", "rule_params"},
    "strategies": {"rules"},
    "model": {"rules"},
    "rule_params": {"model"},
    "activation_params": {"model"},
    "activations": {"model", "activation_params"},
    "train": {"privacy"},
    "seeds": {"scenario"},
}


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("fuzz")
    write_fake_idx(root / "idx")
    (root / "file").write_text("not a folder")
    return {
        "@IDX": str(root / "idx"),
        "@FILE": str(root / "file"),
        "@MISSING": str(root / "missing"),
        "@TMP": str(root / "out"),
    }


def concrete(items: tuple[str, ...], places: dict[str, str]) -> list[str]:
    out = []
    for item in items:
        for placeholder, path in places.items():
            item = item.replace(placeholder, path)
        out.append(item)
    return out


def section(key: str) -> str:
    """``strategy_params.ewc.mode`` -> ``strategy_params``; ``strategies (streaming mode)`` ->
    ``strategies``; ``seeds[0]`` -> ``seeds``."""
    return key.split(" ")[0].split(".")[0].split("[")[0].split("/")[0]


def check(items: list[str]) -> str | None:
    """Validate ``items``; None when valid, else the error's key, after checking the message."""
    try:
        validate(load_config(items))
    except ConfigError as error:
        message = str(error)
        assert message and "\n" not in message, message
        key = message.split(":")[0]
        given = {section(item.partition("=")[0]) for item in items}
        assert section(key) in SECTIONS | given, message  # a config key, or the unknown one given
        return key
    return None


@settings(max_examples=250, **SETTINGS)
@given(items=overrides)
def test_any_overrides_are_valid_or_one_line_naming_a_related_key(items, places):
    items = concrete(items, places)
    before = sorted(os.listdir(Path(places["@TMP"]).parent))
    key = check(items)
    if key is not None and not any(i.startswith("preset=") for i in items):
        given_sections = {section(i.partition("=")[0]) for i in items}
        related = given_sections.union(*(PARTNERS.get(s, set()) for s in given_sections))
        assert section(key) in related | {"override"}, (key, items)
    assert sorted(os.listdir(Path(places["@TMP"]).parent)) == before  # nothing written


BOUNDS = {
    "train.batch_size": lambda v: 1 <= v <= 2**20,
    "train.eval_batch_size": lambda v: 1 <= v <= 2**20,
    "train.epochs": lambda v: 1 <= v <= 1000,
    "scenario.n_experiences": lambda v: v in (1, 2, 5, 10),
    "scenario.seed": lambda v: 0 <= v <= 2**63 - 1,
    "strategy_params.replay.mem_size": lambda v: 1 <= v <= 10**6,
    "strategy_params.ewc.ewc_lambda": lambda v: 0 <= v <= 10**6,
    "strategy_params.si.si_lambda": lambda v: 0 <= v <= 10**6,
    "seeds": lambda v: 0 <= v <= 2**63 - 1,
}


@settings(max_examples=150, **SETTINGS)
@given(key=st.sampled_from(sorted(BOUNDS)), value=ints)
def test_numeric_keys_follow_their_documented_bounds(key, value):
    text = f"[{value}]" if key == "seeds" else str(value)
    refused = check([f"{key}={text}"])
    assert (refused is None) == BOUNDS[key](value), (key, value, refused)
    if refused is not None:
        assert refused == key


def test_every_fuzzed_key_exists():
    """The fuzzed keys are the config's keys (a renamed key would make the suite vacuous)."""
    defaults = load_config([])
    for key in VALUES:
        if key.startswith(("strategy_params", "rule_params", "activation_params", "bogus")):
            continue
        assert key == "preset" or key.split(".")[0] in defaults, key
