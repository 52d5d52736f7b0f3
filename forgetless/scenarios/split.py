"""Split-MNIST and Split-FashionMNIST: the ten classes cut into equal groups, one per experience.

As in "Continual Learning Through Synaptic Intelligence" (Zenke, Poole, Ganguli, ICML 2017) and
"Three scenarios for continual learning" (van de Ven, Tolias, 2019): with the default
``class_order`` 0..9 and 5 experiences the groups are {0,1}, {2,3}, {4,5}, {6,7}, {8,9}.

Decisions:
- **Class order.** ``class_order=None`` keeps 0..9; the ``seed`` shuffles it only when
  ``shuffle_classes=True`` (a ``torch.randperm(10)`` from a generator seeded with ``seed``), so the
  usual pairs are what you get unless you ask. Giving both ``class_order`` and
  ``shuffle_classes=True`` is an error.
- **Sample order.** Each training experience serves its samples in a random order fixed by
  ``seed`` (a generator seeded with ``seed``, drawn experience after experience), so that
  a one-pass stream sees its classes mixed; test experiences keep the data's own order.
- **Empty experiences.** Data missing a group's classes (say, an IDX folder holding only
  digits 0-4) are refused with a ValueError naming the experience and its classes.
- **Labels.** ``y`` is always the original digit / garment class 0..9, also task-incremental
  (where ``t`` = experience index is added as a third item): one 10-way head works for both, and
  a multi-head model can map ``y`` with ``scenario.classes[t]``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import torch

from forgetless.scenarios.arguments import (
    check_class_order,
    check_int,
    check_non_empty,
    check_seed,
    seeded_shuffle,
)
from forgetless.scenarios.experience import ExperienceDataset
from forgetless.scenarios.idx_folder import NUM_CLASSES
from forgetless.scenarios.scenario import Scenario
from forgetless.scenarios.sources import LoadedDataset, load_dataset


def class_groups(
    n_experiences: int,
    class_order: Sequence[int] | None = None,
    seed: int = 0,
    shuffle_classes: bool = False,
    num_classes: int = NUM_CLASSES,
) -> list[list[int]]:
    """The classes of each experience: ``class_order`` (or 0..num_classes-1, or a seeded
    shuffle) cut into ``n_experiences`` equal groups."""
    check_int("n_experiences", n_experiences, 1)
    if num_classes % n_experiences:
        divisors = [d for d in range(1, num_classes + 1) if num_classes % d == 0]
        raise ValueError(
            f"n_experiences: {n_experiences} does not divide the {num_classes} classes; "
            f"expected one of {', '.join(map(str, divisors))}"
        )
    if class_order is not None and shuffle_classes:
        raise ValueError("shuffle_classes: cannot shuffle a given class_order; pass one or other")
    if class_order is not None:
        order = check_class_order(class_order, num_classes)
    elif shuffle_classes:
        order = torch.randperm(num_classes, generator=torch.Generator().manual_seed(seed)).tolist()
    else:
        order = list(range(num_classes))
    size = num_classes // n_experiences
    return [order[i : i + size] for i in range(0, num_classes, size)]


def split_from_loaded(
    loaded: LoadedDataset,
    classes: list[list[int]],
    seed: int,
    task_incremental: bool,
    normalize: bool,
    num_classes: int = NUM_CLASSES,
) -> Scenario:
    """Build the split scenario of ``loaded`` with one experience per group in ``classes``."""
    data = loaded.data
    order_generator = torch.Generator().manual_seed(seed)
    train, test = [], []
    for index, group in enumerate(classes):
        task = index if task_incremental else None
        wanted = torch.tensor(group)
        for images, labels, out in (
            (data.train_images, data.train_labels, train),
            (data.test_images, data.test_labels, test),
        ):
            rows = torch.nonzero(torch.isin(labels, wanted)).flatten()
            if out is train:
                rows = seeded_shuffle(rows, order_generator)
            out.append(
                ExperienceDataset(
                    images, rows, labels[rows], loaded.mean, loaded.std, normalize, None, task
                )
            )
    check_non_empty(train, test, loaded.origin, classes)
    return Scenario(
        name=f"split_{loaded.name}",
        train=train,
        test=test,
        classes=classes,
        task_incremental=task_incremental,
        source=loaded.source,
        num_classes=num_classes,
        input_shape=train[0].input_shape,
    )


def split_mnist(
    n_experiences: int = 5,
    class_order: Sequence[int] | None = None,
    seed: int = 0,
    task_incremental: bool = False,
    source: str = "auto",
    root: str | os.PathLike | None = None,
    *,
    shuffle_classes: bool = False,
    normalize: bool = True,
) -> Scenario:
    """Split-MNIST: ``n_experiences`` (1, 2, 5 or 10) experiences of ``10 / n`` classes each.

    ``source``/``root`` choose the data (:func:`~forgetless.scenarios.sources.load_dataset`;
    default: the embedded 5,000-digit sample). Inputs are ``(x − 0.1307) / 0.3081``.
    """
    seed = check_seed(seed)
    classes = class_groups(n_experiences, class_order, seed, shuffle_classes)
    loaded = load_dataset("mnist", source=source, root=root)
    return split_from_loaded(loaded, classes, seed, task_incremental, normalize)


def split_fashion_mnist(
    n_experiences: int = 5,
    class_order: Sequence[int] | None = None,
    seed: int = 0,
    task_incremental: bool = False,
    source: str = "auto",
    root: str | os.PathLike | None = None,
    *,
    shuffle_classes: bool = False,
    normalize: bool = True,
) -> Scenario:
    """Split-FashionMNIST: as :func:`split_mnist` on Fashion-MNIST ("Fashion-MNIST: a Novel
    Image Dataset for Benchmarking Machine Learning Algorithms", Xiao, Rasul, Vollgraf, 2017).

    Needs ``root`` or the Debian package (or an allowed download); inputs are
    ``(x − 0.2860) / 0.3530``.
    """
    seed = check_seed(seed)
    classes = class_groups(n_experiences, class_order, seed, shuffle_classes)
    loaded = load_dataset("fashion_mnist", source=source, root=root)
    return split_from_loaded(loaded, classes, seed, task_incremental, normalize)
