"""Where the tests' PostgreSQL is: one place for conftest and for tests that make
databases of their own (importing ``conftest`` by name is ambiguous: each test folder
has one)."""

from __future__ import annotations

import os

PG_ADMIN = os.environ.get("DKREG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_url(dbname: str) -> str:
    base = PG_ADMIN.rsplit("/", 1)[0]
    return base.replace("postgresql://", "postgresql+asyncpg://") + "/" + dbname
