"""Small data and modules shared by the Lightning tests and the DDP script (no test here)."""

from __future__ import annotations

import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from torch import nn

from forgetless.scenarios import ExperienceDataset, Scenario

QUIET = dict(
    accelerator="cpu",
    enable_progress_bar=False,
    enable_model_summary=False,
    log_every_n_steps=1,
)


def tiny_scenario(T: int = 2, n_train: int = 32, n_test: int = 16, seed: int = 0) -> Scenario:
    """``T`` two-class experiences of noisy class prototypes (28 x 28), ``n_*`` per experience."""
    g = torch.Generator().manual_seed(seed)
    classes = [[2 * i, 2 * i + 1] for i in range(T)]
    per_class = (n_train + n_test) // 2
    labels = torch.tensor([c for group in classes for c in group]).repeat_interleave(per_class)
    prototypes = torch.rand(10, 28, 28, generator=g)
    noise = torch.rand(len(labels), 28, 28, generator=g)
    images = ((0.5 * prototypes[labels] + 0.5 * noise) * 255).to(torch.uint8)
    train, test = [], []
    for group in classes:
        rows = torch.nonzero(torch.isin(labels, torch.tensor(group))).flatten()
        rows = rows[torch.randperm(len(rows), generator=g)]
        train_rows, test_rows = rows[:n_train], rows[n_train : n_train + n_test]
        train.append(ExperienceDataset(images, train_rows, labels[train_rows], 0.5, 0.3))
        test.append(ExperienceDataset(images, test_rows, labels[test_rows], 0.5, 0.3))
    return Scenario("tiny", train, test, classes)


class LitClassifier(pl.LightningModule):
    """A plain LightningModule written the way Lightning's docs write one (with nn.ReLU modules).

    ``log_loss=False``: no ``self.log`` of its own (ContinualMetrics still logs ``train/loss``)."""

    def __init__(self, hidden: int = 16, lr: float = 0.05, log_loss: bool = True) -> None:
        super().__init__()
        self.lr = lr
        self.log_loss = log_loss
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        if self.log_loss:
            self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)


def same_weights(a: nn.Module, b: nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)
