"""Reading IDX folders: layouts, gzip, and corrupt files reported by name."""

from __future__ import annotations

import gzip

import pytest
import torch
from fake_idx_data import fake_dataset, idx_bytes, write_fake_idx

from forgetless.scenarios import CorruptDataFileError, load_dataset
from forgetless.scenarios.idx_folder import find_idx_files, read_idx, read_idx_folder


def _assert_matches(loaded, tensors):
    data = loaded.data
    assert torch.equal(data.train_images, tensors["train-images-idx3-ubyte"])
    assert torch.equal(data.train_labels, tensors["train-labels-idx1-ubyte"])
    assert torch.equal(data.test_images, tensors["t10k-images-idx3-ubyte"])
    assert torch.equal(data.test_labels, tensors["t10k-labels-idx1-ubyte"])
    assert data.train_images.dtype == torch.uint8 and data.train_labels.dtype == torch.int64


@pytest.mark.parametrize("gzipped", [False, True])
def test_flat_folder_plain_and_gzipped(tmp_path, gzipped):
    tensors = write_fake_idx(tmp_path, gzipped=gzipped)
    loaded = load_dataset("mnist", source="idx", root=tmp_path)
    assert loaded.source == "idx" and loaded.origin == str(tmp_path)
    _assert_matches(loaded, tensors)


@pytest.mark.parametrize(
    ("name", "folder"), [("mnist", "MNIST"), ("fashion_mnist", "FashionMNIST")]
)
def test_torchvision_layout_is_found_by_auto(tmp_path, name, folder):
    tensors = write_fake_idx(tmp_path / folder / "raw", gzipped=True)
    loaded = load_dataset(name, root=tmp_path)
    assert loaded.source == "idx" and loaded.origin == str(tmp_path / folder / "raw")
    _assert_matches(loaded, tensors)


def test_kaggle_dotted_names_are_accepted(tmp_path):
    for stem, tensor in fake_dataset().items():
        (tmp_path / stem.replace("-idx", ".idx")).write_bytes(idx_bytes(tensor))
    assert len(load_dataset("mnist", source="idx", root=tmp_path).data.test_labels) == 20


def test_incomplete_folder_names_the_missing_file(tmp_path):
    write_fake_idx(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="missing t10k-labels-idx1-ubyte"):
        find_idx_files(tmp_path)


def test_truncated_image_file_is_named(tmp_path):
    write_fake_idx(tmp_path)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(CorruptDataFileError, match="train-images-idx3-ubyte"):
        load_dataset("mnist", source="idx", root=tmp_path)


def test_truncated_gzip_is_named(tmp_path):
    write_fake_idx(tmp_path, gzipped=True)
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(CorruptDataFileError, match=r"t10k-images-idx3-ubyte\.gz"):
        load_dataset("mnist", source="idx", root=tmp_path)


def test_not_gzip_data_in_gz_file_is_named(tmp_path):
    path = tmp_path / "labels.gz"
    path.write_bytes(b"this is not gzip data at all")
    with pytest.raises(CorruptDataFileError, match=r"labels\.gz.*cannot be read"):
        read_idx(path, images=False)


def test_bad_magic_number_is_named(tmp_path):
    write_fake_idx(tmp_path)
    labels = fake_dataset()["train-labels-idx1-ubyte"]
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_bytes(labels, magic=0x0D01))
    with pytest.raises(
        CorruptDataFileError, match=r"train-labels-idx1-ubyte: bad magic.*0x00000D01"
    ):
        load_dataset("mnist", source="idx", root=tmp_path)


def test_images_and_labels_swapped_are_rejected(tmp_path):
    tensors = fake_dataset()
    path = tmp_path / "images"
    path.write_bytes(idx_bytes(tensors["train-labels-idx1-ubyte"]))
    with pytest.raises(CorruptDataFileError, match="images: bad magic number 0x00000801"):
        read_idx(path, images=True)


def test_empty_file_is_named(tmp_path):
    path = tmp_path / "empty-idx"
    path.write_bytes(b"")
    with pytest.raises(CorruptDataFileError, match="empty-idx: file too short"):
        read_idx(path, images=False)


def test_wrong_image_size_is_named(tmp_path):
    path = tmp_path / "small-images"
    path.write_bytes(idx_bytes(torch.zeros(3, 8, 8, dtype=torch.uint8)))
    with pytest.raises(CorruptDataFileError, match=r"small-images: images are \(8, 8\)"):
        read_idx(path, images=True)


def test_label_out_of_range_is_named(tmp_path):
    path = tmp_path / "labels"
    path.write_bytes(idx_bytes(torch.tensor([1, 2, 11], dtype=torch.uint8)))
    with pytest.raises(CorruptDataFileError, match="labels: labels outside 0..9"):
        read_idx(path, images=False)


def test_count_mismatch_names_both_files(tmp_path):
    write_fake_idx(tmp_path)
    labels = fake_dataset()["t10k-labels-idx1-ubyte"][:-1]
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    files = find_idx_files(tmp_path)
    with pytest.raises(CorruptDataFileError, match="20 images but .*t10k-labels.* has 19 labels"):
        read_idx_folder(files)


def test_gzipped_and_plain_give_identical_tensors(tmp_path):
    plain = tmp_path / "plain"
    packed = tmp_path / "packed"
    write_fake_idx(plain)
    write_fake_idx(packed, gzipped=True)
    a = read_idx(plain / "train-images-idx3-ubyte", images=True)
    b = read_idx(packed / "train-images-idx3-ubyte.gz", images=True)
    assert torch.equal(a, b)
    assert gzip.decompress((packed / "train-images-idx3-ubyte.gz").read_bytes())[:4] == bytes(
        [0, 0, 8, 3]
    )
