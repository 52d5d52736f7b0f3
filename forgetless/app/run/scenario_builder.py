"""Build a :class:`~forgetless.scenarios.Scenario` from a config's ``scenario`` section."""

from __future__ import annotations

from omegaconf import DictConfig, OmegaConf

from forgetless.scenarios import (
    Scenario,
    permuted_mnist,
    split_cifar10,
    split_cifar100,
    split_fashion_mnist,
    split_mnist,
)

SPLIT_BUILDERS = {
    "split_mnist": split_mnist,
    "split_fashion_mnist": split_fashion_mnist,
    "split_cifar10": split_cifar10,
    "split_cifar100": split_cifar100,
}


def build_scenario(section: DictConfig, seed: int) -> Scenario:
    """The scenario named in ``section``; ``seed`` fixes sample order (and permutations)."""
    order = (
        None if section.class_order is None else list(OmegaConf.to_container(section.class_order))
    )
    common = {"seed": section.seed + seed, "source": section.source, "root": section.root}
    if section.name == "permuted_mnist":
        return permuted_mnist(
            n_tasks=section.n_experiences, task_incremental=section.task_incremental, **common
        )
    return SPLIT_BUILDERS[section.name](
        n_experiences=section.n_experiences,
        class_order=order,
        task_incremental=section.task_incremental,
        **common,
    )
