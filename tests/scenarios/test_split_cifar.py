"""Split-CIFAR-10/100 on small synthetic files in torchvision's layout: the real loading code."""

from __future__ import annotations

import pickle

import pytest
import torch
from synthetic_cifar import write_synthetic_cifar

from forgetless.scenarios import (
    CorruptDataFileError,
    DatasetUnavailableError,
    split_cifar10,
    split_cifar100,
)

TRAIN, TEST = 6, 2  # images per class


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("cifar")
    write_synthetic_cifar(root, "cifar10", train_per_class=TRAIN, test_per_class=TEST)
    write_synthetic_cifar(root, "cifar100", train_per_class=TRAIN, test_per_class=TEST)
    return root


def test_split_cifar10_groups_shapes_and_labels(root):
    scenario = split_cifar10(5, root=root)
    assert scenario.input_shape == (3, 32, 32) and scenario.num_classes == 10
    assert scenario.classes == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]
    for group, train, test in zip(scenario.classes, scenario.train, scenario.test, strict=True):
        assert len(train) == 2 * TRAIN and len(test) == 2 * TEST
        assert set(train.targets.tolist()) == set(group) == set(test.targets.tolist())
        # channel 0, pixel (0, 0) of a synthetic image holds its class: labels stay with images
        assert torch.equal(train.images[train.rows, 0, 0, 0].long(), train.targets)
    x, y = scenario.train[1][0]
    assert x.shape == (3, 32, 32) and x.dtype == torch.float32 and y.item() in (2, 3)


def test_per_channel_normalisation(root):
    raw = split_cifar10(1, root=root, normalize=False).train[0]
    normed = split_cifar10(1, root=root).train[0]
    pixels = raw.images[raw.rows].float() / 255
    assert torch.equal(raw.inputs(), pixels)
    mean = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
    std = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)
    assert torch.allclose(normed.inputs(), (pixels - mean) / std)


def test_root_may_be_the_dataset_folder_itself(root):
    a = split_cifar10(2, root=root / "cifar-10-batches-py")
    b = split_cifar10(2, root=root)
    assert torch.equal(a.train[0].inputs(), b.train[0].inputs())


@pytest.mark.parametrize("n_experiences", [10, 20])
def test_split_cifar100_task_incremental(root, n_experiences):
    scenario = split_cifar100(n_experiences, root=root, task_incremental=True, seed=3)
    size = 100 // n_experiences
    assert len(scenario) == n_experiences and scenario.num_classes == 100
    assert scenario.classes[1] == list(range(size, 2 * size))
    x, y, t = scenario.train[1][0]
    assert x.shape == (3, 32, 32) and t.item() == 1 and size <= y.item() < 2 * size
    assert len(scenario.train[1]) == size * TRAIN


def test_seed_orders_training_samples(root):
    a, b = split_cifar10(5, seed=0, root=root), split_cifar10(5, seed=1, root=root)
    assert not torch.equal(a.train[0].rows, b.train[0].rows)
    assert torch.equal(a.train[0].rows, split_cifar10(5, seed=0, root=root).train[0].rows)


def test_n_experiences_must_divide_the_classes(root):
    with pytest.raises(ValueError, match="n_experiences: 3 does not divide the 10 classes"):
        split_cifar10(3, root=root)


def _small(tmp_path):
    return write_synthetic_cifar(tmp_path, "cifar10", train_per_class=2, test_per_class=1)


def test_missing_file_is_named(tmp_path):
    folder = _small(tmp_path)
    (folder / "data_batch_3").unlink()
    with pytest.raises(DatasetUnavailableError, match=r"data_batch_3: missing"):
        split_cifar10(root=tmp_path)


def test_truncated_file_is_named(tmp_path):
    folder = _small(tmp_path)
    data = (folder / "test_batch").read_bytes()
    (folder / "test_batch").write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptDataFileError, match=r"test_batch: not a readable CIFAR pickle"):
        split_cifar10(root=tmp_path)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda e: e.update(data=e["data"][:, :100]), r"expected uint8 \(n, 3072\)"),
        (lambda e: e.update(labels=e["labels"][:-1]), r"labels for"),
        (lambda e: e.update(labels=[11] * len(e["labels"])), r"labels outside 0..9"),
        (lambda e: e.pop("labels"), r"expected a dict with 'data' and 'labels'"),
    ],
)
def test_wrong_content_is_named(tmp_path, change, message):
    folder = _small(tmp_path)
    path = folder / "data_batch_2"
    entry = pickle.loads(path.read_bytes())
    change(entry)
    path.write_bytes(pickle.dumps(entry))
    with pytest.raises(CorruptDataFileError, match=rf"data_batch_2: .*{message}"):
        split_cifar10(root=tmp_path)


def test_absent_folder_says_what_to_give(tmp_path, monkeypatch):
    monkeypatch.delenv("FORGETLESS_ALLOW_DOWNLOAD", raising=False)
    with pytest.raises(
        DatasetUnavailableError, match=r"cifar-100-python: not found; give scenario.root"
    ):
        split_cifar100(root=tmp_path)
    with pytest.raises(ValueError, match="source: cifar10 reads"):
        split_cifar10(root=tmp_path, source="idx")
