"""Split-CIFAR-10 and Split-CIFAR-100: the classes cut into equal groups, one per experience.

The benchmarks of "Gradient Episodic Memory for Continual Learning" (Lopez-Paz & Ranzato, 2017:
CIFAR-100 in 20 tasks of 5 classes), "Continual Learning Through Synaptic Intelligence" (Zenke
et al., 2017: CIFAR-10 then CIFAR-100 in tasks of 10 classes) and "Three scenarios for continual
learning" (van de Ven & Tolias, 2019). Class order, sample order and labels follow
:mod:`forgetless.scenarios.split`: groups of consecutive classes unless ``class_order`` (or
``shuffle_classes``) says otherwise, training samples in a seeded order, ``y`` the original class
(0..9 or 0..99) in both the class-incremental and the task-incremental setting (``t`` added).
Inputs are ``(3, 32, 32)``, scaled to [0, 1] and normalised per channel.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from forgetless.scenarios.arguments import check_seed
from forgetless.scenarios.cifar_files import CIFAR, load_cifar
from forgetless.scenarios.scenario import Scenario
from forgetless.scenarios.split import class_groups, split_from_loaded


def _split_cifar(
    name: str,
    n_experiences: int,
    class_order: Sequence[int] | None,
    seed: int,
    task_incremental: bool,
    source: str,
    root: str | os.PathLike | None,
    shuffle_classes: bool,
    normalize: bool,
) -> Scenario:
    seed = check_seed(seed)
    num_classes = CIFAR[name][0]
    classes = class_groups(n_experiences, class_order, seed, shuffle_classes, num_classes)
    loaded = load_cifar(name, source=source, root=root)
    return split_from_loaded(loaded, classes, seed, task_incremental, normalize, num_classes)


def split_cifar10(
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
    """Split-CIFAR-10: ``n_experiences`` (1, 2, 5 or 10) experiences of ``10 / n`` classes.

    ``root`` is the folder holding ``cifar-10-batches-py/`` (or that folder itself); see
    :func:`~forgetless.scenarios.cifar_files.load_cifar` for ``source`` and the checks made.
    """
    return _split_cifar(
        "cifar10",
        n_experiences,
        class_order,
        seed,
        task_incremental,
        source,
        root,
        shuffle_classes,
        normalize,
    )


def split_cifar100(
    n_experiences: int = 10,
    class_order: Sequence[int] | None = None,
    seed: int = 0,
    task_incremental: bool = False,
    source: str = "auto",
    root: str | os.PathLike | None = None,
    *,
    shuffle_classes: bool = False,
    normalize: bool = True,
) -> Scenario:
    """Split-CIFAR-100: ``n_experiences`` (a divisor of 100; 10 or 20 in the literature)
    experiences of ``100 / n`` fine classes; ``root`` holds ``cifar-100-python/``."""
    return _split_cifar(
        "cifar100",
        n_experiences,
        class_order,
        seed,
        task_incremental,
        source,
        root,
        shuffle_classes,
        normalize,
    )
