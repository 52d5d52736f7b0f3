"""Swapping a model no one here wrote: torchvision's resnet18 (nn.ReLU(inplace=True) modules)."""

import torch
import torch.nn.functional as F
from gradient_hooks import gradients_seen
from torch import nn
from torchvision.models import resnet18

from forgetless.activations import AGLU, swap_activations


def test_resnet18_inplace_relus_are_swapped_and_train():
    torch.manual_seed(0)
    x, y = torch.randn(2, 3, 32, 32), torch.tensor([1, 7])
    model = resnet18(num_classes=10).eval()
    before = model(x)
    report = swap_activations(model, "aglu", example_input=x)
    assert len(report.modules) == 9 and report.unused == () and report.calls == ()
    assert not any(isinstance(m, nn.ReLU) for m in model.modules())
    swapped = [m for m in model.modules() if isinstance(m, AGLU)]
    assert len(swapped) == 9  # the stem's and one per BasicBlock, each called where held
    assert not torch.allclose(model(x), before)
    model.train()
    seen = gradients_seen(swapped)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for _ in range(2):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    assert len(seen) == 2 * 17 and all(g > 0 for g in seen)  # stem + 8 blocks x 2 calls
    assert all(m.kappa.grad.abs().sum() > 0 for m in swapped)
    assert all(m.kappa.item() != 1.0 for m in swapped)  # trained away from the init
