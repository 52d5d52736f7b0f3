"""Checks a package tree's imports against setup.cfg and the import rules of docs/architecture.md.

A test-only helper of ``tests/test_declared_dependencies.py``: it reads every ``import x`` /
``from x import y`` of ``forgetless/**/*.py`` with :mod:`ast` (not by importing the modules),
maps each third-party top-level name to its distribution, and reports, one line each:

* imports whose distribution setup.cfg declares nowhere (neither ``install_requires`` nor an
  extra) -- the check of ``../shared/tools/undeclared-imports``, kept in the repository;
* core modules importing a distribution that only an extra declares;
* imports that a package's row of "Who may import what" does not allow (:class:`Area`).
"""

from __future__ import annotations

import ast
import configparser
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Found:
    """One imported module: the file (relative to the tree's root), its name, and whether the
    import sits inside a function (runs only when the function is called)."""

    path: str
    module: str
    lazy: bool

    @property
    def top(self) -> str:
        return self.module.split(".")[0]


@dataclass(frozen=True)
class Area:
    """A part of the package and what it may import.

    Attributes:
        name: how the messages call it (``core``, ``avalanche`` ...).
        prefixes: the files it holds, as path prefixes under the tree's root.
        anywhere: third-party top-level modules any of its files may import.
        only_in: module -> the path prefixes of the only files that may import it.
        lazy_only: modules its files may import only inside functions.
        never: ``forgetless.*`` packages it must not import.
    """

    name: str
    prefixes: tuple[str, ...]
    anywhere: frozenset[str]
    only_in: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    lazy_only: frozenset[str] = frozenset()
    never: tuple[str, ...] = ()

    def holds(self, path: str) -> bool:
        return any(path == p or path.startswith(p) for p in self.prefixes)


def requirement_names(text: str) -> set[str]:
    """The distribution names of setup.cfg requirement lines (versions, markers, extras cut)."""
    names = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(normalize(re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0]))
    return names


def normalize(distribution: str) -> str:
    return distribution.lower().replace("_", "-")


def declared(setup_cfg: Path) -> tuple[set[str], set[str]]:
    """``(base, every extra together)`` as normalized distribution names."""
    cfg = configparser.ConfigParser()
    cfg.read(setup_cfg)
    base = requirement_names(cfg.get("options", "install_requires", fallback=""))
    extras: set[str] = set()
    if cfg.has_section("options.extras_require"):
        for _, text in cfg.items("options.extras_require"):
            extras |= requirement_names(text)
    return base, extras


def _absolute(node: ast.ImportFrom, path: str) -> str:
    """The module a relative ``from . import x`` names (``path`` relative to the root)."""
    package = Path(path).with_suffix("").parts[:-1] if node.level else ()
    if node.level > 1:
        package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def imports_in(root: Path) -> list[Found]:
    """Every import of ``root/forgetless/**/*.py`` (``from x import y`` also as ``x.y``)."""
    found = []
    for file in sorted((root / "forgetless").rglob("*.py")):
        path = file.relative_to(root).as_posix()
        tree = ast.parse(file.read_text(), filename=path)
        for node, lazy in _walk(tree, lazy=False):
            if isinstance(node, ast.Import):
                found.extend(Found(path, alias.name, lazy) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                module = _absolute(node, path) if node.level else node.module or ""
                found.append(Found(path, module, lazy))
                found.extend(Found(path, f"{module}.{a.name}", lazy) for a in node.names)
    return found


def _walk(node: ast.AST, lazy: bool) -> Iterable[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        yield child, lazy
        inside = lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield from _walk(child, inside)


def third_party(found: Iterable[Found]) -> list[Found]:
    """The imports of modules that are neither the standard library nor forgetless."""
    return [f for f in found if f.top not in sys.stdlib_module_names and f.top != "forgetless"]


def distributions(top: str, mapping: Mapping[str, list[str]]) -> set[str]:
    """The distributions that provide top-level module ``top`` (its own name if unknown)."""
    return {normalize(d) for d in mapping.get(top, [top])}


def undeclared(root: Path, mapping: Mapping[str, list[str]]) -> list[str]:
    """One line per third-party import whose distribution setup.cfg does not declare."""
    base, extras = declared(root / "setup.cfg")
    return sorted(
        {
            f"{f.path}: imports {f.top}, declared in no install_requires or extra"
            for f in third_party(imports_in(root))
            if not distributions(f.top, mapping) & (base | extras)
        }
    )


def core_needs_an_extra(root: Path, core: Area, mapping: Mapping[str, list[str]]) -> list[str]:
    """One line per core import whose distribution is not a base requirement."""
    base, _ = declared(root / "setup.cfg")
    return sorted(
        {
            f"{f.path}: the core imports {f.top}, which is not in install_requires"
            for f in third_party(imports_in(root))
            if core.holds(f.path) and not distributions(f.top, mapping) & base
        }
    )


def broken_rules(root: Path, areas: Iterable[Area]) -> list[str]:
    """One line per import that its area's row does not allow."""
    areas = list(areas)
    found = imports_in(root)
    problems = []
    for f in third_party(found):
        area = next((a for a in areas if a.holds(f.path)), None)
        if area is None:
            problems.append(f"{f.path}: in no area of the import rules")
            continue
        if f.top in area.only_in:
            allowed = any(f.path.startswith(p) for p in area.only_in[f.top])
        else:
            allowed = f.top in area.anywhere
        if not allowed:
            problems.append(f"{f.path}: {area.name} may not import {f.top}")
        elif f.top in area.lazy_only and not f.lazy:
            problems.append(f"{f.path}: imports {f.top} at module level (only inside functions)")
    for f in found:
        area = next((a for a in areas if a.holds(f.path)), None)
        for package in area.never if area is not None else ():
            if f.module == package or f.module.startswith(package + "."):
                problems.append(f"{f.path}: {area.name} may not import {package}")
    return sorted(set(problems))


def reached_only_through(
    root: Path, package: str, entries: tuple[str, ...], module: str
) -> list[str]:
    """One line per way ``module`` could be imported eagerly: an ``entries`` module of
    ``package`` importing it, or a module outside ``package`` importing another of its modules
    than ``entries`` (the package loads the rest itself, by name, when first needed)."""
    folder = package.replace(".", "/") + "/"
    problems = []
    for f in imports_in(root):
        own = f.path.startswith(folder)
        name = f.path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        if own and name in (package, *entries) and f.top == module:
            problems.append(f"{f.path}: imports {module}; {package} loads it only on use")
        reaches = f.module.startswith(package + ".") and f.module not in entries
        if not own and reaches and not any(f.module.startswith(e + ".") for e in entries):
            problems.append(f"{f.path}: imports {f.module}; reach {package} through {entries}")
    return sorted(set(problems))
