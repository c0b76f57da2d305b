#!/usr/bin/env bash
# Run the whole test suite (SQLite and PostgreSQL, third-party EPP clients included).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --test
export DKREG_TEST_PG="${DKREG_TEST_PG:-$(cat .venv/.dkreg-test-pg)}"
export DKREG_REFERENCE_DIR="${DKREG_REFERENCE_DIR:-$(cd .. && pwd)/shared/reference}"
.venv/bin/ruff check src tests bench
.venv/bin/mypy  # files and settings: [tool.mypy] in pyproject.toml
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
