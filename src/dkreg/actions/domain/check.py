"""check domain: availability of several names at once (reasons ``In use``, ``Enqueued``)."""

from __future__ import annotations

from dataclasses import dataclass

from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_domain_name
from dkreg.store.context import Ctx

MAX_NAMES = 100


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str  # as the client should see it: U-label if valid, else as sent
    avail: bool
    reason: str | None = None


async def domain_check(ctx: Ctx, names: list[str]) -> list[CheckResult]:
    if len(names) > MAX_NAMES:
        raise err(2306, "policy", field="domain:name",
                  detail=Detail("at_most_names_per_check", max_names=MAX_NAMES, n_names=len(names)))
    parsed: list[tuple[str, str | None, str | None]] = []  # (shown, alabel, reason)
    for raw in names:
        try:
            dn = parse_domain_name(raw)
            parsed.append((dn.ulabel, dn.alabel, None))
        except EppError:
            # the schema caps a reason at 32 characters: the full rule is in info/create
            parsed.append((raw.strip(), None, "Invalid domain name"))
    wanted = [a for _, a, _ in parsed if a]
    states = await ctx.domains.live_states(ctx, wanted) if wanted else {}
    out = []
    for shown, alabel, reason in parsed:
        if alabel is None:
            out.append(CheckResult(shown, False, reason))
        elif alabel in states:
            out.append(CheckResult(
                shown, False, "Enqueued" if states[alabel] == "application" else "In use"))
        else:
            out.append(CheckResult(shown, True))
    return out
