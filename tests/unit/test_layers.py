"""The shape the code keeps: handlers reach data through services, and access is decided in
one place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "bot" / "domain" / "access.py"
# Comparing roles or places: a role against a role, a path against a path or its prefix.
ACCESS_RULE = re.compile(
    r"Role\.[A-Z]+ in|in \(Role|[=!]= ?Role\.|Role\.\w+ ?[=!]=|\.role ?(==|!=|in )|role in \("
    r"|has_role|is_within|startswith\([^)]*\+ ?\"/\"\)|\.area_path ?(==|!=)|_path ?=="
)


def _sources(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def test_no_handler_imports_storage():
    offenders = []
    for path in _sources("handlers"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "storage"]
    assert not offenders


def test_no_handler_receives_the_database():
    for path in _sources("handlers"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef):
                assert "db" not in [a.arg for a in node.args.args + node.args.kwonlyargs], (
                    f"{path.name}:{node.name}"
                )


def test_roles_and_places_are_compared_only_in_the_access_policy():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources("bot", "handlers", "storage")
        if path != POLICY
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ACCESS_RULE.search(line)
    ]
    assert not found, found
    assert ACCESS_RULE.search(POLICY.read_text(encoding="utf-8"))  # the pattern still sees rules
