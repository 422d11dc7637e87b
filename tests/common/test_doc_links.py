"""Every file the README, the docs and the code's docstrings point a reader to is in the
repository (the domain facts are in docs/domain/, not in a folder beside the clone)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
DOCS_PATH = re.compile(r"(?<![\w/.])((?:docs|bench|scripts|mutation)/[\w./-]+\.(?:md|py|svg))")


def pointers(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    links = set(MARKDOWN_LINK.findall(text)) if path.suffix == ".md" else set()
    return {link for link in links if ":" not in link} | set(DOCS_PATH.findall(text))


def test_every_file_pointed_to_exists():
    sources = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "src").rglob("*.py")]
    missing = []
    for source in sources:
        for target in pointers(source):
            base = (
                source.parent
                if source.suffix == ".md"
                and not target.startswith(("docs/", "bench/", "scripts/", "mutation/"))
                else ROOT
            )
            if not (base / target).exists():
                missing.append(f"{source.relative_to(ROOT)} -> {target}")
    assert missing == []


def test_nothing_points_outside_the_clone():
    for source in [ROOT / "README.md", *(ROOT / "src").rglob("*.py")]:
        assert "../shared/" not in source.read_text(encoding="utf-8"), source
