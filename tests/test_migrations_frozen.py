"""A migration runs against the models as they were when it was written, so it never
imports the project's own code (docs/architecture.md, "Migrations"): a seed list edited
later would otherwise change what an old migration does on a fresh database."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {"django", "uuid", "datetime", "decimal", "json", "re"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_migration_imports_the_projects_code():
    migrations = sorted(ROOT.glob("*/migrations/0*.py"))
    assert len(migrations) > 20  # the glob found the apps' migrations
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] not in ALLOWED
        )
        for path in migrations
    }
    assert {path: names for path, names in offending.items() if names} == {}
