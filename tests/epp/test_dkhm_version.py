"""The dkhm version of a response (issue 10 §3b, DESIGN "dkhm version of a response").

A response uses the dkhm namespace of the request's own dkhm elements; a request without
any (info, poll) is answered in the first dkhm version the client listed at login.
Net::DRI's DKHostmaster driver lists every extURI of the greeting (4.3, 4.4, 4.5) and
reads only the version it writes, so "the newest announced" lost it every dkhm element.

Every frame is validated against the official schemas (strict wildcards: an element in a
namespace whose schema does not declare it fails), and each test also checks that one
response never mixes dkhm namespaces.
"""

from __future__ import annotations

from itertools import permutations

import pytest

from epp.helpers import NS, dkhm_namespaces, only_in, setup_registrant
from support import frames

VERSIONS = ("4.3", "4.4", "4.5")
PUNKTUM_CVR = "24210375"
# every order of the three, then subsets (in and out of order), then none at all
LISTINGS = [*permutations(VERSIONS), ("4.3",), ("4.4",), ("4.5",), ("4.5", "4.3"),
            ("4.4", "4.3"), ("4.3", "4.5"), ()]


@pytest.mark.parametrize("listed", LISTINGS, ids=lambda v: "+".join(v) or "none")
async def test_response_version_follows_request_then_login_order(registry, listed) -> None:
    handle, login, pw = await registry.new_registrar()
    c = await registry.client(login, pw, dkhm=listed)
    default = listed[0] if listed else "4.3"
    registrant = await setup_registrant(c)

    # create domain written in each version: trackingNo & co. come back in that version
    for i, written in enumerate(VERSIONS):
        r = await c.request(frames.domain_create(f"skrevet{i}.dk", registrant, NS,
                                                 dkhm=written, token=registry.token()))
        assert r.code == 1001, r.msg
        only_in(r, written, "trackingNo", "domain_confirmed", "registrant_validated")

    # info contact (no dkhm element in the request): the first listed version
    r = await c.request(frames.contact_create(
        id_="force", user_type="company", org="Punktum dk A/S", name="Anne Andersen",
        cvr=PUNKTUM_CVR, dkhm=VERSIONS[-1 - VERSIONS.index(default)]))
    assert r.code == 1000, r.msg
    assert dkhm_namespaces(r) == set()  # contact:creData only
    r = await c.request(frames.contact_info(r.text(".//contact:id")))
    assert r.code == 1000, r.msg
    only_in(r, default, "userType", "CVR", "contact_validated")
    assert (r.dkhm("CVR"), r.dkhm("userType")) == (PUNKTUM_CVR, "company")
    # 4.5's NIS2 elements only where the namespace defines them
    assert (r.dkhm("sole_proprietorship") is not None) == (default == "4.5")

    # poll: the create outcome with its risk assessment, in the first listed version
    await registry.tick()
    r = await c.request(frames.poll_req())
    assert r.code == 1301, r.msg
    only_in(r, default, "risk_assessment")
    assert r.text(".//domain:name") == "skrevet0.dk"

    # info domain: the transfer token and autoRenew, in the first listed version
    r = await c.request(frames.domain_update("skrevet0.dk", auth_pw="autotransfer"))
    assert r.code == 1000, r.msg
    r = await c.request(frames.domain_info("skrevet0.dk"))
    assert r.code == 1000, r.msg
    only_in(r, default, "authInfo", "autoRenew", "registrant_validated")
    assert r.find(f".//{{{frames.dkhm_ns(default)}}}authInfo").get("op") == "transfer"
    assert r.dkhm("autoRenew") == "true"
    assert (r.dkhm("vid") is not None) == (default != "4.3")  # vid exists from 4.4 on


async def test_mixed_versions_in_one_request_answer_in_the_newest(registry) -> None:
    """A 4.3 token beside a 4.4 autoRenew: only the newer namespace surely holds every
    element of the answer, and the client evidently writes it."""
    c, _ = await registry.registrar_client(dkhm=("4.3", "4.4", "4.5"))
    registrant = await setup_registrant(c)
    r = await c.request(frames.domain_create(
        "blandet.dk", registrant, NS, dkhm="4.3", token=registry.token(),
        extra_ext=frames.autorenew_ext(True, dkhm="4.4")))
    assert r.code == 1001, r.msg
    only_in(r, "4.4", "trackingNo")


async def test_net_dri_style_login_reads_what_it_writes(registry) -> None:
    """The greeting's extURIs echoed in the greeting's order, every request in 4.3: the
    driver finds trackingNo, userType, CVR, the token, risk_assessment and autoRenew."""
    greeting = (await registry.client()).greeting
    assert greeting is not None
    echoed = [u.text for u in greeting.findall(".//epp:svcExtension/epp:extURI")]
    listed = [u.rsplit("-", 1)[1] for u in echoed
              if u.startswith("urn:dkhm:params:xml:ns:dkhm-4.")]
    assert listed[0] == "4.3", echoed
    c, _ = await registry.registrar_client(dkhm=listed)
    registrant = await setup_registrant(c)
    r = await c.request(frames.domain_create("dri.dk", registrant, NS, dkhm="4.3",
                                             token=registry.token()))
    only_in(r, "4.3", "trackingNo")
    r = await c.request(frames.contact_create(id_="force", user_type="company",
                                              org="Punktum dk A/S", cvr=PUNKTUM_CVR))
    only_in(await c.request(frames.contact_info(r.text(".//contact:id"))), "4.3",
            "userType", "CVR")
    await registry.tick()
    only_in(await c.request(frames.poll_req()), "4.3", "risk_assessment")
    assert (await c.request(frames.domain_update("dri.dk", auth_pw="autotransfer"))).code \
        == 1000
    only_in(await c.request(frames.domain_info("dri.dk")), "4.3", "authInfo", "autoRenew")

