#!/usr/bin/env bash
# Set up what dkreg needs on a fresh Debian machine with Python 3.11:
#   scripts/bootstrap.sh          -> virtualenv with dkreg
#   scripts/bootstrap.sh --test   -> also test tools, Net::EPP (perl) and a running PostgreSQL
# Idempotent: re-running only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
WANT_TEST=0
if [[ "${1:-}" == "--test" ]]; then WANT_TEST=1; fi

SUDO=""
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null; then SUDO="sudo"; fi

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
  fi
}

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "bootstrap: Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
if ! "$PYTHON" -m venv --help >/dev/null 2>&1 || ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
  apt_install python3-venv
fi

# Invoice PDFs embed DejaVu Sans (billing/pdf.py); without it they fall back to Latin-1.
apt_install fonts-dejavu-core

# The sandbox publishes the .dk zone on its own Knot DNS (knotd, keymgr), which signs it.
apt_install knot

# Every page uses Det Fælles Designsystem (npm package dkfds), served by dkreg itself;
# the tests add axe-core. Node.js and npm come from Debian when the machine has none.
if ! command -v npm >/dev/null; then apt_install nodejs npm; fi
npm_fresh() { [[ -f $1 && ! package-lock.json -nt $1 && -f node_modules/dkfds/package.json ]]; }
NPM_STAMP=node_modules/.dkreg-npm
if [[ $WANT_TEST == 1 ]]; then NPM_STAMP=node_modules/.dkreg-npm-test; fi
# the test set is a superset: a start after the tests' install keeps it
if ! npm_fresh "$NPM_STAMP" && ! npm_fresh node_modules/.dkreg-npm-test; then
  if [[ $WANT_TEST == 1 ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm ci --omit=dev --no-audit --no-fund --loglevel=error
  fi
  touch "$NPM_STAMP"
fi
if [[ ! -f src/dkreg/web/static/vendor/dkfds/package.json \
      || node_modules/dkfds/package.json -nt src/dkreg/web/static/vendor/dkfds/package.json ]]; then
  "$PYTHON" scripts/vendor_assets.py
fi

if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
STAMP=.venv/.dkreg-installed
if [[ $WANT_TEST == 1 ]]; then STAMP=.venv/.dkreg-installed-test; fi
if [[ ! -f $STAMP || pyproject.toml -nt $STAMP ]]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [[ $WANT_TEST == 1 ]]; then
    .venv/bin/python -m pip install -q -e '.[test]'
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$STAMP"
fi

if [[ $WANT_TEST == 1 ]]; then
  apt_install libnet-epp-perl libio-socket-ssl-perl
  # the WHOIS tests ask the server with Debian's whois(1)
  apt_install whois
  # zone checks and DNS clients: named-checkzone, dig, delv
  apt_install bind9-utils bind9-dnsutils
  # Browser tests drive Debian's chromium through Playwright (no `playwright install`:
  # the tests launch /usr/bin/chromium).
  apt_install chromium
  # PostgreSQL: start it when installed but down; install it when missing.
  if ! command -v pg_ctlcluster >/dev/null; then
    apt_install postgresql
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    version=$(ls /etc/postgresql | sort -V | tail -1)
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  # The tests connect as postgres over TCP. A stock Debian cluster wants a password there:
  # give the postgres role one (only when trust does not already let us in).
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    if PGPASSWORD=dkreg psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
      :
    else
      $SUDO -u postgres psql -q -c "ALTER USER postgres PASSWORD 'dkreg'" 2>/dev/null \
        || su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'dkreg'\""
    fi
    echo "postgresql://postgres:dkreg@127.0.0.1:5432/postgres" > .venv/.dkreg-test-pg
  else
    echo "postgresql://postgres@127.0.0.1:5432/postgres" > .venv/.dkreg-test-pg
  fi
fi
