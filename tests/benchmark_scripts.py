"""Importing a ``benchmarks/`` script as a module, for the tests that run its ``main``."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def benchmark_module(file_name: str) -> Iterator[ModuleType]:
    """Yield ``benchmarks/<file_name>`` imported as a module (a pytest fixture body); it is in
    ``sys.modules`` meanwhile, where dataclasses look their module up."""
    name = f"forgetless_benchmark_{Path(file_name).stem}"
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / file_name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(name, None)
