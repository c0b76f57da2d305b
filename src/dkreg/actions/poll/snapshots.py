"""Object snapshots for poll messages that carry ``infData``.

A poll message tells a registrar what an object looked like when the event happened
(a domain that has since been deleted still has to be described), so the info action's
result is taken as the registry sees it, inside the causing transaction, and stored as
JSON with the message. The EPP poll command turns it back into the same dataclass and
renders it with the info command's own renderer.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any

from dkreg.actions.contact.info import ContactInfo, contact_info
from dkreg.actions.domain.info import DomainInfo, domain_info
from dkreg.actions.host.info import HostInfo, host_info
from dkreg.store.context import REGISTRY_ACTOR, Ctx

KINDS: dict[str, type] = {"domain": DomainInfo, "contact": ContactInfo, "host": HostInfo}


def _as_registry(ctx: Ctx) -> Ctx:
    return dataclasses.replace(ctx, actor=REGISTRY_ACTOR, audit=None)


async def domain_snapshot(ctx: Ctx, name: str) -> dict[str, Any]:
    return to_json(await domain_info(_as_registry(ctx), name))


async def contact_snapshot(ctx: Ctx, handle: str) -> dict[str, Any]:
    return to_json(await contact_info(_as_registry(ctx), handle))


async def host_snapshot(ctx: Ctx, name: str) -> dict[str, Any]:
    return to_json(await host_info(_as_registry(ctx), name))


def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def from_json(kind: str, data: dict[str, Any]) -> Any:
    """Rebuild the info dataclass; fields added after the message was queued get their
    defaults or None."""
    cls = KINDS[kind]
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                values[f.name] = None
            continue
        values[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**values)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value) if len(inner) == 1 else value
    if hint is datetime:
        return datetime.fromisoformat(value)
    if origin is list and args:
        return [_convert(args[0], v) for v in value]
    if origin is tuple:
        if args and args[-1] is not Ellipsis and len(args) == len(value):
            return tuple(_convert(a, v) for a, v in zip(args, value, strict=True))
        return tuple(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and isinstance(value, dict):
        sub_hints = typing.get_type_hints(hint)
        return hint(**{k: _convert(sub_hints[k], v) for k, v in value.items()})
    return value
