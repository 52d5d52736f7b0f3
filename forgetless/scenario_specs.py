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


@dataclass(frozen=True)
class ScenarioSpec:
    """One registry entry.

    Attributes:
        name: the scenario's name (``scenario.name`` in a config, ``Scenario.name``).
        dataset: the name its loader takes (``"mnist"``, ``"cifar10"``, ...).
        kind: ``"split"`` (the classes cut into groups, one per experience) or ``"permuted"``
            (every experience holds all classes and all data under its own pixel permutation).
        num_classes: classes over the whole scenario.
        default_experiences: the experiences of the public builder's default.
        paper: the paper that defined or popularised it, by title.
        builder: ``"module:function"`` taking ``(spec, loaded, n_experiences, seed,
            task_incremental, class_order)`` and returning the :class:`Scenario`.
        input_shape: shape of one input, channels first.
        sources: the ``source=`` values its loader accepts.
        loader: ``"module:function"`` taking ``(dataset, source=, root=)`` and returning a
            :class:`~forgetless.scenarios.sources.LoadedDataset`.
        max_experiences: an upper bound on the experiences, or None (bounded by the classes).
    """

    name: str
    dataset: str
    kind: Literal["split", "permuted"]
    num_classes: int
    default_experiences: int
    paper: str
    builder: str
    input_shape: tuple[int, int, int]
    sources: tuple[str, ...]
    loader: str
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


#: What a dataset's files give every scenario over them: input shape, sources, loader.
_MNIST_FILES: dict[str, Any] = {
    "input_shape": (1, 28, 28),
    "sources": MNIST_SOURCES,
    "loader": "forgetless.scenarios.sources:load_dataset",
}
_CIFAR_FILES: dict[str, Any] = {
    "input_shape": (3, 32, 32),
    "sources": CIFAR_SOURCES,
    "loader": "forgetless.scenarios.cifar_files:load_cifar",
}
_SPLIT = "forgetless.scenarios.split:split_from_config"
_PERMUTED = "forgetless.scenarios.permuted:permuted_from_config"
_SI = "Continual Learning Through Synaptic Intelligence"
_FASHION = "Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms"
_GOODFELLOW = (
    "An Empirical Investigation of Catastrophic Forgetting in Gradient-Based Neural Networks"
)
_GEM = "Gradient Episodic Memory for Continual Learning"

SCENARIOS: dict[str, ScenarioSpec] = {
    spec.name: spec
    for spec in (
        # name, dataset, kind, classes, default experiences, paper, builder; the files
        ScenarioSpec("split_mnist", "mnist", "split", 10, 5, _SI, _SPLIT, **_MNIST_FILES),
        ScenarioSpec(
            "split_fashion_mnist", "fashion_mnist", "split", 10, 5, _FASHION, _SPLIT, **_MNIST_FILES
        ),
        ScenarioSpec(
            "permuted_mnist", "mnist", "permuted", 10, 10, _GOODFELLOW, _PERMUTED,
            max_experiences=MAX_PERMUTED_TASKS, **_MNIST_FILES,
        ),
        ScenarioSpec("split_cifar10", "cifar10", "split", 10, 5, _GEM, _SPLIT, **_CIFAR_FILES),
        ScenarioSpec("split_cifar100", "cifar100", "split", 100, 10, _GEM, _SPLIT, **_CIFAR_FILES),
    )
}  # fmt: skip


def scenario_spec(name: str) -> ScenarioSpec:
    """The entry of scenario ``name``.

    Raises:
        ValueError: ``name`` is not in :data:`SCENARIOS` (the message lists them).
    """
    if name not in SCENARIOS:
        raise ValueError(f"name: expected one of {list(SCENARIOS)}, got {name!r}")
    return SCENARIOS[name]
