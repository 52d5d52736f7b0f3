"""Build the :class:`~forgetless.scenarios.Scenario` of each seed from a config's ``scenario``.

The data are loaded once and shared by the seeds' scenarios (they differ only in sample order
and permutations). With ``scenario.validation_fraction`` f > 0 each scenario holds out f of its
training data (:func:`~forgetless.scenarios.validation.hold_out`, seeded like the sample order),
and with ``scenario.evaluate_on=validation`` its evaluation stream is that validation split.
Before the first cell runs, the data are checked against the scenario: every experience must
have training and test samples (an IDX folder holding only some classes is refused), and the
scenarios of all seeds must stay within :data:`~forgetless.app.configs.limits.MAX_INDEXED_SAMPLES`.
A bad argument is a :class:`~forgetless.app.configs.ConfigError` naming the ``scenario.*`` key.
"""

from __future__ import annotations

from collections.abc import Sequence

from omegaconf import DictConfig, OmegaConf

from forgetless.app.configs.limits import check_stream_size
from forgetless.app.configs.load import ConfigError
from forgetless.scenario_specs import ScenarioSpec, scenario_spec
from forgetless.scenarios import CorruptDataFileError, LoadedDataset, Scenario
from forgetless.scenarios.validation import evaluate_on, hold_out

# The core's argument names (first word of its ValueErrors) -> the config's keys.
_KEYS = {
    "n_tasks": "scenario.n_experiences",
    "n_experiences": "scenario.n_experiences",
    "class_order": "scenario.class_order",
    "root": "scenario.root",
    "source": "scenario.source",
    "name": "scenario.name",
    "seed": "scenario.seed",
    "validation_fraction": "scenario.validation_fraction",
    "evaluate_on": "scenario.evaluate_on",
}


def _config_error(error: ValueError, section: DictConfig) -> ConfigError:
    """``error`` as one line whose first word is the config key it is about."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    word, sep, rest = first.partition(":")
    if sep and word in _KEYS:
        return ConfigError(f"{_KEYS[word]}:{rest}")
    if sep and word == "data":
        key = "scenario.root" if section.root is not None else "scenario.source"
        return ConfigError(f"{key}:{rest}")
    return ConfigError(f"scenario: {first}")


def build_scenarios(section: DictConfig, seeds: Sequence[int]) -> dict[int, Scenario]:
    """One scenario per seed (``section.seed + seed`` fixes sample order and permutations).

    Raises:
        ConfigError: one line naming the ``scenario.*`` key (a bad argument, missing classes,
            too many indexed samples).
        CorruptDataFileError, DatasetUnavailableError: from the loader, naming the file.
    """
    try:
        spec = scenario_spec(section.name)
        loaded = spec.load(source=section.source, root=section.root)
        data = loaded.data
        per_scenario = data.train_labels.numel() + data.test_labels.numel()
        if spec.experiences_share_data:
            per_scenario *= section.n_experiences
        check_stream_size(per_scenario, len(seeds))
        return {seed: _build(section, spec, seed, loaded) for seed in seeds}
    except (ConfigError, CorruptDataFileError):
        raise  # already one line naming the key, or the file
    except ValueError as error:
        raise _config_error(error, section) from None


def _build(section: DictConfig, spec: ScenarioSpec, seed: int, loaded: LoadedDataset) -> Scenario:
    """The scenario of one seed (``section.seed + seed``), its validation split held out."""
    seed = section.seed + seed
    order = section.class_order
    order = None if order is None else list(OmegaConf.to_container(order))
    full = spec.build(loaded, section.n_experiences, seed, section.task_incremental, order)
    scenario = hold_out(full, section.validation_fraction, seed)
    return evaluate_on(scenario, section.evaluate_on)


def build_scenario(section: DictConfig, seed: int) -> Scenario:
    """The scenario named in ``section`` for one ``seed`` (see :func:`build_scenarios`)."""
    return build_scenarios(section, [seed])[seed]
