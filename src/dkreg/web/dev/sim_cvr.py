"""A CVR data service simulator: the same ``_search`` request and answer shape, from
fixture companies, so a sandbox user can try every outcome of the CVR check.

A contact with the data of ``SANDBOX`` (name, address, P-number) matches the first
company; each other fixture differs in one thing. Any other valid CVR number is unknown.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dkreg.identity import cvr
from dkreg.web.request_services import services_of
from dkreg.web.templating import render


@dataclass(frozen=True)
class Fixture:
    cvr: str
    outcome: str  # what a contact with the SANDBOX data gets
    name: str = "Sandbox Hosting ApS"
    street: str = "Vesterbrogade"
    number: str = "1"
    pc: str = "1620"
    city: str = "København V"
    status: str = "Aktiv"
    pnumbers: tuple[str, ...] = ("1012345678",)


# the data a sandbox contact gives to match (see the README's CVR section)
SANDBOX = {"name": "Sandbox Hosting ApS", "street": "Vesterbrogade 1", "pc": "1620",
           "city": "København V", "pnumber": "1012345678"}
FIXTURES = (
    Fixture("10015081", "matched"),
    Fixture("10016452", "name_mismatch", name="Helt Andet Navn A/S"),
    Fixture("10017823", "address_mismatch", street="Nørregade", number="7", pc="1165",
            city="København K"),
    Fixture("10020565", "dissolved", status="Ophørt"),
    Fixture("10021936", "pnumber_mismatch", pnumbers=("1098765432",)),
)
UNKNOWN_CVR = "10057582"  # valid check digit, no company
BASE_PATH = "/dev/cvr"  # its page; the search is under it, at cvr.SIMULATOR_PATH


def document(f: Fixture) -> dict[str, Any]:
    """The answer's ``_source`` in the register's shape."""
    return {"Vrvirksomhed": {
        "cvrNummer": int(f.cvr),
        "navne": [{"navn": f.name, "periode": {"gyldigFra": "2010-01-01", "gyldigTil": None}}],
        "virksomhedMetadata": {
            "nyesteNavn": {"navn": f.name},
            "nyesteBeliggenhedsadresse": {
                "vejnavn": f.street, "husnummerFra": int(f.number), "bogstavFra": None,
                "etage": None, "sidedoer": None, "postnummer": int(f.pc),
                "postdistrikt": f.city, "landekode": "DK"},
            "sammensatStatus": f.status},
        "penheder": [{"pNummer": int(p)} for p in f.pnumbers]}}


def _wanted(body: Any) -> str | None:
    try:
        return str(body["query"]["term"]["Vrvirksomhed.cvrNummer"])
    except (KeyError, TypeError):
        return None


async def search(request: Request) -> Response:
    settings = services_of(request).settings
    user, secret = cvr.credentials(settings)
    expected = "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()
    if request.headers.get("authorization") != expected:
        return JSONResponse({"error": "unauthorized"}, status_code=401,
                            headers={"WWW-Authenticate": 'Basic realm="cvr"'})
    try:
        wanted = _wanted(json.loads(await request.body()))
    except ValueError:
        wanted = None
    if wanted is None:
        return JSONResponse({"error": {"type": "parsing_exception"}}, status_code=400)
    hits = [{"_index": "cvr-permanent", "_id": f.cvr, "_source": document(f)}
            for f in FIXTURES if f.cvr == wanted]
    return JSONResponse({"took": 1, "timed_out": False,
                         "hits": {"total": len(hits), "max_score": 1.0, "hits": hits}})


async def about(request: Request) -> Response:
    """The bare path: what this simulator is and its test companies."""
    return render(request, "dev_sim_cvr.html", sim="cvr", sandbox=SANDBOX,
                  fixtures=FIXTURES, unknown=UNKNOWN_CVR, search_path=cvr.SIMULATOR_PATH)


ROUTES: list[Route] = [
    Route(BASE_PATH, about), Route(BASE_PATH + "/", about),
    Route(cvr.SIMULATOR_PATH, search, methods=["POST"]),
]
