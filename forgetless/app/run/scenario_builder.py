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
from forgetless.scenarios import CorruptDataFileError, LoadedDataset, Scenario, load_dataset
from forgetless.scenarios.cifar_files import CIFAR, load_cifar
from forgetless.scenarios.permuted import permuted_from_loaded
from forgetless.scenarios.split import class_groups, split_from_loaded
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
    """One scenario per seed (``section.seed + seed`` fixes sample order and permutations)."""
    try:
        loaded = _load(section)
        data = loaded.data
        per_scenario = data.train_labels.numel() + data.test_labels.numel()
        if section.name == "permuted_mnist":
            per_scenario *= section.n_experiences
        check_stream_size(per_scenario, len(seeds))
        return {seed: _build(section, seed, loaded) for seed in seeds}
    except (ConfigError, CorruptDataFileError):
        raise  # already one line naming the key, or the file
    except ValueError as error:
        raise _config_error(error, section) from None


def _load(section: DictConfig) -> LoadedDataset:
    """The dataset of ``section.name``: CIFAR from its files, else MNIST / Fashion-MNIST."""
    cifar = section.name.removeprefix("split_")
    if cifar in CIFAR:
        return load_cifar(cifar, source=section.source, root=section.root)
    dataset = "fashion_mnist" if section.name == "split_fashion_mnist" else "mnist"
    return load_dataset(dataset, source=section.source, root=section.root)


def _build(section: DictConfig, seed: int, loaded: LoadedDataset) -> Scenario:
    seed = section.seed + seed
    scenario = hold_out(_build_all(section, seed, loaded), section.validation_fraction, seed)
    return evaluate_on(scenario, section.evaluate_on)


def _build_all(section: DictConfig, seed: int, loaded: LoadedDataset) -> Scenario:
    """The scenario with all its training data (``seed``: the scenario's own)."""
    if section.name == "permuted_mnist":
        return permuted_from_loaded(
            loaded, section.n_experiences, seed, task_incremental=section.task_incremental
        )
    order = section.class_order
    order = None if order is None else list(OmegaConf.to_container(order))
    num_classes = CIFAR[loaded.name][0] if loaded.name in CIFAR else 10
    classes = class_groups(section.n_experiences, order, num_classes=num_classes)
    return split_from_loaded(
        loaded, classes, seed, section.task_incremental, normalize=True, num_classes=num_classes
    )


def build_scenario(section: DictConfig, seed: int) -> Scenario:
    """The scenario named in ``section`` for one ``seed`` (see :func:`build_scenarios`)."""
    return build_scenarios(section, [seed])[seed]
