"""Argument checks shared by the scenario builders: one-line ``ValueError`` naming the argument."""

from __future__ import annotations

from collections.abc import Sequence, Sized

import torch


def check_int(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    """``value`` as an int ≥ ``minimum`` (and ≤ ``maximum`` if given; bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name}: expected an int >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name}: expected an int in [{minimum}, {maximum}], got {value!r}")
    return value


def check_seed(seed: object) -> int:
    """A seed for ``torch.Generator``: an int in ``[0, 2**63)``."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ValueError(f"seed: expected an int in [0, 2**63), got {seed!r}")
    return seed


def check_class_order(class_order: Sequence[int], num_classes: int) -> list[int]:
    """``class_order`` as a list, which must be a permutation of ``0..num_classes-1``."""
    try:
        order = list(class_order)
    except TypeError:
        order = None
    if (
        order is None
        or not all(isinstance(c, int) and not isinstance(c, bool) for c in order)
        or sorted(order) != list(range(num_classes))
    ):
        order = class_order if order is None else order
        raise ValueError(
            f"class_order: expected a permutation of 0..{num_classes - 1}, got {order!r}"
        )
    return order


def seeded_shuffle(rows: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """``rows`` in a random order drawn from ``generator`` (reproducible for a given seed)."""
    return rows[torch.randperm(rows.numel(), generator=generator)]


def check_non_empty(
    train: Sequence[Sized],
    test: Sequence[Sized],
    origin: str,
    classes: Sequence[Sequence[int]] | None = None,
) -> None:
    """Every experience has training and test samples; else a ValueError naming the first
    empty one (e.g. a data folder that holds only some of the classes)."""
    for split, experiences in (("training", train), ("test", test)):
        for index, experience in enumerate(experiences):
            if len(experience) == 0:
                which = f" (classes {list(classes[index])})" if classes is not None else ""
                raise ValueError(
                    f"data: experience {index}{which} has no {split} samples in {origin}; "
                    "every experience needs training and test samples"
                )
