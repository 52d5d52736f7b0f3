"""Source order, argument errors, the Debian location, the guarded download, "nothing available"."""

from __future__ import annotations

import socket
import warnings
from urllib.error import URLError

import pytest
import torch
import torchvision.datasets
from fake_idx_data import fake_dataset, write_fake_idx

import forgetless.scenarios.sources as sources
from forgetless.scenarios import DatasetUnavailableError, load_dataset


@pytest.fixture
def no_debian(monkeypatch, tmp_path):
    monkeypatch.setattr(sources, "DEBIAN_FASHION_MNIST_DIR", tmp_path / "no-such-debian-dir")
    monkeypatch.delenv(sources.ALLOW_DOWNLOAD_ENV, raising=False)


class _OfflineDataset:
    """Stands in for torchvision.datasets.MNIST on a machine without network."""

    timeouts_seen: list[float | None] = []

    def __init__(self, root, train, download):
        assert download is True
        _OfflineDataset.timeouts_seen.append(socket.getdefaulttimeout())
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz:\nTried mirror, got: …")


class _OnlineDataset:
    """Stands in for torchvision.datasets.FashionMNIST when the download works."""

    def __init__(self, root, train, download):
        tensors = fake_dataset()
        prefix = "train" if train else "t10k"
        self.data = tensors[f"{prefix}-images-idx3-ubyte"]
        self.targets = tensors[f"{prefix}-labels-idx1-ubyte"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "cifar10"}, r"name: unknown dataset 'cifar10'; expected one of"),
        ({"source": "kaggle"}, r"source: unknown source 'kaggle'; expected one of \['auto'"),
        ({"source": "idx"}, r"root: source='idx' needs root="),
        ({"name": "fashion_mnist", "source": "embedded"}, "source: 'embedded' is MNIST only"),
        (
            {"root": "/no/such/folder/anywhere"},
            r"root: /no/such/folder/anywhere is not an existing",
        ),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_dataset(**kwargs)


def test_nothing_available_lists_every_source_and_how_to_fix(no_debian, tmp_path):
    with pytest.raises(DatasetUnavailableError) as info:
        load_dataset("fashion_mnist", root=tmp_path)
    message = str(info.value)
    for tried in (
        "idx: no IDX files",
        "debian: ",
        "no-such-debian-dir",
        "torchvision: download not",
    ):
        assert tried in message
    assert "embedded: the embedded sample is MNIST only" in message
    assert "apt-get install dataset-fashion-mnist" in message and "root=" in message
    assert "FORGETLESS_ALLOW_DOWNLOAD=1" in message
    assert "\n" not in message


def test_debian_location_is_used_for_fashion_mnist(monkeypatch, tmp_path):
    tensors = write_fake_idx(tmp_path / "debian", gzipped=True)
    monkeypatch.setattr(sources, "DEBIAN_FASHION_MNIST_DIR", tmp_path / "debian")
    loaded = load_dataset("fashion_mnist")
    assert loaded.source == "debian" and (loaded.mean, loaded.std) == (0.2860, 0.3530)
    assert torch.equal(loaded.data.test_images, tensors["t10k-images-idx3-ubyte"])


def test_user_root_comes_before_debian(monkeypatch, tmp_path):
    write_fake_idx(tmp_path / "debian", gzipped=True)
    monkeypatch.setattr(sources, "DEBIAN_FASHION_MNIST_DIR", tmp_path / "debian")
    write_fake_idx(tmp_path / "mine" / "FashionMNIST" / "raw")
    assert load_dataset("fashion_mnist", root=tmp_path / "mine").source == "idx"


def test_download_is_not_tried_by_auto_without_the_env_var(no_debian, monkeypatch):
    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", _OnlineDataset)
    with pytest.raises(DatasetUnavailableError, match="torchvision: download not attempted"):
        load_dataset("fashion_mnist")


def test_download_is_used_when_allowed(no_debian, monkeypatch, tmp_path):
    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", _OnlineDataset)
    monkeypatch.setenv(sources.ALLOW_DOWNLOAD_ENV, "1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # downloading into root uses root: nothing to warn about
        loaded = load_dataset("fashion_mnist", root=tmp_path)
    assert loaded.source == "torchvision"
    assert loaded.origin == str(tmp_path / "FashionMNIST" / "raw")
    assert torch.equal(loaded.data.train_labels, fake_dataset()["train-labels-idx1-ubyte"])


def test_offline_download_fails_fast_and_auto_moves_on(no_debian, monkeypatch, tmp_path):
    monkeypatch.setattr(torchvision.datasets, "MNIST", _OfflineDataset)
    monkeypatch.setenv(sources.ALLOW_DOWNLOAD_ENV, "1")
    _OfflineDataset.timeouts_seen.clear()
    before = socket.getdefaulttimeout()
    with pytest.warns(UserWarning, match="using the embedded source"):
        loaded = load_dataset("mnist", root=tmp_path)
    assert loaded.source == "embedded"
    assert _OfflineDataset.timeouts_seen == [sources.DOWNLOAD_TIMEOUT_S]
    assert socket.getdefaulttimeout() == before


def test_named_torchvision_source_reports_the_download_error(no_debian, monkeypatch, tmp_path):
    def unreachable(root, train, download):
        raise RuntimeError(
            "Error downloading train-images-idx3-ubyte.gz:\n"
            "Tried https://mirror/, got:\n<urlopen error [Errno -2] Name or service not known>\n"
        ) from URLError("[Errno -2] Name or service not known")

    monkeypatch.setattr(torchvision.datasets, "MNIST", unreachable)
    with pytest.raises(DatasetUnavailableError) as info:
        load_dataset("mnist", source="torchvision", root=tmp_path)
    message = str(info.value)
    assert f"torchvision: download into {tmp_path} failed: Error downloading" in message
    assert "got: <urlopen error [Errno -2] Name or service not known>" in message
    assert "\n" not in message and "embedded:" not in message  # only the named source tried


def test_corrupt_user_file_is_not_replaced_by_another_source(tmp_path):
    write_fake_idx(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08")
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte: file too short"):
        load_dataset("mnist", root=tmp_path)
