"""Permuted-MNIST: every experience is all of MNIST under its own fixed pixel permutation.

From "An Empirical Investigation of Catastrophic Forgetting in Gradient-Based Neural Networks"
(Goodfellow, Mirza, Xiao, Courville, Bengio, 2013), made popular by "Overcoming catastrophic
forgetting in neural networks" (Kirkpatrick et al., PNAS 2017). Experience ``i`` maps an image to
``x_perm[j] = x[π_i[j]]`` over its 784 flattened pixels, before normalisation; all ten classes
appear in every experience (domain-incremental, or task-incremental with ``t = i``).

Decisions:
- **Permutations.** Drawn with ``torch.randperm(784)`` from one generator seeded with ``seed``,
  one per experience in order, so the same seed gives the same tasks everywhere. **Every task is
  permuted by default** (as in Avalanche's ``PermutedMNIST``); ``first_identity=True`` makes task
  0 the unpermuted data (the later tasks keep the permutations they would have had otherwise).
  ``scenario.permutations[i]`` holds ``π_i``.
- **Sample order.** As in Split-MNIST: each training experience serves its samples in an order
  drawn from a second generator seeded with ``seed``; test data keep their order.
- **Memory.** Images stay uint8 and shared: permutations are applied on access. Each task still
  holds its own shuffled row indices (8 bytes per training sample), so ``n_tasks`` is at most
  :data:`MAX_TASKS`.
- **Empty data.** A dataset with no training or no test samples is refused (ValueError).
"""

from __future__ import annotations

import os

import torch

from forgetless.scenarios.arguments import (
    check_int,
    check_non_empty,
    check_seed,
    seeded_shuffle,
)
from forgetless.scenarios.experience import ExperienceDataset
from forgetless.scenarios.idx_folder import NUM_CLASSES
from forgetless.scenarios.scenario import Scenario
from forgetless.scenarios.sources import LoadedDataset, load_dataset

NUM_PIXELS = 28 * 28
MAX_TASKS = 100


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
    """Permuted-MNIST with ``n_tasks`` experiences (see the module docstring for the choices).

    ``source``/``root`` choose the data (default: the embedded 5,000-digit MNIST sample).
    """
    check_int("n_tasks", n_tasks, 1, MAX_TASKS)
    seed = check_seed(seed)
    loaded = load_dataset("mnist", source=source, root=root)
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
    check_int("n_tasks", n_tasks, 1, MAX_TASKS)
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
