"""Password hashing outside the transaction: a login's argon2 work runs with no
transaction open and no database connection held.

argon2 is slow on purpose (tens of milliseconds at the production cost). Done inside a
login's write transaction it held that transaction for the whole hash: on SQLite the
database's single write lock (``BEGIN IMMEDIATE``) and the process's only pooled
connection, so every login stalled every other request; on PostgreSQL a pooled
connection idle in a transaction.

So a login runs in passes. An action asks ``ctx.passwords`` whether a password matches a
stored hash (or for the hash of a new password); the first time it asks, the answer is
not known yet and ``NotYetHashed`` ends the pass, rolling its transaction back. The
runner (``run_checking_passwords``) then does the argon2 work in a thread with no
transaction open and runs the action again, now with the answer at hand. The action reads
its rows afresh in the second pass, so a password changed in between is checked against
the new hash (one more pass), never passed on the old one; throttling, audit and the
outcome are decided in the pass that commits, exactly as in one transaction.

An unknown account is checked against a dummy hash of the current cost, so its answer
takes as long as a known account's and tells no one which accounts exist.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from dkreg.model.passwords import dummy_hash, hash_password, verify_password

R = TypeVar("R")

# verify: (stored hash, password), "" standing for the dummy hash; hash: (None, password)
Job = tuple[str | None, str]

# the passes before the last one, in which the work is done in the pass itself; a third
# pass is only needed when a password changed between the first two (or a login both
# verifies and sets a new password)
MAX_PASSES = 4


class NotYetHashed(Exception):
    """The action needs argon2 work that must not run inside its transaction."""

    def __init__(self, jobs: list[Job]) -> None:
        super().__init__("password work pending")
        self.jobs = jobs


@dataclass
class PasswordChecks:
    """The argon2 results of one unit of work, kept across its passes."""

    results: dict[Job, str | bool] = field(default_factory=dict)
    last_pass: bool = False  # no more passes: do the work in place (the old way)

    async def matches(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored`` (None: no such account; a dummy hash
        is checked all the same and the answer is False)."""
        return (await self.matches_each([stored], password))[0]

    async def matches_each(self, stored: list[str | None], password: str) -> list[bool]:
        """``matches`` for several hashes, all worked out in one pass."""
        jobs: list[Job] = [(h or "", password) for h in stored]
        await self._need(jobs)
        return [bool(self.results[job]) and bool(h) for job, h in zip(jobs, stored, strict=True)]

    async def new_hash(self, password: str) -> str:
        """The argon2 hash to store for a new password."""
        job: Job = (None, password)
        await self._need([job])
        return str(self.results[job])

    async def _need(self, jobs: list[Job]) -> None:
        missing = [job for job in dict.fromkeys(jobs) if job not in self.results]
        if missing and not self.last_pass:
            raise NotYetHashed(missing)
        await self.do(missing)

    async def do(self, jobs: list[Job]) -> None:
        """The work, in a thread: the event loop goes on serving meanwhile."""
        for job in jobs:
            self.results[job] = await asyncio.to_thread(work, job)


def work(job: Job) -> str | bool:
    stored, password = job
    if stored is None:
        return hash_password(password)
    return verify_password(stored or dummy_hash(), password)


async def run_checking_passwords(attempt: Callable[[PasswordChecks], Awaitable[R]]) -> R:
    """Run ``attempt`` — which opens its transaction, with a ``Ctx`` whose ``passwords``
    is the checks it is given, and runs the action — again after each argon2 job the
    action asked for, done while no transaction is open."""
    checks = PasswordChecks()
    for n in range(MAX_PASSES):
        checks.last_pass = n == MAX_PASSES - 1
        try:
            return await attempt(checks)
        except NotYetHashed as pending:
            await checks.do(pending.jobs)
    raise AssertionError("unreachable: the last pass does its work in place")

