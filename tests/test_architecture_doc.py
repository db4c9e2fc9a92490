"""docs/architecture.md lists every module of the product, and nothing that is gone."""

from __future__ import annotations

import re

from tests.support.helpers import ROOT

PACKAGES = ("extraction", "crawler", "storage", "feeds", "scheduler")


def product_modules() -> set[str]:
    return {
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if path.name != "__init__.py" and "migrations" not in path.parts
    }


def documented_modules() -> set[str]:
    """The ``name.py`` lines of the tree block, with the folders they stand under."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tree = text.split("## The tree", 1)[1].split("```", 2)[1]
    folders: list[tuple[int, str]] = []
    found = set()
    for line in tree.splitlines():
        match = re.match(r"^( *)([\w./]+)\s", line + " ")
        if not match:
            continue
        depth, name = len(match[1]), match[2]
        folders = [(d, f) for d, f in folders if d < depth]
        if name.endswith("/"):
            folders.append((depth, name))
        elif name.endswith(".py"):
            found.add("".join(folder for _, folder in folders) + name)
    return found


def test_the_tree_in_the_architecture_document_is_the_product_tree():
    documented = {name for name in documented_modules() if name.startswith(PACKAGES)}
    assert documented == product_modules()
