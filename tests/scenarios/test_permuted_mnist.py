"""Permuted-MNIST: seeded, reproducible pixel permutations applied to shared images."""

from __future__ import annotations

import pytest
import torch
from fake_idx_data import write_fake_idx

from forgetless.scenarios import permuted_mnist


@pytest.fixture
def root(tmp_path):
    write_fake_idx(tmp_path)
    return tmp_path


def test_permutations_are_seeded_and_reproducible(root):
    a = permuted_mnist(3, seed=7, root=root)
    b = permuted_mnist(3, seed=7, root=root)
    c = permuted_mnist(3, seed=8, root=root)
    for pa, pb, pc in zip(a.permutations, b.permutations, c.permutations, strict=True):
        assert torch.equal(pa, pb) and not torch.equal(pa, pc)
        assert torch.equal(torch.sort(pa).values, torch.arange(784))
    assert torch.equal(a.train[2].tensors()[0], b.train[2].tensors()[0])
    assert not torch.equal(a.permutations[0], a.permutations[1])


def test_each_task_is_the_data_under_its_permutation(root):
    scenario = permuted_mnist(2, seed=1, root=root, normalize=False)
    plain = scenario.test[0].images.reshape(-1, 784).float() / 255
    for task, permutation in enumerate(scenario.permutations):
        inputs, targets = scenario.test[task].tensors()
        assert torch.equal(inputs.reshape(-1, 784), plain[:, permutation])
        assert torch.equal(targets, scenario.test[0].targets)
    assert scenario.classes == [list(range(10))] * 2 and scenario.name == "permuted_mnist"


def test_first_identity_keeps_task_zero_plain_and_later_tasks_unchanged(root):
    default = permuted_mnist(3, seed=5, root=root)
    identity = permuted_mnist(3, seed=5, root=root, first_identity=True)
    assert torch.equal(identity.permutations[0], torch.arange(784))
    assert not torch.equal(default.permutations[0], torch.arange(784))
    assert torch.equal(identity.permutations[2], default.permutations[2])


def test_images_are_shared_not_copied(root):
    scenario = permuted_mnist(4, root=root)
    pointers = {experience.images.data_ptr() for experience in scenario.train}
    assert len(pointers) == 1


def test_training_order_differs_between_tasks_but_covers_all_data(root):
    scenario = permuted_mnist(2, seed=0, root=root, task_incremental=True)
    first, second = scenario.train
    assert not torch.equal(first.rows, second.rows)
    assert torch.equal(torch.sort(first.rows).values, torch.arange(60))
    assert int(second[0][2]) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_tasks": 0}, r"n_tasks: expected an int >= 1, got 0"),
        ({"n_tasks": True}, r"n_tasks: expected an int >= 1, got True"),
        ({"seed": "zero"}, r"seed: expected an int"),
    ],
)
def test_bad_arguments_name_the_argument(root, kwargs, message):
    with pytest.raises(ValueError, match=message):
        permuted_mnist(root=root, **kwargs)
