"""The Avalanche door of the streaming heads: StreamHeadStrategy and StreamHeadPlugin."""

import torch
from separable_problem import IN_FEATURES, NUM_CLASSES, separable_problem
from torch import nn

from forgetless.avalanche import AccuracyMatrixPlugin, build_cl_strategy, to_avalanche
from forgetless.avalanche.stream_head import StreamHeadPlugin, StreamHeadStrategy
from forgetless.heads import HeadOnFeatures, NearestClassMean, StreamingLDA
from forgetless.scenarios import ExperienceDataset, Scenario


def _scenario() -> Scenario:
    """Two experiences of the separable problem, classes {0, 1} then {2, 3}."""
    x, y = separable_problem(400, seed=0)
    images = x.reshape(400, 1, 4, 5)
    splits = []
    for classes in ([0, 1], [2, 3]):
        rows = torch.nonzero((y == classes[0]) | (y == classes[1])).flatten()
        splits.append(ExperienceDataset(images, rows, y[rows], 0.0, 1.0, normalize=False))
    return Scenario("toy", splits, splits, [[0, 1], [2, 3]], num_classes=NUM_CLASSES,
                    input_shape=(1, 4, 5))  # fmt: skip


def test_strategy_fills_the_head_like_the_core():
    scenario = _scenario()
    benchmark = to_avalanche(scenario)
    model = HeadOnFeatures(None, StreamingLDA(IN_FEATURES, NUM_CLASSES, shrinkage=0.1))
    recorder = AccuracyMatrixPlugin(2)
    strategy = StreamHeadStrategy(head=model, train_mb_size=7, eval_mb_size=50, plugins=[recorder])
    core = StreamingLDA(IN_FEATURES, NUM_CLASSES, shrinkage=0.1)
    for i, experience in enumerate(benchmark.train_stream):
        strategy.train(experience)
        strategy.eval(benchmark.test_stream)
        core.update(scenario.train[i].inputs().flatten(1), scenario.train[i].targets)
    assert torch.equal(model.head.counts, core.counts)
    torch.testing.assert_close(model.head.means, core.means, rtol=0, atol=1e-10)
    R, _ = recorder.matrix.matrix_and_baseline()
    assert R[0, 1] == 0.0 and R[0, 0] > 0.9 and R[1].min() > 0.8  # no forgetting


def test_plugin_reads_the_last_epoch_and_evaluates_through_the_head():
    torch.manual_seed(0)
    scenario = _scenario()
    benchmark = to_avalanche(scenario)
    features = nn.Sequential(nn.Flatten(), nn.Linear(IN_FEATURES, 8), nn.ReLU())
    network = nn.Sequential(features, nn.Linear(8, NUM_CLASSES))
    head = HeadOnFeatures(features, NearestClassMean(8, NUM_CLASSES))
    recorder = AccuracyMatrixPlugin(2)
    strategy = build_cl_strategy(
        "naive",
        network,
        torch.optim.SGD(network.parameters(), lr=0.05),
        train_mb_size=16,
        train_epochs=3,
        eval_mb_size=50,
        plugins=[StreamHeadPlugin(head), recorder],
    )
    strategy.train(benchmark.train_stream[0])
    assert head.head.counts.tolist() == [
        int((scenario.train[0].targets == c).sum()) if c < 2 else 0 for c in range(NUM_CLASSES)
    ]  # one pass (the last of three epochs), not three
    strategy.eval(benchmark.test_stream)
    R, _ = recorder.matrix.matrix_and_baseline()
    assert R[0, 1] == 0.0  # classes 2, 3 unseen by the head: -inf logits, never predicted
