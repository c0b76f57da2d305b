"""What an automatic check's verdict does to the status page (``dkreg.monitor`` probes;
this decides): the component takes the worse of the checks' verdict and what the open
incidents give it; a failure opens a draft incident for staff to confirm, unless one is
open already; the recovery resolves that draft if nobody published it."""

from __future__ import annotations

from dkreg.actions.status.components import set_state
from dkreg.actions.status.incidents import (
    CLOSED,
    held_state,
    incident,
    open_incident,
    post_update,
)
from dkreg.model.status import worst
from dkreg.store.context import Ctx


async def record_verdict(ctx: Ctx, key: str, verdict: str, why: str | None,
                         draft: int | None) -> int | None:
    """``verdict``: the state the failing checks give component ``key`` (operational
    when none fails; ``why`` then None); ``draft``: the draft incident the checks opened
    for it before. The draft to remember from now on."""
    await set_state(ctx, key, worst([verdict, await held_state(ctx, key)]), "check")
    if why is not None:
        if draft is not None:
            return draft
        return await open_incident(
            ctx, name_da=f"Automatisk kontrol fejler: {key}",
            name_en=f"Automatic check failing: {key}",
            impact="major" if verdict == "major_outage" else "minor",
            body_da=f"Den automatiske kontrol fejler: {why}",
            body_en=f"The automatic check fails: {why}",
            components={key: verdict}, draft=True)
    if draft is not None:
        found = await incident(ctx, draft)
        if found.draft and found.status not in CLOSED:
            await post_update(ctx, draft, "resolved", "Den automatiske kontrol lykkes igen.",
                              "The automatic check succeeds again.")
    return None
