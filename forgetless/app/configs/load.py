"""Build a :class:`~forgetless.app.configs.schema.CompareConfig` from a preset and ``key=value`` overrides.

Every failure raises :class:`ConfigError`, whose message is one line naming the key and what is
accepted, so the CLI can print it and exit with code 2 before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigKeyError, OmegaConfBaseException

from forgetless.app.configs.schema import CompareConfig, ScenarioConfig


class ConfigError(ValueError):
    """A configuration problem, described in one line that names the key."""


def available_presets() -> list[str]:
    """Names of the presets shipped in ``forgetless/configs/presets``."""
    folder = resources.files("forgetless.app.configs").joinpath("presets")
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def one_line(error: OmegaConfBaseException, fallback_key: str) -> str:
    """``error`` in one line that starts with the key it is about."""
    key = getattr(error, "full_key", None) or fallback_key
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, ConfigKeyError):
        return f"{key}: unknown key ({first})"
    return f"{key}: {first}"


def list_expected(cfg: DictConfig, key: str, value: object) -> str | None:
    """The one-line message for a scalar given to a list key (``loggers=wandb``), else None."""
    try:
        node = OmegaConf.select(cfg, key, throw_on_missing=False)
    except OmegaConfBaseException:
        return None
    if not OmegaConf.is_list(node) or isinstance(value, list | tuple):
        return None
    return f"{key}: expected a list, e.g. {key}=[{value}], got {value!r}"


def _check_strings(overrides: Sequence[str]) -> None:
    for index, item in enumerate(overrides):
        if not isinstance(item, str):
            raise ConfigError(f"overrides[{index}]: expected a 'key=value' string, got {item!r}")


def _split_overrides(overrides: Sequence[str]) -> tuple[str | None, list[str]]:
    _check_strings(overrides)
    preset = None
    rest = []
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"override {item!r}: expected key=value, e.g. seeds=[0,1,2]")
        if key.strip() == "preset":
            preset = value.strip()
        else:
            rest.append(item)
    return preset, rest


def load_config(overrides: Sequence[str] = ()) -> DictConfig:
    """Defaults, then ``presets/<preset>.yaml`` (``split_mnist`` unless ``preset=`` is given),
    then the overrides, in order; a preset's source follows its scenario
    (:func:`follow_scenario`). Raises :class:`ConfigError`."""
    preset, rest = _split_overrides(overrides)
    preset = CompareConfig.preset if preset is None else preset
    names = available_presets()
    if preset not in names:
        raise ConfigError(f"preset: expected one of {names}, got {preset!r}")
    cfg = OmegaConf.structured(CompareConfig)
    path = resources.files("forgetless.app.configs").joinpath("presets", f"{preset}.yaml")
    try:
        cfg = OmegaConf.merge(cfg, OmegaConf.create(path.read_text()))
    except OmegaConfBaseException as error:
        raise ConfigError(f"preset {preset}: {one_line(error, preset)}") from None
    cfg.preset = preset
    data = (cfg.scenario.name, cfg.scenario.root)
    cfg = apply_overrides(cfg, rest)
    return follow_scenario(cfg, data, sets_source(rest))


def sets_source(overrides: Sequence[str]) -> bool:
    """True when one of the (already applied) ``key=value`` overrides sets ``scenario.source``."""
    for item in overrides:
        key = item.partition("=")[0].strip()
        if key == "scenario.source":
            return True
        if key == "scenario":  # scenario={name: ..., source: ...}
            section = OmegaConf.from_dotlist([item]).get("scenario")
            if OmegaConf.is_dict(section) and "source" in section:
                return True
    return False


def follow_scenario(cfg: DictConfig, preset_data: tuple, source_set: bool) -> DictConfig:
    """A preset's ``scenario.source`` belongs to the preset's data: when the overrides change
    ``scenario.name`` or ``scenario.root`` (``preset_data`` is the preset's pair) and set no
    source, the source goes back to the schema's ``auto`` (the new data's own search); a source
    the user set is kept, and checked by :func:`~forgetless.app.configs.validate.validate`."""
    if not source_set and (cfg.scenario.name, cfg.scenario.root) != tuple(preset_data):
        cfg.scenario.source = ScenarioConfig.source
    return cfg


def apply_overrides(cfg: DictConfig, overrides: Sequence[str]) -> DictConfig:
    """``cfg`` with each ``key=value`` merged in order (``preset=`` is not accepted here)."""
    _check_strings(overrides)
    for item in overrides:
        key, sep, _ = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"override {item!r}: expected key=value, e.g. seeds=[0,1,2]")
        if key == "preset":
            raise ConfigError("preset: give the preset once, before the other overrides")
        try:
            cfg = OmegaConf.merge(cfg, OmegaConf.from_dotlist([item]))
        except OmegaConfBaseException as error:
            value = (
                OmegaConf.select(OmegaConf.from_dotlist([item]), key) if "[" not in key else None
            )
            raise ConfigError(list_expected(cfg, key, value) or one_line(error, key)) from None
        except Exception as error:  # YAML errors in the value, e.g. an unclosed bracket
            detail = " ".join(str(error).split())
            raise ConfigError(f"{key}: could not parse the value ({detail})") from None
    return cfg
