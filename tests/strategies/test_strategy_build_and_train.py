"""Every runnable entry of the strategy table builds through the door on forgetless's MLP and
trains two tiny experiences (the second is where memories, penalties and distillation act); the
entries that cannot run are refused in one line naming ``strategies``."""

from __future__ import annotations

import pytest
import torch

from forgetless.avalanche.cl_strategies import build_cl_strategy, strategy_plugins
from forgetless.models import MLP
from forgetless.resolve import resolve
from forgetless.scenarios import ExperienceDataset, Scenario
from forgetless.strategy_specs import STRATEGIES, runnable_strategies

SIDE, CLASSES = 8, 4
#: Small enough for tiny data: the bias layer's fit and the memories (defaults are for MNIST).
_TINY = {
    "bic": {"stage_2_epochs": 2, "mem_size": 20},
    "agem": {"patterns_per_exp": 8, "sample_size": 8},
    "gem": {"patterns_per_exp": 8},
    "gss_greedy": {"mem_size": 40},
}
#: Avalanche's GSS scores a sample against memory subsets of the replayed minibatch's size, none
#: while the memory is smaller than that minibatch (max() of an empty sequence): one experience
#: here; at the recipe's scale (200 samples, batches of 32) it runs (docs/strategies.md).
_ONE_EXPERIENCE = {"gss_greedy"}


def _tiny_benchmark():
    """Two experiences, classes {0, 1} then {2, 3}, 24 train and 8 test 8 x 8 images each."""
    from forgetless.avalanche import to_avalanche

    g = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (128, SIDE, SIDE), dtype=torch.uint8, generator=g)
    labels = torch.arange(128) % CLASSES
    ids = torch.arange(128)
    train, test = [], []
    for classes in ((0, 1), (2, 3)):
        mine = ids[(labels == classes[0]) | (labels == classes[1])]
        train.append(ExperienceDataset(images, mine[:24], labels[mine[:24]], 0.5, 0.3))
        test.append(ExperienceDataset(images, mine[24:32], labels[mine[24:32]], 0.5, 0.3))
    return to_avalanche(Scenario("tiny", train, test, [[0, 1], [2, 3]]))


def _build(name: str, model: torch.nn.Module, **params):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    return build_cl_strategy(
        name,
        model,
        optimizer,
        train_mb_size=8,
        train_epochs=1,
        eval_mb_size=8,
        input_shape=(1, SIDE, SIDE),
        **{**_TINY.get(name, {}), **params},
    )


@pytest.mark.parametrize("name", [n for n in runnable_strategies() if n != "joint"])
def test_every_runnable_entry_trains_two_experiences(name):
    torch.manual_seed(0)
    model = MLP(SIDE * SIDE, (8,), CLASSES)
    before = [p.detach().clone() for p in model.parameters()]
    strategy = _build(name, model)
    assert isinstance(strategy, resolve(STRATEGIES[name].avalanche_class))
    benchmark = _tiny_benchmark()
    experiences = list(benchmark.train_stream)
    for experience in experiences[:1] if name in _ONE_EXPERIENCE else experiences:
        strategy.train(experience)
    results = strategy.eval(benchmark.test_stream)
    assert isinstance(results, dict)
    changed = [
        not torch.equal(a, b.detach()) for a, b in zip(before, model.parameters(), strict=True)
    ]
    assert any(changed), f"{name} trained nothing"


def test_joint_trains_on_the_whole_stream():
    model = MLP(SIDE * SIDE, (8,), CLASSES)
    before = model.classifier.weight.detach().clone()
    strategy = _build("joint", model)
    strategy.train(_tiny_benchmark().train_stream)
    assert not torch.equal(before, model.classifier.weight)


@pytest.mark.parametrize("name", [n for n, s in STRATEGIES.items() if s.refusal])
def test_an_entry_that_cannot_run_is_refused_in_one_line(name):
    with pytest.raises(ValueError, match=rf"^strategies: {name} cannot run here: [^\n]+$"):
        _build(name, MLP(SIDE * SIDE, (8,), CLASSES))


def test_a_local_rule_is_refused_a_strategy_class_it_cannot_run():
    with pytest.raises(ValueError, match=r"^strategies: agem is its own Avalanche strategy class"):
        strategy_plugins("agem", {})
