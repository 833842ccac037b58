# 年报助手 — two commands do all set-up: `make run` (the app) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench clean

# The app needs only the runtime dependencies; the tests add the dev extras (pytest, Playwright, mypy …).
$(APP_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $(APP_STAMP)

$(DEV_STAMP): $(APP_STAMP)
	$(BIN)/pip install -q -e '.[dev]'
	touch $(DEV_STAMP)

run: $(APP_STAMP)
	$(BIN)/streamlit run app.py --server.headless true --server.address 127.0.0.1 --server.port 8501 --browser.gatherUsageStats false

lint: $(DEV_STAMP)
	$(BIN)/ruff check assistant tests bench app.py
	$(BIN)/mypy --strict assistant

test: lint
	$(BIN)/pytest

bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
