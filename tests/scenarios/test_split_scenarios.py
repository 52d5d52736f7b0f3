"""Split-MNIST / Split-FashionMNIST on tiny fake IDX data: grouping, order, labels, errors."""

from __future__ import annotations

import pytest
import torch
from fake_idx_data import TEST_PER_CLASS, TRAIN_PER_CLASS, write_fake_idx

from forgetless.scenarios import split_fashion_mnist, split_mnist


@pytest.fixture
def root(tmp_path):
    write_fake_idx(tmp_path / "MNIST" / "raw")
    write_fake_idx(tmp_path / "FashionMNIST" / "raw", gzipped=True)
    return tmp_path


@pytest.mark.parametrize("n_experiences", [1, 2, 5, 10])
def test_experiences_hold_exactly_their_classes(root, n_experiences):
    scenario = split_mnist(n_experiences, source="idx", root=root)
    size = 10 // n_experiences
    assert len(scenario) == n_experiences
    assert scenario.classes == [list(range(i, i + size)) for i in range(0, 10, size)]
    for group, train, test in zip(scenario.classes, scenario.train, scenario.test, strict=True):
        assert len(train) == size * TRAIN_PER_CLASS and len(test) == size * TEST_PER_CLASS
        assert set(train.targets.tolist()) == set(group) == set(test.targets.tolist())
        # pixel (0, 0) of the fake images encodes the class: the label belongs to the image
        assert torch.equal(train.images[train.rows, 0, 0].long(), train.targets)


def test_custom_class_order(root):
    order = [3, 7, 0, 9, 1, 2, 8, 4, 6, 5]
    scenario = split_mnist(5, class_order=order, root=root)
    assert scenario.classes == [[3, 7], [0, 9], [1, 2], [8, 4], [6, 5]]
    assert set(scenario.train[0].targets.tolist()) == {3, 7}


def test_shuffled_class_order_is_seeded(root):
    a = split_mnist(5, seed=3, shuffle_classes=True, root=root)
    b = split_mnist(5, seed=3, shuffle_classes=True, root=root)
    c = split_mnist(5, seed=4, shuffle_classes=True, root=root)
    assert a.classes == b.classes != c.classes
    assert sorted(sum(a.classes, [])) == list(range(10))
    assert split_mnist(5, seed=3, root=root).classes[0] == [0, 1]  # seed alone keeps 0..9


def test_sample_order_is_seeded(root):
    a = split_mnist(2, seed=0, root=root).train[0]
    b = split_mnist(2, seed=0, root=root).train[0]
    c = split_mnist(2, seed=1, root=root).train[0]
    assert torch.equal(a.rows, b.rows) and not torch.equal(a.rows, c.rows)
    assert torch.equal(torch.sort(a.rows).values, torch.sort(c.rows).values)


def test_task_incremental_items_carry_the_experience_index(root):
    scenario = split_mnist(5, task_incremental=True, root=root)
    assert scenario.task_incremental
    for index in range(5):
        x, y, t = scenario.train[index][0]
        assert int(t) == index and int(y) in scenario.classes[index]  # labels stay global
        assert len(scenario.test[index][0]) == 3
    assert len(split_mnist(5, root=root).train[0][0]) == 2


def test_normalisation_and_raw_scaling(root):
    normalised = split_fashion_mnist(5, root=root)
    raw = split_fashion_mnist(5, root=root, normalize=False)
    assert normalised.name == "split_fashion_mnist" and normalised.source == "idx"
    x_norm, _ = normalised.train[1][0]
    x_raw, y = raw.train[1][0]
    assert 0.0 <= float(x_raw.min()) and float(x_raw.max()) <= 1.0
    assert torch.allclose(x_norm, (x_raw - 0.2860) / 0.3530, atol=1e-6)
    assert float(x_raw[0, 0, 0]) * 255 == pytest.approx(int(y))


def test_items_batches_and_whole_tensors_agree(root):
    experience = split_mnist(5, root=root).train[2]
    inputs, targets = experience.tensors()
    batch = experience.__getitems__([4, 0, 7])
    assert torch.equal(batch[0][0], inputs[4]) and torch.equal(batch[2][0], inputs[7])
    assert torch.equal(experience[5][0], inputs[5]) and int(experience[-1][1]) == int(targets[-1])
    with pytest.raises(IndexError, match="out of range"):
        experience[len(experience)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_experiences": 3}, r"n_experiences: 3 does not divide the 10 classes; expected one of"),
        ({"n_experiences": 0}, r"n_experiences: expected an int >= 1, got 0"),
        ({"n_experiences": 2.5}, r"n_experiences: expected an int"),
        ({"class_order": [0, 1, 2]}, r"class_order: expected a permutation of 0..9"),
        ({"class_order": [0] * 10}, r"class_order: expected a permutation of 0..9"),
        ({"class_order": list(range(10)), "shuffle_classes": True}, r"shuffle_classes: cannot"),
        ({"seed": -1}, r"seed: expected an int in \[0, 2\*\*63\)"),
        ({"source": "nowhere"}, r"source: unknown source 'nowhere'"),
        ({"source": "idx"}, r"root: source='idx' needs root="),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        split_mnist(**kwargs)


def test_repr_is_short_and_informative(root):
    scenario = split_mnist(5, root=root)
    text = repr(scenario)
    assert "name='split_mnist'" in text and "train_sizes=[12, 12, 12, 12, 12]" in text
    assert repr(scenario.train[1]).startswith("ExperienceDataset(size=12, classes=[2, 3]")
    assert len(text) < 400
