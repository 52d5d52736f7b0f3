"""The scenario registry: every entry is complete, and what it builds matches its public builder.

An entry that lacks a loader, a builder, a public builder in :mod:`forgetless.scenarios` or a
config path through ``forgetless compare`` fails here.
"""

from __future__ import annotations

import pytest
import torch
from fake_idx_data import write_fake_idx
from synthetic_cifar import write_synthetic_cifar

import forgetless.scenarios
from forgetless.resolve import resolve
from forgetless.scenario_specs import CIFAR_SOURCES, MNIST_SOURCES, SCENARIOS, scenario_spec


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    write_fake_idx(folder / "MNIST" / "raw")
    write_fake_idx(folder / "FashionMNIST" / "raw")
    write_synthetic_cifar(folder, "cifar10", train_per_class=2, test_per_class=1)
    write_synthetic_cifar(folder, "cifar100", train_per_class=2, test_per_class=1)
    return folder


def _source(name: str) -> str:
    return "idx" if SCENARIOS[name].sources == MNIST_SOURCES else "auto"


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_entry_is_complete(name):
    spec = SCENARIOS[name]
    assert spec.name == name and spec.paper
    assert callable(resolve(spec.loader)) and callable(resolve(spec.builder))
    assert spec.sources in (MNIST_SOURCES, CIFAR_SOURCES)
    assert callable(getattr(forgetless.scenarios, name))  # its public builder
    if spec.splits_classes:
        assert spec.num_classes % spec.default_experiences == 0
    if spec.max_experiences is not None:
        assert spec.default_experiences <= spec.max_experiences


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_the_registry_builds_what_the_public_builder_builds(root, name):
    spec = SCENARIOS[name]
    loaded = spec.load(source=_source(name), root=root)
    built = spec.build(loaded, spec.default_experiences, seed=3)
    public = getattr(forgetless.scenarios, name)(seed=3, source=_source(name), root=root)
    assert built.name == public.name == name
    assert len(built) == len(public) == spec.default_experiences
    assert built.num_classes == spec.num_classes and built.input_shape == spec.input_shape
    assert tuple(built.train[0][0][0].shape) == spec.input_shape
    assert built.classes == public.classes
    for ours, theirs in zip(built.train, public.train, strict=True):
        assert torch.equal(ours.rows, theirs.rows)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_compare_accepts_every_entry(root, name):
    from forgetless.app.configs import load_config
    from forgetless.app.configs.scenario_check import check_scenario
    from forgetless.app.run.scenario_builder import build_scenario

    spec = SCENARIOS[name]
    cfg = load_config(
        [
            f"scenario.name={name}",
            f"scenario.source={_source(name)}",
            f"scenario.root={root}",
            f"scenario.n_experiences={spec.default_experiences}",
        ]
    )
    check_scenario(cfg.scenario)
    assert build_scenario(cfg.scenario, 0).name == name


def test_an_unknown_name_is_refused_naming_the_argument():
    with pytest.raises(ValueError, match=r"^name: expected one of \['split_mnist', "):
        scenario_spec("split_svhn")
    with pytest.raises(ValueError, match=r"^name: 'permuted_mnist' does not split its classes"):
        forgetless.scenarios.split_scenario("permuted_mnist", 2)
