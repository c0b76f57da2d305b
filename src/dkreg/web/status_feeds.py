"""The status page's feeds: Atom 1.0 and RSS 2.0 of its incidents and maintenance, for
the whole page (``/status/history.atom``, ``.rss``) and per component
(``/status/components/{key}/history.atom``, ``.rss``), newest first, drafts never.

An entry is one incident or maintenance: its name, its latest update's status and text,
the time of that update, and the link to it in the history. Feed readers rarely send a
language: English unless ``?lang=da`` asks for Danish.
"""

from __future__ import annotations

from email.utils import format_datetime

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.status.components import component
from dkreg.actions.status.incidents import Incident, incidents
from dkreg.errors import EppError
from dkreg.runner import reading
from dkreg.web.i18n import translator
from dkreg.web.request_services import services_of
from dkreg.web.status_api import stamp

ATOM = "http://www.w3.org/2005/Atom"


def _lang(request: Request) -> str:
    return "da" if request.query_params.get("lang") == "da" else "en"


def _entry_text(i: Incident, lang: str) -> tuple[str, str]:
    t = translator(lang)
    name = i.name_da if lang == "da" else i.name_en
    latest = i.updates[0] if i.updates else None
    body = (latest.body_da if lang == "da" else latest.body_en) if latest else ""
    return name, f"{t('status.incident.' + i.status)} — {body}".strip(" —")


def atom(items: list[Incident], title: str, self_url: str, base: str, lang: str) -> bytes:
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    etree.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    etree.SubElement(feed, f"{{{ATOM}}}title").text = title
    etree.SubElement(feed, f"{{{ATOM}}}updated").text = stamp(
        max((i.updated_at for i in items), default=None)) or "1970-01-01T00:00:00Z"
    etree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    etree.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=f"{base}/status")
    author = etree.SubElement(feed, f"{{{ATOM}}}author")
    etree.SubElement(author, f"{{{ATOM}}}name").text = title
    for i in items:
        name, text = _entry_text(i, lang)
        link = f"{base}/status/history#incident-{i.id}"
        entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
        etree.SubElement(entry, f"{{{ATOM}}}id").text = f"{base}/status/incidents/{i.id}"
        etree.SubElement(entry, f"{{{ATOM}}}title").text = name
        etree.SubElement(entry, f"{{{ATOM}}}updated").text = stamp(i.updated_at)
        etree.SubElement(entry, f"{{{ATOM}}}published").text = stamp(i.created_at)
        etree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link)
        etree.SubElement(entry, f"{{{ATOM}}}summary").text = text
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8")


def rss(items: list[Incident], title: str, self_url: str, base: str, lang: str) -> bytes:
    root = etree.Element("rss", version="2.0", nsmap={"atom": ATOM})
    channel = etree.SubElement(root, "channel")
    etree.SubElement(channel, "title").text = title
    etree.SubElement(channel, "link").text = f"{base}/status"
    etree.SubElement(channel, "description").text = title
    etree.SubElement(channel, "language").text = lang
    etree.SubElement(channel, f"{{{ATOM}}}link", rel="self", href=self_url,
                     type="application/rss+xml")
    for i in items:
        name, text = _entry_text(i, lang)
        item = etree.SubElement(channel, "item")
        etree.SubElement(item, "title").text = name
        etree.SubElement(item, "link").text = f"{base}/status/history#incident-{i.id}"
        etree.SubElement(item, "guid", isPermaLink="false").text = f"dkreg-incident-{i.id}"
        etree.SubElement(item, "pubDate").text = format_datetime(i.updated_at)
        etree.SubElement(item, "description").text = text
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


async def feed(request: Request) -> Response:
    """Any of the four feed paths: by the suffix, and the component when named."""
    services = services_of(request)
    lang, key = _lang(request), request.path_params.get("key")
    t = translator(lang)
    base = services.settings.public_base_url.rstrip("/")
    async with reading(services, "status") as ctx:
        if key is not None:
            try:
                await component(ctx, key)
            except EppError:
                return Response("no such component", status_code=404,
                                media_type="text/plain; charset=utf-8")
        found = await incidents(ctx, limit=50)
    if key is not None:
        found = [i for i in found if key in i.components]
    title = t("status.page_name") + (f" — {t('status.component.' + key)}" if key else "")
    self_url = base + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.url.path.endswith(".atom"):
        return Response(atom(found, title, self_url, base, lang),
                        media_type="application/atom+xml; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=60"})
    return Response(rss(found, title, self_url, base, lang),
                    media_type="application/rss+xml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=60"})


ROUTES: list[Route] = [
    Route("/status/history.atom", feed, methods=["GET"]),
    Route("/status/history.rss", feed, methods=["GET"]),
    Route("/status/components/{key}/history.atom", feed, methods=["GET"]),
    Route("/status/components/{key}/history.rss", feed, methods=["GET"]),
]
