"""The reduced ResNet-18 (GEM, nf = 20) and the small CNN on CIFAR-shaped inputs."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from forgetless.activations import swap_activations
from forgetless.models import ReducedResNet18, SmallCNN, build_model


def test_reduced_resnet18_shape_and_size():
    model = ReducedResNet18(num_classes=10)
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 10)
    assert model(torch.randn(2, 3 * 32 * 32)).shape == (2, 10)  # flat inputs are reshaped
    # GEM's nf = 20: stages of 20, 40, 80, 160 maps; ~1.09 M parameters for 10 classes
    widths = [stage[0].branch[0].out_channels for stage in model.stages]
    assert widths == [20, 40, 80, 160]
    assert sum(p.numel() for p in model.parameters()) == 1_094_750


def test_every_relu_is_swapped():
    model = ReducedResNet18(num_classes=100)
    names = swap_activations(model, "hard_ash").modules
    assert len(names) == 17  # stem + 2 per block x 8 blocks
    assert not any(isinstance(m, nn.ReLU) for m in model.modules())
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 100)


def test_build_model_reads_the_input_shape():
    cnn = build_model("cnn", input_shape=(3, 32, 32), num_classes=10, hidden=[32])
    assert isinstance(cnn, SmallCNN) and cnn.features[0].in_channels == 3
    assert cnn(torch.randn(4, 3, 32, 32)).shape == (4, 10)
    mlp = build_model("mlp", input_shape=(3, 32, 32), hidden=[8])
    assert mlp.features[1].in_features == 3072
    resnet = build_model("reduced_resnet18", input_shape=(3, 32, 32), num_classes=100)
    assert resnet.classifier.out_features == 100


@pytest.fixture
def one_thread():
    """Small convolutions gain nothing from threads, which only contend on a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_reduced_resnet18_fits_a_small_batch(one_thread):
    torch.manual_seed(0)
    model = ReducedResNet18(num_classes=4, nf=4, image_size=16)
    x, y = torch.randn(16, 3, 16, 16), torch.arange(4).repeat(4)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for _ in range(15):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
