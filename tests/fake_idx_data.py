"""Write small, fake MNIST-style IDX files by hand (valid, gzipped, truncated, bad magic)."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import torch

TRAIN_PER_CLASS = 6
TEST_PER_CLASS = 2


def idx_bytes(tensor: torch.Tensor, magic: int | None = None) -> bytes:
    """IDX encoding of a uint8 tensor: magic 0x0000_08_NN, big-endian dims, then the data."""
    if magic is None:
        magic = 0x0800 + tensor.dim()
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in tensor.shape)
    return header + tensor.to(torch.uint8).contiguous().numpy().tobytes()


def fake_split(per_class: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Random uint8 images and labels, ``per_class`` of each class, classes interleaved."""
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(10).repeat(per_class)
    images = torch.randint(0, 256, (labels.numel(), 28, 28), generator=generator, dtype=torch.uint8)
    images[:, 0, 0] = labels.to(torch.uint8)  # pixel (0, 0) tells the class, for checks
    return images, labels


def fake_dataset() -> dict[str, torch.Tensor]:
    """The four tensors of a tiny fake MNIST: 60 train, 20 test images."""
    train_images, train_labels = fake_split(TRAIN_PER_CLASS, seed=1)
    test_images, test_labels = fake_split(TEST_PER_CLASS, seed=2)
    return {
        "train-images-idx3-ubyte": train_images,
        "train-labels-idx1-ubyte": train_labels,
        "t10k-images-idx3-ubyte": test_images,
        "t10k-labels-idx1-ubyte": test_labels,
    }


def write_fake_idx(folder: Path, *, gzipped: bool = False) -> dict[str, torch.Tensor]:
    """Write the fake dataset's four files into ``folder``; returns the tensors written."""
    folder.mkdir(parents=True, exist_ok=True)
    tensors = fake_dataset()
    for stem, tensor in tensors.items():
        data = idx_bytes(tensor)
        if gzipped:
            (folder / f"{stem}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / stem).write_bytes(data)
    return tensors
