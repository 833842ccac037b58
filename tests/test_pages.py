"""Each page file on its own through AppTest.from_file, as st.navigation runs it: it draws, and fails politely."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.example import load_example
from assistant.store import Store
from assistant.ui.navigation import PAGES_DIR

# page file → a text the page shows for the example report
PAGES = {
    "reports.py": "三门峡市陕州区硤石乡人民政府",
    "tables.py": "表三",
    "text.py": "总体情况",
    "export.py": "导出",
    "summary.py": "汇总",
    "settings.py": "设置",
}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "pages.db"
    monkeypatch.setenv("ASSISTANT_DB", str(path))
    Store(path).add(load_example())
    return path


def shown(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption") for e in getattr(at, kind)]
    parts += [t.label for t in at.tabs]
    return "\n".join(str(p) for p in parts)


def test_every_page_has_its_file() -> None:
    assert sorted(p.name for p in PAGES_DIR.glob("*.py") if p.name != "__init__.py") == sorted(PAGES)


@pytest.mark.parametrize(("name", "text"), PAGES.items())
def test_page_file_runs_on_its_own(db: Path, name: str, text: str) -> None:
    at = AppTest.from_file(str(PAGES_DIR / name), default_timeout=30).run()
    assert not at.exception
    assert not [e.value for e in at.error if "这一页出错了" in e.value]
    assert text in shown(at)
