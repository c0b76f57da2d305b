#!/usr/bin/env bash
# Run the whole test suite (SQLite and PostgreSQL, third-party EPP clients included).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --test
export DKREG_TEST_PG="${DKREG_TEST_PG:-$(cat .venv/.dkreg-test-pg)}"
export DKREG_REFERENCE_DIR="${DKREG_REFERENCE_DIR:-$(cd .. && pwd)/shared/reference}"
.venv/bin/ruff check src tests bench
.venv/bin/mypy  # files and settings: [tool.mypy] in pyproject.toml
# Both cores: pytest-xdist workers, each with its own databases, ports and temp dirs
# (DKREG_TEST_WORKERS=0 runs in one process; extra arguments go to pytest and win, so
# `scripts/test.sh -n 0 tests/x.py` works too). worksteal: the slow browser and interop
# files do not leave one worker idle at the end.
exec .venv/bin/python -m pytest -q -p no:cacheprovider -n "${DKREG_TEST_WORKERS:-2}" \
  --dist worksteal --durations=25 "$@"
