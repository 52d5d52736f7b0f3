"""``pip install forgetless`` without an extra: ``compare`` and ``sweep`` say in one line which extra
to install and exit with code 2, writing nothing; the listings still work (issue 26, item 2).

Each case runs in a new interpreter whose import system refuses Avalanche, as a machine without
the extra would (a meta-path finder raising ModuleNotFoundError for ``avalanche``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HIDE = """\
import sys
class HideAvalanche:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "avalanche":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, HideAvalanche())
"""
CLI = HIDE + "from forgetless.app.cli import main\nsys.exit(main(sys.argv[1:]))\n"
MESSAGE = (
    "{who} runs its cells through the Avalanche door; install it with "
    "pip install 'forgetless[avalanche]' (missing module: avalanche)"
)


def without_avalanche(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def test_the_interpreter_really_lacks_avalanche(tmp_path):
    done = without_avalanche(HIDE + "import avalanche\n", cwd=tmp_path)
    assert (
        done.returncode == 1 and "ModuleNotFoundError: No module named 'avalanche'" in done.stderr
    )


@pytest.mark.parametrize(
    "command",
    [
        ["compare", "progress=false"],
        ["compare", "run_name=named", "launcher.jobs=2"],
        ["sweep", "--grid", "optimizer.lr=[0.01,0.05]"],
    ],
)
def test_a_command_that_trains_names_the_extra_and_writes_nothing(tmp_path, command):
    runs = tmp_path / "runs"
    done = without_avalanche(CLI, *command, f"output_dir={runs}", cwd=tmp_path)
    expected = "forgetless: error: " + MESSAGE.format(who=f"forgetless {command[0]}") + "\n"
    assert (done.returncode, done.stderr) == (2, expected)
    assert not runs.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing beside it either


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["presets"], "split_mnist"),
        (["activations", "--params"], "hard_ash"),
        (["rules"], "forward_forward"),
        (["strategies", "--params"], "replay"),
        (["scenarios"], "split_cifar10"),
        (["--version"], "forgetless "),
        (["compare", "--print-config"], "source: embedded"),
    ],
)
def test_the_listings_need_no_extra(tmp_path, command, expected):
    done = without_avalanche(CLI, *command, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout and "Traceback" not in done.stderr


def test_the_python_api_raises_one_clear_error(tmp_path):
    code = HIDE + (
        "import forgetless\n"
        "from forgetless.app.configs import ConfigError\n"
        "try:\n"
        f"    forgetless.compare(output_dir={str(tmp_path / 'runs')!r})\n"
        "except ImportError as error:\n"
        "    assert isinstance(error, ConfigError)\n"
        "    print(error)\n"
    )
    done = without_avalanche(code, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, MESSAGE.format(who="forgetless.compare") + "\n")
    assert not (tmp_path / "runs").exists()


def test_privacy_names_its_extra(tmp_path):
    """With Avalanche but without Opacus, ``privacy.enabled`` is refused naming [privacy]."""
    code = HIDE.replace('"avalanche"', '"opacus"') + (
        "from forgetless.app.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    done = without_avalanche(code, "compare", "preset=private_split_mnist", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2,
        "forgetless: error: privacy.enabled: trains with DP-SGD through Opacus; install it with "
        "pip install 'forgetless[privacy]' (missing module: opacus)\n",
    )
