"""The validation split held out of each experience's training data (issue 18): disjoint, covering,
stratified, seeded; f = 0 changes nothing; evaluate_on swaps the evaluation stream."""

from __future__ import annotations

import pytest
import torch
from synthetic_cifar import write_synthetic_cifar

from forgetless.scenarios import (
    evaluate_on,
    hold_out,
    permuted_mnist,
    split_cifar10,
    split_mnist,
)


def _rows(experience) -> list[int]:
    return sorted(experience.rows.tolist())


@pytest.mark.parametrize("seed", [0, 5])
def test_split_is_disjoint_covers_training_and_is_stratified(seed):
    whole = split_mnist(5, seed=seed)  # the embedded sample: 900 training digits per pair
    held = hold_out(whole, 0.2, seed)
    assert held.test is whole.test and held.evaluated_on == "test"
    for before, train, validation in zip(whole.train, held.train, held.validation, strict=True):
        assert set(_rows(train)).isdisjoint(_rows(validation))
        assert sorted(_rows(train) + _rows(validation)) == _rows(before)
        # each class loses round(0.2 · its count) images, labels stay with their rows
        for label in before.targets.unique().tolist():
            count = int((before.targets == label).sum())
            assert int((validation.targets == label).sum()) == round(0.2 * count)
        assert torch.equal(train.targets, before.targets[torch.isin(before.rows, train.rows)])
        # training keeps its seeded order, minus the held-out rows
        kept = before.rows[torch.isin(before.rows, train.rows)]
        assert torch.equal(train.rows, kept)


def test_split_is_deterministic_per_seed():
    whole = split_mnist(5, seed=0)
    a, b, c = hold_out(whole, 0.1, 1), hold_out(whole, 0.1, 1), hold_out(whole, 0.1, 2)
    assert all(torch.equal(x.rows, y.rows) for x, y in zip(a.validation, b.validation, strict=True))
    assert any(
        not torch.equal(x.rows, y.rows) for x, y in zip(a.validation, c.validation, strict=True)
    )


def test_fraction_zero_is_the_same_scenario():
    whole = split_mnist(5, seed=0)
    assert hold_out(whole, 0.0, 0) is whole and whole.validation is None


def test_permuted_mnist_holds_out_the_same_images_in_every_experience():
    held = hold_out(permuted_mnist(3, seed=1), 0.25, 1)
    first = _rows(held.validation[0])
    assert all(_rows(v) == first for v in held.validation)
    assert all(set(_rows(t)).isdisjoint(first) for t in held.train)


def test_cifar_scenarios_share_the_type(tmp_path):
    write_synthetic_cifar(tmp_path, "cifar10", train_per_class=10, test_per_class=2)
    held = hold_out(split_cifar10(5, root=tmp_path), 0.1, 0)
    assert [len(v) for v in held.validation] == [2] * 5 and [len(t) for t in held.train] == [18] * 5


def test_evaluate_on_validation_swaps_the_evaluation_stream():
    held = hold_out(split_mnist(5, seed=0), 0.1, 0)
    swapped = evaluate_on(held, "validation")
    assert swapped.test is held.validation and swapped.evaluated_on == "validation"
    assert swapped.train is held.train
    assert "evaluated_on='validation'" in repr(swapped)
    assert evaluate_on(held, "test") is held


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s: hold_out(s, 0.5, 0), "validation_fraction: expected a number in [0, 0.5)"),
        (lambda s: hold_out(s, -0.1, 0), "validation_fraction: expected a number in [0, 0.5)"),
        (lambda s: hold_out(s, True, 0), "validation_fraction: expected a number in [0, 0.5)"),
        (lambda s: evaluate_on(s, "validation"), "evaluate_on: 'validation' needs a held-out"),
        (lambda s: evaluate_on(s, "train"), "evaluate_on: expected one of ['test', 'validation']"),
        (lambda s: hold_out(s, 0.001, 0), "validation_fraction: 0.001 leaves experience 0"),
    ],
)
def test_refusals_are_one_line_naming_the_argument(call, message):
    with pytest.raises(ValueError) as error:
        call(split_mnist(5, seed=0))
    assert str(error.value).startswith(message) and "\n" not in str(error.value)
