"""The README's Python example and the Python pages of docs/ run, and their assertions hold."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"


def _blocks(path: Path) -> list:
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


def test_readme_python_blocks_run():
    blocks = _blocks(README)
    assert blocks, "the README has a Python example"
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})


def test_lifetimes_page_blocks_run_and_agree_with_lifetimes(monkeypatch):
    # docs/lifetimes.md compares with lifetimes 0.11.3 (a test-only dependency) and reads
    # tests/data/ by paths relative to the repository's root.
    pytest.importorskip("lifetimes")
    page = ROOT / "docs" / "lifetimes.md"
    blocks = _blocks(page)
    assert len(blocks) == 4
    monkeypatch.chdir(ROOT)
    for block in blocks:
        exec(compile(block, str(page), "exec"), {})
    assert os.getcwd() == str(ROOT)
