"""Fixtures of the rule tests (the problem itself: tests/separable_problem.py)."""

from __future__ import annotations

import pytest
import torch
from separable_problem import separable_problem


@pytest.fixture(scope="session")
def train_data() -> tuple[torch.Tensor, torch.Tensor]:
    return separable_problem(512, seed=1)


@pytest.fixture(scope="session")
def test_data() -> tuple[torch.Tensor, torch.Tensor]:
    return separable_problem(512, seed=2)
