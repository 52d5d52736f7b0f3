"""Every import of the package is declared in setup.cfg, and each package imports only what
docs/architecture.md's "Who may import what" allows (read from the source with ast; the checker
itself is tried on small synthetic trees first, so these tests can fail)."""

from __future__ import annotations

import importlib.metadata
import re
import textwrap
from pathlib import Path

import pytest
from import_rules import (
    Area,
    broken_rules,
    core_needs_an_extra,
    reached_only_through,
    undeclared,
)

ROOT = Path(__file__).resolve().parents[1]

# The rows of "Who may import what" (docs/architecture.md), as top-level module names.
CORE_PATHS = tuple(
    f"forgetless/{name}"
    for name in (
        "activations/",
        "kernels/",
        "rules/",
        "heads/",
        "plasticity/",
        "scenarios/",
        "metrics/",
        "models/",
        "report/",
        "checks.py",
        "optim.py",
        "resolve.py",
        "scenario_specs.py",
        "strategy_specs/",
    )
)
CORE_LIBRARIES = frozenset({"torch", "torchvision", "torchmetrics", "numpy", "matplotlib"})
DOORS_AND_APP = ("forgetless.avalanche", "forgetless.lightning", "forgetless.app")
CORE = Area(
    "core",
    CORE_PATHS,
    CORE_LIBRARIES,
    only_in={"triton": ("forgetless/kernels/",), "mlxtend": ("forgetless/scenarios/",)},
    never=DOORS_AND_APP,
)
PRIVACY = Area(
    "privacy",
    ("forgetless/privacy/",),
    CORE_LIBRARIES | {"opacus"},
    never=("forgetless.avalanche", "forgetless.lightning"),
)
AVALANCHE_DOOR = Area(
    "avalanche",
    ("forgetless/avalanche/",),
    CORE_LIBRARIES | {"avalanche"},
    only_in={
        "opacus": (
            "forgetless/avalanche/privacy_plugin.py",
            "forgetless/avalanche/private_strategy.py",
        )
    },
    never=("forgetless.lightning", "forgetless.app"),
)
LIGHTNING_DOOR = Area(
    "lightning",
    ("forgetless/lightning/",),
    CORE_LIBRARIES | {"pytorch_lightning"},
    only_in={"opacus": ("forgetless/lightning/private_training.py",)},
    never=("forgetless.avalanche", "forgetless.app"),
)
APP = Area(
    "app",
    ("forgetless/app/", "forgetless/__main__.py"),
    CORE_LIBRARIES | {"opacus", "avalanche", "pytorch_lightning", "omegaconf", "tqdm", "psutil"},
    only_in={"ray": ("forgetless/app/run/ray_launcher.py",)},
    lazy_only=frozenset({"ray"}),
)
# forgetless/__init__.py imports no library; its compare() imports the app when called.
TOP = Area("forgetless/__init__.py", ("forgetless/__init__.py",), frozenset())
AREAS = (TOP, CORE, PRIVACY, AVALANCHE_DOOR, LIGHTNING_DOOR, APP)
KERNEL_ENTRIES = ("forgetless.kernels.dispatch",)


@pytest.fixture(scope="module")
def mapping():
    return importlib.metadata.packages_distributions()


def test_every_import_is_declared(mapping):
    assert undeclared(ROOT, mapping) == []


def test_the_core_imports_base_requirements_only(mapping):
    assert core_needs_an_extra(ROOT, CORE, mapping) == []


def test_each_package_imports_what_its_row_allows():
    assert broken_rules(ROOT, AREAS) == []


def test_triton_is_reached_only_through_dispatch():
    assert reached_only_through(ROOT, "forgetless.kernels", KERNEL_ENTRIES, "triton") == []


def test_the_rules_here_are_the_architecture_documents():
    """Each library these rules allow is named in the doc's table, so the two stay one."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    table = text.split("## Who may import what", 1)[1].split("Further rules:", 1)[0].lower()
    libraries = set().union(*(a.anywhere | set(a.only_in) for a in AREAS))
    assert [m for m in sorted(libraries) if not re.search(rf"\b{m}\b", table)] == []


# --- the checker on synthetic trees ---------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str], base: str, extras: str = "") -> Path:
    (tmp_path / "setup.cfg").write_text(
        "[options]\ninstall_requires =\n"
        + textwrap.indent(base, "    ")
        + "\n[options.extras_require]\n"
        + extras
    )
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return tmp_path


FAKE = {"numpy": ["numpy"], "avalanche": ["avalanche-lib"], "yaml": ["PyYAML"]}


def test_the_checker_finds_an_undeclared_import(tmp_path):
    root = _tree(
        tmp_path,
        {"forgetless/models/a.py": "import os\nimport numpy as np\nfrom yaml import safe_load\n"},
        base="numpy>=1.24",
    )
    assert undeclared(root, FAKE) == [
        "forgetless/models/a.py: imports yaml, declared in no install_requires or extra"
    ]


def test_the_checker_finds_a_core_module_needing_an_extra(tmp_path):
    root = _tree(
        tmp_path,
        {
            "forgetless/models/a.py": "def f():\n    import avalanche\n",
            "forgetless/avalanche/b.py": "import avalanche\n",
        },
        base="torch",
        extras="avalanche =\n    avalanche-lib>=0.6\n",
    )
    assert undeclared(root, FAKE) == []
    assert core_needs_an_extra(root, CORE, FAKE) == [
        "forgetless/models/a.py: the core imports avalanche, which is not in install_requires"
    ]


def test_the_checker_applies_each_row(tmp_path):
    root = _tree(
        tmp_path,
        {
            "forgetless/models/a.py": "from forgetless.app import cli\n",
            "forgetless/rules/b.py": "import triton\n",
            "forgetless/avalanche/c.py": "import opacus\n",
            "forgetless/avalanche/privacy_plugin.py": "import opacus\n",
            "forgetless/app/run/ray_launcher.py": "import ray\n",
            "forgetless/app/run/d.py": "def f():\n    import ray\n",
            "forgetless/lightning/e.py": "from ..avalanche import c\n",
        },
        base="torch",
    )
    assert broken_rules(root, AREAS) == [
        "forgetless/app/run/d.py: app may not import ray",
        "forgetless/app/run/ray_launcher.py: imports ray at module level (only inside functions)",
        "forgetless/avalanche/c.py: avalanche may not import opacus",
        "forgetless/lightning/e.py: lightning may not import forgetless.avalanche",
        "forgetless/models/a.py: core may not import forgetless.app",
        "forgetless/rules/b.py: core may not import triton",
    ]


def test_the_checker_finds_triton_reached_eagerly(tmp_path):
    root = _tree(
        tmp_path,
        {
            "forgetless/kernels/__init__.py": "",
            "forgetless/kernels/dispatch.py": "import triton\n",
            "forgetless/kernels/ash.py": "import triton\n",
            "forgetless/activations/ash.py": "from forgetless.kernels.dispatch import dispatch\n",
            "forgetless/activations/bad.py": "from forgetless.kernels import ash\n",
        },
        base="torch",
    )
    assert reached_only_through(root, "forgetless.kernels", KERNEL_ENTRIES, "triton") == [
        "forgetless/activations/bad.py: imports forgetless.kernels.ash; reach forgetless.kernels "
        "through ('forgetless.kernels.dispatch',)",
        "forgetless/kernels/dispatch.py: imports triton; forgetless.kernels loads it only on use",
    ]
