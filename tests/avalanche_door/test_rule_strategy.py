"""Every rule trains and evaluates inside RuleStrategy with Avalanche's EvaluationPlugin."""

from __future__ import annotations

import pytest
import torch
from avalanche.benchmarks.scenarios import class_incremental_benchmark
from avalanche.benchmarks.utils import _make_taskaware_tensor_classification_dataset
from avalanche.core import SupervisedPlugin
from avalanche.evaluation.metrics import accuracy_metrics, loss_metrics
from avalanche.training.plugins import EvaluationPlugin
from separable_problem import IN_FEATURES, NUM_CLASSES, separable_problem

from forgetless.avalanche.rule_strategy import RuleStrategy
from forgetless.optim import build_optimizer
from forgetless.rules import build_rule

pytestmark = pytest.mark.filterwarnings("ignore:No loggers specified")


def tiny_benchmark():
    """Class-incremental, two experiences of two classes each, built with Avalanche itself."""
    datasets = {}
    for split, (x, y) in (
        ("train", separable_problem(256, 11)),
        ("test", separable_problem(128, 12)),
    ):
        datasets[split] = _make_taskaware_tensor_classification_dataset(
            x, y, task_labels=0, targets=y.tolist()
        )
    return class_incremental_benchmark(datasets, class_order=[0, 1, 2, 3], num_experiences=2)


class IterationCounter(SupervisedPlugin):
    def __init__(self):
        super().__init__()
        self.counts = {"iteration": 0, "update": 0}

    def after_training_iteration(self, strategy, **kwargs):
        self.counts["iteration"] += 1
        assert strategy.mb_output.shape[1] == NUM_CLASSES

    def after_update(self, strategy, **kwargs):
        self.counts["update"] += 1


CASES = [
    ("backprop", {}),
    ("mono_forward", {}),
    ("forward_forward", {}),
    ("collaborative_ff", {"predict_mode": "linear"}),
    ("noprop", {"T": 3}),
    ("noprop_fm", {"steps": 4}),
    ("noprop_ct", {"steps": 4}),
]


@pytest.mark.parametrize(("name", "params"), CASES, ids=[n for n, _ in CASES])
def test_rule_runs_in_avalanche_strategy(name, params):
    torch.manual_seed(0)
    bench = tiny_benchmark()
    rule = build_rule(
        name, in_features=IN_FEATURES, num_classes=NUM_CLASSES, hidden=(32,), **params
    )
    evaluator = EvaluationPlugin(
        accuracy_metrics(minibatch=True, epoch=True, experience=True, stream=True),
        loss_metrics(epoch=True),
        loggers=[],
    )
    counter = IterationCounter()
    strategy = RuleStrategy(
        rule=rule,
        optimizer=build_optimizer(rule, lr=1e-2),
        train_mb_size=32,
        train_epochs=3,
        eval_mb_size=64,
        plugins=[counter],
        evaluator=evaluator,
    )
    assert strategy.rule is rule
    strategy.train(bench.train_stream[0])
    first = strategy.eval(bench.test_stream[:1])
    assert first["Top1_Acc_Exp/eval_phase/test_stream/Exp000"] > 0.8
    strategy.train(bench.train_stream[1])
    final = strategy.eval(bench.test_stream)
    assert "Top1_Acc_Exp/eval_phase/test_stream/Exp001" in final
    assert 0.0 <= final["Top1_Acc_Stream/eval_phase/test_stream"] <= 1.0
    assert final["Loss_Epoch/train_phase/train_stream"] > 0.0
    assert counter.counts["iteration"] == counter.counts["update"] > 0


def test_rule_strategy_rejects_non_rules():
    model = torch.nn.Linear(3, 2)
    with pytest.raises(ValueError, match="rule must be a forgetless.rules.Rule"):
        RuleStrategy(rule=model, optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    rule = build_rule("backprop", in_features=9, num_classes=3)
    with pytest.raises(ValueError, match="train_mb_size"):
        RuleStrategy(rule=rule, optimizer=build_optimizer(rule), train_mb_size=0)
