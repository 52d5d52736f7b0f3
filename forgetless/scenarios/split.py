"""Split scenarios (Split-MNIST, Split-FashionMNIST, Split-CIFAR-10/100): the classes cut into
equal groups, one per experience.

As in "Continual Learning Through Synaptic Intelligence" (Zenke, Poole, Ganguli, ICML 2017),
"Gradient Episodic Memory for Continual Learning" (Lopez-Paz & Ranzato, 2017) and "Three scenarios
for continual learning" (van de Ven, Tolias, 2019): with the default ``class_order`` and 5
experiences the groups of a ten-class dataset are {0,1}, {2,3}, {4,5}, {6,7}, {8,9}. Training
experiences serve their samples in a seeded order; ``y`` is always the original class, ``t`` (the
experience index) is added when task-incremental. Class order, sample order, empty experiences and
labels: docs/scenarios.md. Which datasets exist: :data:`forgetless.scenario_specs.SCENARIOS`.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Sequence
from typing import Any

import torch

from forgetless.checks import check_class_order, check_int, check_seed
from forgetless.scenario_specs import ScenarioSpec, scenario_spec
from forgetless.scenarios.experience import ExperienceDataset, check_non_empty, seeded_shuffle
from forgetless.scenarios.idx_folder import NUM_CLASSES
from forgetless.scenarios.scenario import Scenario
from forgetless.scenarios.sources import LoadedDataset


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


def split_from_config(
    spec: ScenarioSpec,
    loaded: LoadedDataset,
    n_experiences: int,
    seed: int,
    task_incremental: bool,
    class_order: Sequence[int] | None,
) -> Scenario:
    """The registry's builder of a split scenario (see :meth:`ScenarioSpec.build`): groups of
    ``class_order`` (None: consecutive classes), training samples ordered by ``seed``."""
    classes = class_groups(n_experiences, class_order, num_classes=spec.num_classes)
    return split_from_loaded(
        loaded, classes, seed, task_incremental, normalize=True, num_classes=spec.num_classes
    )


def split_scenario(
    name: str,
    n_experiences: int,
    class_order: Sequence[int] | None = None,
    seed: int = 0,
    task_incremental: bool = False,
    source: str = "auto",
    root: str | os.PathLike | None = None,
    *,
    shuffle_classes: bool = False,
    normalize: bool = True,
) -> Scenario:
    """The split scenario ``name`` of the registry, loaded from ``source`` / ``root``.

    Args:
        name: a split entry of :data:`~forgetless.scenario_specs.SCENARIOS`.
        n_experiences: a divisor of the number of classes.
        class_order: a permutation of the classes, cut into groups in this order (None: 0..n-1).
        seed: the training samples' order (and the class order with ``shuffle_classes``).
        task_incremental: items are ``(x, y, t)`` with ``t`` the experience index.
        source, root: where the data come from (the entry's loader; see
            :func:`~forgetless.scenarios.sources.load_dataset`,
            :func:`~forgetless.scenarios.cifar_files.load_cifar`).
        shuffle_classes: draw the class order from ``seed``.
        normalize: standardise the inputs with the dataset's mean and std.

    Raises:
        ValueError: one line naming the argument (unknown name, a number of experiences that
            does not divide the classes, a bad class order or seed, an experience without data).
        DatasetUnavailableError, CorruptDataFileError: from the loader.
    """
    spec = scenario_spec(name)
    if not spec.splits_classes:
        raise ValueError(f"name: {name!r} does not split its classes; expected a split scenario")
    seed = check_seed(seed)
    classes = class_groups(n_experiences, class_order, seed, shuffle_classes, spec.num_classes)
    loaded = spec.load(source=source, root=root)
    return split_from_loaded(loaded, classes, seed, task_incremental, normalize, spec.num_classes)


def _public_builder(name: str, summary: str) -> Callable[..., Scenario]:
    """:func:`split_scenario` for one registry entry: the same arguments without ``name``, the
    entry's default number of experiences shown in the signature."""

    default = scenario_spec(name).default_experiences
    signature = inspect.signature(split_scenario)
    parameters = list(signature.parameters.values())[1:]
    parameters[0] = parameters[0].replace(default=default)
    signature = signature.replace(parameters=parameters)

    def build(*args: Any, **kwargs: Any) -> Scenario:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return split_scenario(name, *bound.args, **bound.kwargs)

    build.__signature__ = signature
    build.__name__ = build.__qualname__ = name
    build.__doc__ = f"{summary}\n\nArguments and errors: :func:`split_scenario`."
    return build


split_mnist = _public_builder(
    "split_mnist", "Split-MNIST: 1, 2, 5 or 10 experiences; inputs ``(x - 0.1307) / 0.3081``."
)
split_fashion_mnist = _public_builder(
    "split_fashion_mnist",
    "Split-FashionMNIST: as Split-MNIST on Fashion-MNIST; inputs ``(x - 0.2860) / 0.3530``.",
)
split_cifar10 = _public_builder(
    "split_cifar10",
    "Split-CIFAR-10: 1, 2, 5 or 10 experiences; ``root`` holds ``cifar-10-batches-py/``.",
)
split_cifar100 = _public_builder(
    "split_cifar100",
    "Split-CIFAR-100: a divisor of 100 experiences (10 or 20 in the literature); ``root`` "
    "holds ``cifar-100-python/``.",
)
