import pytest
import torch
from avalanche.training import Naive
from avalanche.training.plugins import EvaluationPlugin
from torch import nn

from forgetless.avalanche import (
    AccuracyMatrixPlugin,
    ActivationPlugin,
    KeepOptimizerState,
    UpdateClip,
    to_avalanche,
)
from forgetless.models import MLP
from forgetless.scenarios import split_mnist


@pytest.fixture(scope="module")
def benchmark():
    return to_avalanche(split_mnist(n_experiences=2, source="embedded"))


def _strategy(model, optimizer, plugins):
    return Naive(
        model=model,
        optimizer=optimizer,
        criterion=nn.CrossEntropyLoss(),
        train_mb_size=128,
        train_epochs=1,
        eval_mb_size=500,
        plugins=plugins,
        evaluator=EvaluationPlugin(loggers=[]),
    )


def test_activation_plugin_swaps_and_trains_learnable_parameters(benchmark):
    torch.manual_seed(0)
    model = MLP(784, [16, 16], 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, weight_decay=0.1)
    plugin = ActivationPlugin("aglu")
    strategy = _strategy(model, optimizer, [plugin])
    strategy.train(benchmark.train_stream[0])
    assert plugin.swapped == ["features.2", "features.4"]
    assert not any(isinstance(m, nn.ReLU) for m in model.modules())
    act_params = [p for site in plugin.swapped for p in model.get_submodule(site).parameters()]
    assert len(act_params) == 4  # kappa and lambda per site
    in_optimizer = [p for g in optimizer.param_groups for p in g["params"]]
    for p in act_params:
        assert sum(q is p for q in in_optimizer) == 1  # in the optimizer exactly once
        group = next(g for g in optimizer.param_groups if any(q is p for q in g["params"]))
        assert group["weight_decay"] == 0.0
        assert p.detach().ne(1.0).any()  # moved away from the init kappa = lambda = 1
    strategy.train(benchmark.train_stream[1])  # a second experience does not swap again
    assert len([p for g in optimizer.param_groups for p in g["params"]]) == len(
        list(model.parameters())
    )


def test_activation_plugin_swaps_before_a_first_eval(benchmark):
    model = MLP(784, [8], 10)
    plugin = ActivationPlugin("elephant", a=1.0)
    strategy = _strategy(model, torch.optim.SGD(model.parameters(), lr=0.1), [plugin])
    strategy.eval(benchmark.test_stream)
    assert plugin.swapped == ["features.2"]


def test_activation_plugin_refuses_a_model_without_relu_modules(benchmark):
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    strategy = _strategy(
        model, torch.optim.SGD(model.parameters(), lr=0.1), [ActivationPlugin("elephant")]
    )
    with pytest.raises(ValueError):
        strategy.train(benchmark.train_stream[0])


def _adagrad_sums(optimizer):
    return {id(p): s["sum"].clone() for p, s in optimizer.state.items() if "sum" in s}


@pytest.mark.parametrize("keep", [True, False])
def test_keep_optimizer_state_carries_adagrad_sums(benchmark, keep):
    torch.manual_seed(0)
    model = MLP(784, [8], 10)
    optimizer = torch.optim.Adagrad(model.parameters(), lr=0.01)
    plugins = [KeepOptimizerState()] if keep else []

    strategy = _strategy(model, optimizer, plugins)
    strategy.train(benchmark.train_stream[0])
    after_first = _adagrad_sums(optimizer)
    # What Avalanche does in some strategies/versions between experiences: a fresh state.
    optimizer.state.clear()
    strategy.train(benchmark.train_stream[1])
    after_second = _adagrad_sums(optimizer)
    first_layer = id(model.features[1].weight)
    grew_from_first = bool((after_second[first_layer] >= after_first[first_layer] - 1e-12).all())
    assert grew_from_first is keep


def test_update_clip_bounds_every_step(benchmark):
    torch.manual_seed(0)
    model = MLP(784, [8], 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=10.0)  # huge steps, clipped to 1e-3
    before = [p.detach().clone() for p in model.parameters()]
    strategy = _strategy(model, optimizer, [UpdateClip(1e-3)])
    strategy.train(benchmark.train_stream[0])
    steps = len(benchmark.train_stream[0].dataset) // 128 + 1
    for p, old in zip(model.parameters(), before, strict=True):
        moved = (p.detach() - old).abs().max().item()
        assert 0 < moved <= steps * 1e-3 + 1e-6


def test_update_clip_rejects_bad_values():
    with pytest.raises(ValueError, match="^max_update:"):
        UpdateClip(0.0)


def test_accuracy_matrix_plugin_matches_avalanche(benchmark):
    """Our matrix and bwt equal Avalanche's own per-experience accuracies and StreamForgetting."""
    from avalanche.evaluation.metrics import accuracy_metrics, forgetting_metrics

    torch.manual_seed(0)
    model = MLP(784, [16], 10)
    recorder = AccuracyMatrixPlugin(2)
    evaluator = EvaluationPlugin(
        accuracy_metrics(experience=True), forgetting_metrics(stream=True), loggers=[]
    )
    strategy = Naive(
        model=model,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.05),
        criterion=nn.CrossEntropyLoss(),
        train_mb_size=64,
        train_epochs=1,
        eval_mb_size=300,
        plugins=[recorder],
        evaluator=evaluator,
    )
    avalanche_rows = []
    for experience in benchmark.train_stream:
        strategy.train(experience)
        metrics = strategy.eval(benchmark.test_stream)
        avalanche_rows.append(
            [metrics[f"Top1_Acc_Exp/eval_phase/test_stream/Task000/Exp{j:03d}"] for j in range(2)]
        )
    R, _ = recorder.matrix.matrix_and_baseline()
    assert torch.allclose(R, torch.tensor(avalanche_rows, dtype=R.dtype), atol=1e-9)
    summary = recorder.matrix.summary()
    assert summary["bwt"] == pytest.approx(
        -metrics["StreamForgetting/eval_phase/test_stream"], abs=1e-9
    )
