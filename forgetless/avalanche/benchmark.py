"""Convert a :class:`~forgetless.scenarios.scenario.Scenario` into an Avalanche benchmark.

Each experience becomes an Avalanche classification dataset that wraps the very same
:class:`~forgetless.scenarios.experience.ExperienceDataset` (same shared tensors, same order, same
normalisation), so ``benchmark.train_stream[i].dataset[j]`` equals ``scenario.train[i][j]``
apart from the task label Avalanche appends: Avalanche's strategies read a task label from every
mini-batch, so class-/domain-incremental scenarios get ``t = 0`` everywhere and task-incremental
ones ``t = i``. The benchmark is ``benchmark_from_datasets(train=…, test=…)`` decorated with
``with_classes_timeline`` (``classes_in_this_experience`` …) and ``with_task_labels``.

With ``online_experience_size=k`` the benchmark also holds ``train_online_stream``: Avalanche's
``split_online_stream`` over the train stream, in order (``shuffle=False``), with
``access_task_boundaries=False`` — the Avalanche counterpart of
:func:`forgetless.scenarios.streaming.stream_loader`. Like any Avalanche online stream it is a
generator: iterate it once.

Avalanche is imported here only, when converting; the rest of the scenarios package does not
need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forgetless.checks import check_int

if TYPE_CHECKING:
    from forgetless.scenarios.experience import ExperienceDataset
    from forgetless.scenarios.scenario import Scenario


def _avalanche_dataset(experience: ExperienceDataset, task_label: int) -> Any:
    from avalanche.benchmarks.utils.classification_dataset import (
        _make_taskaware_classification_dataset,
    )

    return _make_taskaware_classification_dataset(
        experience.with_task_label(None),
        task_labels=task_label,
        targets=experience.targets.tolist(),
    )


def to_avalanche(scenario: Scenario, online_experience_size: int | None = None) -> Any:
    """An Avalanche ``CLScenario`` with ``train_stream`` and ``test_stream`` holding the same data.

    Args:
        scenario: the scenario to convert.
        online_experience_size: if given (≥ 1), also build ``train_online_stream`` of
            experiences of this many samples, without task-boundary information.
    """
    from avalanche.benchmarks.scenarios import (
        CLScenario,
        benchmark_from_datasets,
        split_online_stream,
        with_classes_timeline,
        with_task_labels,
    )

    if online_experience_size is not None:
        check_int("online_experience_size", online_experience_size, 1)
    streams = {}
    for stream_name, experiences in (("train", scenario.train), ("test", scenario.test)):
        streams[stream_name] = [
            _avalanche_dataset(exp, index if scenario.task_incremental else 0)
            for index, exp in enumerate(experiences)
        ]
    benchmark = with_task_labels(with_classes_timeline(benchmark_from_datasets(**streams)))
    if online_experience_size is None:
        return benchmark
    online = split_online_stream(
        benchmark.train_stream,
        experience_size=online_experience_size,
        shuffle=False,
        access_task_boundaries=False,
    )
    return CLScenario([*benchmark.streams.values(), online])


def joint_experience(train_stream: Any) -> Any:
    """One Avalanche experience holding every experience of ``train_stream`` (their datasets
    concatenated, task labels kept): what an upper-bound cell trains on once, i.i.d. (the
    strategy's dataloader shuffles the union)."""
    from avalanche.benchmarks.scenarios import (
        benchmark_from_datasets,
        with_classes_timeline,
        with_task_labels,
    )
    from avalanche.benchmarks.utils.utils import concat_datasets

    union = concat_datasets([experience.dataset for experience in train_stream])
    joint = with_task_labels(with_classes_timeline(benchmark_from_datasets(train=[union])))
    return joint.train_stream[0]
