"""Damaged checkpoints and unusable checkpoint paths are refused before training, naming the file
(issue 12, item 2); the corrupt-checkpoint suite."""

import struct
import zipfile

import pytest
import pytorch_lightning as pl
import torch
from lightning_helpers import QUIET, LitClassifier, tiny_scenario

from forgetless.lightning.checkpoint_files import CheckpointError, read_checkpoint
from forgetless.lightning.continual_loop import continual_trainer, fit_continual


class CountBatches(pl.Callback):
    def __init__(self) -> None:
        self.batches = 0

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        self.batches += 1


def fit(scenario, folder, counter=None):
    torch.manual_seed(0)
    trainer = continual_trainer(
        scenario,
        checkpoint_dir=folder,
        seed=7,
        logger=False,
        callbacks=[counter] if counter else [],
        **QUIET,
    )
    return fit_continual(trainer, LitClassifier(hidden=8), scenario, batch_size=8, seed=7)


@pytest.fixture(scope="module")
def scenario():
    return tiny_scenario(T=2, n_train=16, n_test=8)


@pytest.fixture(scope="module")
def good_checkpoint(scenario, tmp_path_factory):
    folder = tmp_path_factory.mktemp("good")
    fit(scenario, folder)
    return (folder / "last.ckpt").read_bytes()


def member_offset(raw: bytes, suffix: str) -> tuple[str, int, int]:
    """(name, start, size) of the stored bytes of the zip member whose name ends with suffix."""
    import io

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(suffix))
    name_len, extra_len = struct.unpack(
        "<HH", raw[info.header_offset + 26 : info.header_offset + 30]
    )
    return info.filename, info.header_offset + 30 + name_len + extra_len, info.compress_size


def flip(raw: bytes, suffix: str, at: int = 5) -> bytes:
    _, start, size = member_offset(raw, suffix)
    data = bytearray(raw)
    data[start + min(at, size - 1)] ^= 0x40
    return bytes(data)


def test_changed_weight_bytes_refuse_the_resume_naming_the_file(
    scenario, good_checkpoint, tmp_path
):
    folder = tmp_path / "ckpt"
    folder.mkdir()
    last = folder / "last.ckpt"
    last.write_bytes(flip(good_checkpoint, "data/0"))  # still a valid zip and valid floats
    counter = CountBatches()
    with pytest.raises(CheckpointError, match=rf"^{last}: corrupt checkpoint: \S*data/0 does not"):
        fit(scenario, folder, counter)
    assert counter.batches == 0


def test_a_folder_at_last_ckpt_is_refused_before_training(scenario, tmp_path):
    (tmp_path / "last.ckpt").mkdir()
    counter = CountBatches()
    with pytest.raises(CheckpointError, match=rf"^{tmp_path / 'last.ckpt'}: exists but is not"):
        fit(scenario, tmp_path, counter)
    assert counter.batches == 0


def test_a_file_as_checkpoint_folder_is_refused_before_training(scenario, tmp_path):
    target = tmp_path / "not_a_folder"
    target.write_text("x")
    counter = CountBatches()
    with pytest.raises(CheckpointError, match="checkpoint dirpath exists but is not a folder"):
        fit(scenario, target, counter)
    assert counter.batches == 0


def _empty_zip(raw: bytes) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("other/readme.txt", "not a checkpoint")
    return buffer.getvalue()


CORRUPTIONS = {
    "weights flipped": (lambda raw: flip(raw, "data/0"), "corrupt checkpoint"),
    "pickle flipped": (lambda raw: flip(raw, "data.pkl", at=40), "corrupt checkpoint"),
    "truncated": (lambda raw: raw[: len(raw) // 2], "not a readable checkpoint"),
    "tail cut": (lambda raw: raw[:-10], ""),
    "empty": (lambda raw: b"", "not a readable checkpoint"),
    "garbage": (lambda raw: b"\x00garbage" * 100, "not a readable checkpoint"),
    "other zip": (_empty_zip, "not a readable checkpoint"),
}


@pytest.mark.parametrize("how", list(CORRUPTIONS))
def test_corrupt_checkpoints_are_refused_naming_the_file(good_checkpoint, tmp_path, how):
    damage, message = CORRUPTIONS[how]
    path = tmp_path / "last.ckpt"
    path.write_bytes(damage(good_checkpoint))
    with pytest.raises(CheckpointError, match=rf"^{path}: {message}") as info:
        read_checkpoint(path)
    assert "\n" not in str(info.value)


def test_the_intact_checkpoint_still_reads(good_checkpoint, tmp_path):
    path = tmp_path / "last.ckpt"
    path.write_bytes(good_checkpoint)
    assert "state_dict" in read_checkpoint(path)
    with pytest.raises(CheckpointError, match=rf"^{tmp_path}: is a folder, not a checkpoint file"):
        read_checkpoint(tmp_path)
