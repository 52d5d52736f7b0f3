"""Permuted-MNIST: every experience is all of MNIST under its own fixed pixel permutation.

From "An Empirical Investigation of Catastrophic Forgetting in Gradient-Based Neural Networks"
(Goodfellow, Mirza, Xiao, Courville, Bengio, 2013), made popular by "Overcoming catastrophic
forgetting in neural networks" (Kirkpatrick et al., PNAS 2017). Experience ``i`` maps an image to
``x_perm[j] = x[π_i[j]]`` over its 784 flattened pixels, before normalisation; all ten classes
appear in every experience (domain-incremental, or task-incremental with ``t = i``).

Permutations, sample order, memory and empty data: docs/scenarios.md.
"""

from __future__ import annotations

import os

import torch

from forgetless.checks import check_int, check_seed
from forgetless.scenario_specs import MAX_PERMUTED_TASKS, ScenarioSpec, scenario_spec
from forgetless.scenarios.experience import ExperienceDataset, check_non_empty, seeded_shuffle
from forgetless.scenarios.idx_folder import NUM_CLASSES
from forgetless.scenarios.scenario import Scenario
from forgetless.scenarios.sources import LoadedDataset

NUM_PIXELS = 28 * 28


def pixel_permutations(n_tasks: int, seed: int, first_identity: bool) -> list[torch.Tensor]:
    """``n_tasks`` seeded permutations of the 784 pixels (task 0 identity if asked)."""
    generator = torch.Generator().manual_seed(seed)
    permutations = [torch.randperm(NUM_PIXELS, generator=generator) for _ in range(n_tasks)]
    if first_identity:
        permutations[0] = torch.arange(NUM_PIXELS)
    return permutations


def permuted_mnist(
    n_tasks: int = 10,
    seed: int = 0,
    task_incremental: bool = False,
    source: str = "auto",
    root: str | os.PathLike | None = None,
    *,
    first_identity: bool = False,
    normalize: bool = True,
) -> Scenario:
    """Permuted-MNIST with ``n_tasks`` experiences.

    Args:
        n_tasks: experiences, 1 to :data:`~forgetless.scenario_specs.MAX_PERMUTED_TASKS`.
        seed: the permutations and the training samples' order.
        task_incremental: items are ``(x, y, t)`` with ``t`` the experience index.
        source, root: where MNIST comes from (:func:`~forgetless.scenarios.sources.load_dataset`;
            default: the embedded 5,000-digit sample).
        first_identity: task 0 is the unpermuted data.
        normalize: standardise the inputs with MNIST's mean and std.

    Raises:
        ValueError: one line naming the argument, or data without training or test samples.
        DatasetUnavailableError, CorruptDataFileError: from the loader.
    """
    check_int("n_tasks", n_tasks, 1, MAX_PERMUTED_TASKS)
    seed = check_seed(seed)
    loaded = scenario_spec("permuted_mnist").load(source=source, root=root)
    return permuted_from_loaded(loaded, n_tasks, seed, task_incremental, first_identity, normalize)


def permuted_from_loaded(
    loaded: LoadedDataset,
    n_tasks: int,
    seed: int,
    task_incremental: bool = False,
    first_identity: bool = False,
    normalize: bool = True,
) -> Scenario:
    """Build Permuted-MNIST with ``n_tasks`` experiences of already loaded data."""
    check_int("n_tasks", n_tasks, 1, MAX_PERMUTED_TASKS)
    data = loaded.data
    permutations = pixel_permutations(n_tasks, seed, first_identity)
    order_generator = torch.Generator().manual_seed(seed)
    all_train = torch.arange(data.train_labels.shape[0])
    all_test = torch.arange(data.test_labels.shape[0])
    train, test = [], []
    for index, permutation in enumerate(permutations):
        task = index if task_incremental else None
        rows = seeded_shuffle(all_train, order_generator)
        train.append(
            ExperienceDataset(
                data.train_images,
                rows,
                data.train_labels[rows],
                loaded.mean,
                loaded.std,
                normalize,
                permutation,
                task,
            )
        )
        test.append(
            ExperienceDataset(
                data.test_images,
                all_test,
                data.test_labels,
                loaded.mean,
                loaded.std,
                normalize,
                permutation,
                task,
            )
        )
    check_non_empty(train, test, loaded.origin)
    return Scenario(
        name="permuted_mnist",
        train=train,
        test=test,
        classes=[list(range(NUM_CLASSES)) for _ in permutations],
        task_incremental=task_incremental,
        source=loaded.source,
        permutations=permutations,
    )


def permuted_from_config(
    spec: ScenarioSpec,
    loaded: LoadedDataset,
    n_experiences: int,
    seed: int,
    task_incremental: bool,
    class_order: list[int] | None,
) -> Scenario:
    """The registry's builder of Permuted-MNIST (see :meth:`ScenarioSpec.build`).

    Raises:
        ValueError: a ``class_order`` (every experience holds all classes).
    """
    if class_order is not None:
        raise ValueError(f"class_order: applies to split scenarios, not {spec.name}")
    return permuted_from_loaded(loaded, n_experiences, seed, task_incremental=task_incremental)
