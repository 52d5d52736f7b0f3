"""Write synthetic CIFAR-10 / CIFAR-100 files in exactly torchvision's layout, for offline runs.

The files are the published format (see :mod:`forgetless.scenarios.cifar_files`): pickled dicts
with ``data`` (``n × 3072`` uint8, channel-major) and ``labels`` / ``fine_labels`` (plus
``coarse_labels`` for CIFAR-100), split into ``data_batch_1`` … ``data_batch_5`` and
``test_batch`` (CIFAR-10) or ``train`` and ``test`` (CIFAR-100), with the metadata file. The
tests use them to run the real loading code without the real data, and
``benchmarks/cifar_epoch.py`` writes full-size ones (50,000 / 10,000 images) to time training.

Images are learnable but not trivial: each class has its own colour and stripe frequency, drawn
from a generator seeded with ``seed``, under uniform noise; pixel (channel 0, row 0, column 0)
holds the class index (mod 256), so tests can check that a label belongs to its image.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np

_LAYOUT = {  # name -> (folder, classes, training files, test file, meta file, label key)
    "cifar10": ("cifar-10-batches-py", 10, [f"data_batch_{i}" for i in range(1, 6)], "test_batch",
                "batches.meta", "labels"),
    "cifar100": ("cifar-100-python", 100, ["train"], "test", "meta", "fine_labels"),
}  # fmt: skip


def _images(labels: np.ndarray, num_classes: int, rng: np.random.Generator) -> np.ndarray:
    colours = np.random.default_rng(1234).uniform(40, 215, size=(num_classes, 3, 1, 1))
    frequencies = 1 + np.arange(num_classes) % 7
    rows = np.arange(32).reshape(1, 32, 1)
    images = np.empty((len(labels), 3, 32, 32), dtype=np.uint8)
    for start in range(0, len(labels), 5000):  # in chunks: full size stays within ~100 MB
        chunk = labels[start : start + 5000]
        stripes = 30 * np.sin(rows * frequencies[chunk].reshape(-1, 1, 1, 1) * np.pi / 16)
        noise = rng.uniform(-60, 60, size=(len(chunk), 3, 32, 32))
        pixels = colours[chunk] + stripes + noise
        images[start : start + len(chunk)] = np.clip(pixels, 0, 255).astype(np.uint8)
    images[:, 0, 0, 0] = labels % 256
    return images.reshape(len(labels), 3072)


def _labels(per_class: int, num_classes: int, rng: np.random.Generator) -> np.ndarray:
    return rng.permutation(np.repeat(np.arange(num_classes), per_class))


def _dump(path: Path, content: dict) -> None:
    with open(path, "wb") as f:
        pickle.dump(content, f, protocol=pickle.HIGHEST_PROTOCOL)


def write_synthetic_cifar(
    root: str | os.PathLike,
    name: str = "cifar10",
    *,
    train_per_class: int = 30,
    test_per_class: int = 10,
    seed: int = 0,
) -> Path:
    """Write synthetic ``name`` (``"cifar10"`` | ``"cifar100"``) files under ``root``; return the
    dataset folder (``<root>/cifar-10-batches-py`` or ``<root>/cifar-100-python``)."""
    if name not in _LAYOUT:
        raise ValueError(f"name: expected one of {sorted(_LAYOUT)}, got {name!r}")
    folder_name, num_classes, train_files, test_file, meta_file, label_key = _LAYOUT[name]
    folder = Path(root) / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    train_labels = _labels(train_per_class, num_classes, rng)
    test_labels = _labels(test_per_class, num_classes, rng)
    parts = np.array_split(np.arange(len(train_labels)), len(train_files))
    splits = [(f, train_labels[rows]) for f, rows in zip(train_files, parts, strict=True)]
    for file, labels in [*splits, (test_file, test_labels)]:
        content = {"data": _images(labels, num_classes, rng), label_key: labels.tolist()}
        if name == "cifar100":
            content["coarse_labels"] = (labels // 5).tolist()
        _dump(folder / file, {"batch_label": f"synthetic {file}", **content})
    names = [f"class_{c}" for c in range(num_classes)]
    meta = {"label_names": names} if name == "cifar10" else {"fine_label_names": names}
    _dump(folder / meta_file, meta)
    return folder
