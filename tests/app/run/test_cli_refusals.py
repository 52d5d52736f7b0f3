"""The CLI refuses bad data, paths and signals cleanly: exit 2 (or 143 for SIGTERM), one line on
stderr naming the key or file, and no run folder, hidden or not (issue 12, items 3, 4 and 6);
a SIGTERM during the run keeps what finished, for a resume (issue 17)."""

import gzip
import signal
import subprocess
import sys

import pytest
import torch
from fake_idx_data import fake_dataset, idx_bytes, write_fake_idx

import forgetless.app.run.compare as compare_module
from forgetless.app.cli import main
from forgetless.app.configs import ConfigError, limits, load_config
from forgetless.app.run.compare import run_compare

TINY = ["progress=false", "activations=[relu]", "strategies=[naive]", "model.hidden=[4]"]


def run_cli(tmp_path, capsys, *overrides):
    code = main(["compare", f"output_dir={tmp_path / 'runs'}", *TINY, *overrides])
    err = capsys.readouterr().err
    return code, err


def assert_refused(code, err, tmp_path, start):
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"forgetless: error: {start}"), err
    runs = tmp_path / "runs"
    assert not runs.exists() or list(runs.iterdir()) == []  # nothing written, not even hidden


def write_classes(folder, keep):
    """The fake dataset restricted to the classes ``keep`` (a predicate on labels)."""
    folder.mkdir()
    tensors = fake_dataset()
    for split in ("train", "t10k"):
        images = tensors[f"{split}-images-idx3-ubyte"]
        labels = tensors[f"{split}-labels-idx1-ubyte"]
        rows = keep(labels)
        (folder / f"{split}-images-idx3-ubyte").write_bytes(idx_bytes(images[rows]))
        (folder / f"{split}-labels-idx1-ubyte").write_bytes(idx_bytes(labels[rows]))


def corrupt(folder, how):
    """Damage the fake IDX folder in one of the ways users' files get damaged."""
    images = folder / "train-images-idx3-ubyte"
    labels = folder / "t10k-labels-idx1-ubyte"
    if how == "missing file":
        labels.unlink()
    elif how == "folder instead of file":
        labels.unlink()
        labels.mkdir()
    elif how == "truncated data":
        images.write_bytes(images.read_bytes()[:-7])
    elif how == "truncated header":
        images.write_bytes(images.read_bytes()[:6])
    elif how == "empty file":
        images.write_bytes(b"")
    elif how == "bad magic":
        images.write_bytes(b"\x00\x00\x09\x03" + images.read_bytes()[4:])
    elif how == "label out of range":
        labels.write_bytes(idx_bytes(torch.full((20,), 11, dtype=torch.uint8)))
    elif how == "count mismatch":
        labels.write_bytes(idx_bytes(torch.zeros(19, dtype=torch.uint8)))
    elif how == "garbage gzip":
        images.unlink()
        (folder / "train-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8b\x08" + b"junk" * 20)
    elif how == "truncated gzip":
        images.unlink()
        data = gzip.compress(idx_bytes(fake_dataset()["train-images-idx3-ubyte"]))
        (folder / "train-images-idx3-ubyte.gz").write_bytes(data[: len(data) // 2])


CORRUPTIONS = {
    "missing file": "IDX folder",
    "folder instead of file": "IDX folder",
    "truncated data": "",
    "truncated header": "",
    "empty file": "",
    "bad magic": "",
    "label out of range": "",
    "count mismatch": "",
    "garbage gzip": "",
    "truncated gzip": "",
}


@pytest.mark.parametrize("how", list(CORRUPTIONS))
def test_corrupt_idx_folders_exit_2_naming_the_file(tmp_path, capsys, how):
    folder = tmp_path / "idx"
    write_fake_idx(folder)
    corrupt(folder, how)
    code, err = run_cli(tmp_path, capsys, "scenario.source=idx", f"scenario.root={folder}")
    assert_refused(code, err, tmp_path, CORRUPTIONS[how])
    assert str(folder) in err


def test_data_missing_classes_is_refused_before_the_first_cell(tmp_path, capsys):
    folder = tmp_path / "digits0to4"
    write_classes(folder, lambda labels: labels < 5)
    code, err = run_cli(tmp_path, capsys, "scenario.source=idx", f"scenario.root={folder}")
    assert_refused(code, err, tmp_path, "scenario.root: experience 3 (classes [6, 7]) has no")


def test_stream_size_is_checked_against_the_data(tmp_path, monkeypatch):
    folder = tmp_path / "idx"
    write_fake_idx(folder)  # 80 samples; 2 seeds x 3 permuted tasks index 480
    monkeypatch.setattr(limits, "MAX_INDEXED_SAMPLES", 400)
    args = ["preset=permuted_mnist", "scenario.n_experiences=3", "scenario.source=idx"]
    cfg = load_config([*args, f"scenario.root={folder}", "seeds=[0,1]", f"output_dir={tmp_path}"])
    with pytest.raises(ConfigError, match=r"^seeds: 2 scenario\(s\) of 240 indexed samples each"):
        run_compare(cfg)
    assert list(tmp_path.iterdir()) == [folder]


def test_unwritable_output_dir_exits_2(tmp_path, capsys):
    code = main(["compare", "output_dir=/proc/forbidden", *TINY])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("forgetless: error: output_dir: ")


def test_sigterm_keeps_the_finished_cells_like_sigint(tmp_path, capsys, monkeypatch):
    """SIGTERM (a scheduler's stop) is handled like Ctrl-C: exit 143, one line naming how to
    resume, and the run folder keeps its config and the cells that finished (issue 17)."""
    real_progress = compare_module._progress
    seen = {}

    def progress_then_sigterm(cells, enabled):
        seen["folder"] = sorted(p.name for p in (tmp_path / "runs" / "killed").iterdir())
        handler = signal.getsignal(signal.SIGTERM)
        if handler in (signal.SIG_DFL, None):  # would end pytest itself: fail instead
            raise AssertionError("no SIGTERM handler installed during the run")
        signal.raise_signal(signal.SIGTERM)
        return real_progress(cells, enabled)

    monkeypatch.setattr(compare_module, "_progress", progress_then_sigterm)
    before = signal.getsignal(signal.SIGTERM)
    code, err = run_cli(tmp_path, capsys, "run_name=killed")
    folder = tmp_path / "runs" / "killed"
    assert code == 143, err
    assert err == (
        "forgetless: stopped by SIGTERM; finished cells are kept; continue with: "
        f"forgetless compare resume={folder}\n"
    )
    assert seen["folder"] == ["cells", "config.yaml"]
    assert sorted(p.name for p in folder.iterdir()) == ["cells", "config.yaml"]
    assert signal.getsignal(signal.SIGTERM) is before


def test_console_exit_code_2_for_a_path_in_run_name(tmp_path):
    """The real command in a subprocess: exit code and stderr, nothing written."""
    done = subprocess.run(
        [sys.executable, "-m", "forgetless.app.cli", "compare", f"output_dir={tmp_path}"]
        + ["run_name=../escape"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("forgetless: error: run_name: expected a plain folder name")
    assert done.stderr.count("\n") == 1 and done.stdout == ""
    assert list(tmp_path.iterdir()) == []
