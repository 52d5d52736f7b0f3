"""Avalanche conversion: the same tensors per experience, task labels, an online stream, Naive."""

from __future__ import annotations

import pytest
import torch
from fake_idx_data import write_fake_idx
from torch.utils.data import DataLoader

from forgetless.avalanche import to_avalanche
from forgetless.scenarios import permuted_mnist, split_mnist


@pytest.fixture
def root(tmp_path):
    write_fake_idx(tmp_path)
    return tmp_path


def _all_of(dataset):
    """Every item of ``dataset`` in order, collated into one batch."""
    return next(iter(DataLoader(dataset, batch_size=len(dataset), shuffle=False)))


@pytest.mark.parametrize("task_incremental", [False, True])
def test_streams_hold_the_same_tensors(root, task_incremental):
    scenario = split_mnist(5, root=root, task_incremental=task_incremental)
    benchmark = to_avalanche(scenario)
    assert len(benchmark.train_stream) == len(benchmark.test_stream) == 5
    for stream, experiences in (
        (benchmark.train_stream, scenario.train),
        (benchmark.test_stream, scenario.test),
    ):
        for index, experience in enumerate(experiences):
            x, y, t = _all_of(stream[index].dataset)
            expected_x, expected_y = experience.tensors()
            assert torch.equal(x, expected_x) and torch.equal(y, expected_y)
            assert torch.all(t == (index if task_incremental else 0))
            assert stream[index].classes_in_this_experience == set(scenario.classes[index])
            assert stream[index].task_label == (index if task_incremental else 0)


def test_permuted_conversion_keeps_each_permutation(root):
    scenario = permuted_mnist(2, seed=3, root=root)
    benchmark = to_avalanche(scenario)
    for index in range(2):
        x, y, _ = _all_of(benchmark.test_stream[index].dataset)
        assert torch.equal(x, scenario.test[index].tensors()[0])
    assert not torch.equal(_all_of(benchmark.test_stream[0].dataset)[0], x)


def test_online_stream_is_in_order_and_hides_boundaries(root):
    scenario = split_mnist(5, root=root)
    benchmark = to_avalanche(scenario, online_experience_size=4)
    sizes, labels = [], []
    for experience in benchmark.train_online_stream:
        sizes.append(len(experience.dataset))
        labels.append(_all_of(experience.dataset)[1])
        assert experience.access_task_boundaries is False
    assert sizes == [4] * 15
    expected = torch.cat([experience.targets for experience in scenario.train])
    assert torch.equal(torch.cat(labels), expected)


def test_bad_online_experience_size_is_named(root):
    with pytest.raises(ValueError, match="online_experience_size: expected an int >= 1"):
        to_avalanche(split_mnist(5, root=root), online_experience_size=0)


@pytest.mark.filterwarnings("ignore:No loggers specified")
def test_avalanche_naive_trains_one_epoch_on_the_converted_benchmark(root):
    from avalanche.core import SupervisedPlugin
    from avalanche.evaluation.metrics import accuracy_metrics
    from avalanche.training.plugins import EvaluationPlugin
    from avalanche.training.supervised import Naive

    class SeenLabels(SupervisedPlugin):
        """Records the labels of every training mini-batch."""

        def __init__(self):
            super().__init__()
            self.labels: list[torch.Tensor] = []

        def after_training_iteration(self, strategy, *args, **kwargs):
            self.labels.append(strategy.mb_y.detach().clone())

    seen = SeenLabels()

    torch.manual_seed(0)
    scenario = split_mnist(5, root=root)
    benchmark = to_avalanche(scenario)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10))
    before = model[1].weight.detach().clone()
    strategy = Naive(
        model=model,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.05),
        criterion=torch.nn.CrossEntropyLoss(),
        train_mb_size=8,
        train_epochs=1,
        eval_mb_size=16,
        evaluator=EvaluationPlugin(accuracy_metrics(stream=True), loggers=[]),
        plugins=[seen],
    )
    for index, experience in enumerate(benchmark.train_stream[:2]):
        seen.labels.clear()
        strategy.train(experience)
        labels = torch.cat(seen.labels)  # one epoch: every sample once, only this pair
        assert sorted(labels.tolist()) == sorted(scenario.train[index].targets.tolist())
    assert not torch.equal(model[1].weight, before)
    results = strategy.eval(benchmark.test_stream[:2])
    accuracy = results["Top1_Acc_Stream/eval_phase/test_stream/Task000"]
    # Avalanche evaluated exactly our test data: its accuracy equals ours on our tensors
    inputs = torch.cat([scenario.test[i].tensors()[0] for i in range(2)])
    targets = torch.cat([scenario.test[i].targets for i in range(2)])
    with torch.no_grad():
        ours = (model(inputs).argmax(dim=1) == targets).float().mean().item()
    assert accuracy == pytest.approx(ours, abs=1e-6)
