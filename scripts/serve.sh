#!/usr/bin/env bash
# Start a complete local .dk sandbox: SQLite in ./data, generated dev TLS, demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/dkreg serve --data-dir "${DKREG_DATA_DIR:-./data}" "$@"
