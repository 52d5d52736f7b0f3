"""The scenario registry as plain data: one :class:`ScenarioSpec` per scenario name.

Nothing heavy is imported here (no torch), so the app validates a config against the registry
before any framework loads; the loader and builder named by an entry are imported on use. Adding a
scenario is one entry in :data:`SCENARIOS` (plus its test); ``docs/scenarios.md`` says more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from forgetless.resolve import resolve

#: The sources of MNIST and Fashion-MNIST (:func:`forgetless.scenarios.sources.load_dataset`).
MNIST_SOURCES = ("auto", "idx", "debian", "torchvision", "embedded")
#: The sources of CIFAR (:func:`forgetless.scenarios.cifar_files.load_cifar`).
CIFAR_SOURCES = ("auto", "torchvision")
#: Permuted-MNIST's bound on its tasks (each one indexes the whole dataset).
MAX_PERMUTED_TASKS = 100

_MNIST_LOADER = "forgetless.scenarios.sources:load_dataset"
_CIFAR_LOADER = "forgetless.scenarios.cifar_files:load_cifar"
_SPLIT_BUILDER = "forgetless.scenarios.split:split_from_config"
_PERMUTED_BUILDER = "forgetless.scenarios.permuted:permuted_from_config"


@dataclass(frozen=True)
class ScenarioSpec:
    """One registry entry.

    Attributes:
        name: the scenario's name (``scenario.name`` in a config, ``Scenario.name``).
        dataset: the name its loader takes (``"mnist"``, ``"cifar10"``, ...).
        kind: ``"split"`` (the classes cut into groups, one per experience) or ``"permuted"``
            (every experience holds all classes and all data under its own pixel permutation).
        num_classes: classes over the whole scenario.
        input_shape: shape of one input, channels first.
        sources: the ``source=`` values its loader accepts.
        default_experiences: the experiences of the public builder's default.
        paper: the paper that defined or popularised it, by title.
        loader: ``"module:function"`` taking ``(dataset, source=, root=)`` and returning a
            :class:`~forgetless.scenarios.sources.LoadedDataset`.
        builder: ``"module:function"`` taking ``(spec, loaded, n_experiences, seed,
            task_incremental, class_order)`` and returning the :class:`Scenario`.
        max_experiences: an upper bound on the experiences, or None (bounded by the classes).
    """

    name: str
    dataset: str
    kind: Literal["split", "permuted"]
    num_classes: int
    input_shape: tuple[int, int, int]
    sources: tuple[str, ...]
    default_experiences: int
    paper: str
    loader: str
    builder: str
    max_experiences: int | None = None

    @property
    def splits_classes(self) -> bool:
        """True when the experiences hold disjoint groups of classes (``class_order`` applies)."""
        return self.kind == "split"

    @property
    def experiences_share_data(self) -> bool:
        """True when every experience indexes the whole dataset (its memory grows with them)."""
        return self.kind == "permuted"

    def load(self, source: str = "auto", root: Any = None) -> Any:
        """The dataset of this scenario from ``source`` / ``root`` (see the loader's errors)."""
        return resolve(self.loader)(self.dataset, source=source, root=root)

    def build(
        self,
        loaded: Any,
        n_experiences: int,
        seed: int,
        task_incremental: bool = False,
        class_order: list[int] | None = None,
    ) -> Any:
        """The scenario of already loaded data (``seed``: sample order and permutations)."""
        return resolve(self.builder)(
            self, loaded, n_experiences, seed, task_incremental, class_order
        )


_SPLIT_MNIST_PAPER = "Continual Learning Through Synaptic Intelligence"
_CIFAR_PAPER = "Gradient Episodic Memory for Continual Learning"
_SHAPE_28 = (1, 28, 28)
_SHAPE_32 = (3, 32, 32)

SCENARIOS: dict[str, ScenarioSpec] = {
    spec.name: spec
    for spec in (
        ScenarioSpec(
            name="split_mnist",
            dataset="mnist",
            kind="split",
            num_classes=10,
            input_shape=_SHAPE_28,
            sources=MNIST_SOURCES,
            default_experiences=5,
            paper=_SPLIT_MNIST_PAPER,
            loader=_MNIST_LOADER,
            builder=_SPLIT_BUILDER,
        ),
        ScenarioSpec(
            name="split_fashion_mnist",
            dataset="fashion_mnist",
            kind="split",
            num_classes=10,
            input_shape=_SHAPE_28,
            sources=MNIST_SOURCES,
            default_experiences=5,
            paper="Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning "
            "Algorithms",
            loader=_MNIST_LOADER,
            builder=_SPLIT_BUILDER,
        ),
        ScenarioSpec(
            name="permuted_mnist",
            dataset="mnist",
            kind="permuted",
            num_classes=10,
            input_shape=_SHAPE_28,
            sources=MNIST_SOURCES,
            default_experiences=10,
            paper="An Empirical Investigation of Catastrophic Forgetting in Gradient-Based "
            "Neural Networks",
            loader=_MNIST_LOADER,
            builder=_PERMUTED_BUILDER,
            max_experiences=MAX_PERMUTED_TASKS,
        ),
        ScenarioSpec(
            name="split_cifar10",
            dataset="cifar10",
            kind="split",
            num_classes=10,
            input_shape=_SHAPE_32,
            sources=CIFAR_SOURCES,
            default_experiences=5,
            paper=_CIFAR_PAPER,
            loader=_CIFAR_LOADER,
            builder=_SPLIT_BUILDER,
        ),
        ScenarioSpec(
            name="split_cifar100",
            dataset="cifar100",
            kind="split",
            num_classes=100,
            input_shape=_SHAPE_32,
            sources=CIFAR_SOURCES,
            default_experiences=10,
            paper=_CIFAR_PAPER,
            loader=_CIFAR_LOADER,
            builder=_SPLIT_BUILDER,
        ),
    )
}


def scenario_spec(name: str) -> ScenarioSpec:
    """The entry of scenario ``name``.

    Raises:
        ValueError: ``name`` is not in :data:`SCENARIOS` (the message lists them).
    """
    if name not in SCENARIOS:
        raise ValueError(f"name: expected one of {list(SCENARIOS)}, got {name!r}")
    return SCENARIOS[name]
