"""CIFAR files are unpickled with only numpy's array globals: code in a pickle never runs, and
labels must be integer class indices; both refusals are one line naming the file."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pytest
import torch
from synthetic_cifar import write_synthetic_cifar

from forgetless.scenarios import CorruptDataFileError, split_cifar10
from forgetless.scenarios.cifar_files import load_cifar


class _Payload:
    """Unpickles to ``call(*args)``: what a malicious data file would do."""

    def __init__(self, call, *args):
        self.call, self.args = call, args

    def __reduce__(self):
        return self.call, self.args


def _small(tmp_path):
    return write_synthetic_cifar(tmp_path, "cifar10", train_per_class=3, test_per_class=1)


def _rewrite(path, change, protocol=pickle.HIGHEST_PROTOCOL):
    entry = pickle.loads(path.read_bytes())
    change(entry)
    path.write_bytes(pickle.dumps(entry, protocol=protocol))


@pytest.mark.parametrize("file", ["data_batch_1", "test_batch"])
@pytest.mark.parametrize("call", ["system", "open"])
def test_a_pickle_that_runs_code_is_refused_unrun(tmp_path, file, call):
    folder = _small(tmp_path)
    marker = tmp_path / "payload_ran"
    payload = (
        _Payload(os.system, f"touch {marker}") if call == "system" else _Payload(open, marker, "w")
    )
    _rewrite(folder / file, lambda entry: entry.update(batch_label=payload))
    with pytest.raises(CorruptDataFileError) as refused:
        split_cifar10(root=tmp_path)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(f"{folder / file}: refused, the pickle refers to ")
    assert not marker.exists()


def test_numpy_1_and_protocol_2_pickles_still_load(tmp_path):
    folder = _small(tmp_path)
    expected = load_cifar("cifar10", root=tmp_path).data
    for file in ("data_batch_1", "test_batch"):
        _rewrite(folder / file, lambda entry: None, protocol=2)
        raw = (folder / file).read_bytes()
        assert b"numpy._core.multiarray\n_reconstruct" in raw  # GLOBAL opcodes are plain text
        (folder / file).write_bytes(raw.replace(b"numpy._core.", b"numpy.core."))
    loaded = load_cifar("cifar10", root=tmp_path).data
    for field in ("train_images", "train_labels", "test_images", "test_labels"):
        assert torch.equal(getattr(loaded, field), getattr(expected, field)), field


def test_same_tensors_as_torchvisions_reader(tmp_path, monkeypatch):
    from torchvision.datasets import CIFAR10

    _small(tmp_path)
    monkeypatch.setattr(CIFAR10, "_check_integrity", lambda self: True)  # synthetic: no MD5
    monkeypatch.setattr(CIFAR10, "_load_meta", lambda self: None)
    data = load_cifar("cifar10", root=tmp_path).data
    for train, images, labels in [
        (True, data.train_images, data.train_labels),
        (False, data.test_images, data.test_labels),
    ]:
        reference = CIFAR10(str(tmp_path), train=train)
        assert torch.equal(images, torch.from_numpy(reference.data).permute(0, 3, 1, 2))
        assert labels.tolist() == reference.targets


@pytest.mark.parametrize(
    "labels, message",
    [
        (lambda n: [0.5] * n, r"label 0 is 0\.5 \(float\), expected an integer class index"),
        (lambda n: ["3"] * n, r"label 0 is '3' \(str\), expected an integer class index"),
        (lambda n: [True] * n, r"label 0 is True \(bool\)"),
        (lambda n: np.full(n, 1.0), r"labels are a float64 array of shape \(\d+,\)"),
        (lambda n: "0" * n, r"labels are str, expected a list"),
    ],
)
def test_labels_that_are_not_integers_are_refused(tmp_path, labels, message):
    folder = _small(tmp_path)
    path = folder / "data_batch_2"
    _rewrite(path, lambda entry: entry.update(labels=labels(len(entry["labels"]))))
    with pytest.raises(CorruptDataFileError, match=rf"^{path}: {message}") as refused:
        split_cifar10(root=tmp_path)
    assert "\n" not in str(refused.value)


def test_integer_numpy_labels_load(tmp_path):
    folder = _small(tmp_path)
    expected = load_cifar("cifar10", root=tmp_path).data.train_labels
    _rewrite(folder / "data_batch_1", lambda entry: entry.update(labels=np.array(entry["labels"])))
    assert torch.equal(load_cifar("cifar10", root=tmp_path).data.train_labels, expected)
