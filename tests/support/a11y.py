"""The accessibility checks of the Chromium tests (issue 13 §4, WCAG 2.2 AA).

Given a Playwright page already showing a dkreg page:

- ``axe_violations``: axe-core (npm, ``node_modules/axe-core/axe.min.js``) run with the
  WCAG 2.0, 2.1 and 2.2 A and AA rules; each violation as a line naming the rule, its
  impact, the offending elements' selectors and axe's help text;
- ``horizontal_scroll``: whether the page is wider than the window (at 390 px no page
  may scroll sideways);
- ``screenshot``: a full-page picture under ``$DKREG_ARTIFACTS`` (else the test's tmp
  dir) named after the page, the width and the language;
- ``page_problems`` does all three and returns the problems, so that a walk over many
  pages can collect them and fail once at the end; ``assert_accessible`` fails at once;
- ``assert_error_summary_focused``: after a failed submit, focus is on the error summary
  (``#errors``) and the title starts with "Fejl:" / "Error:";
- ``focus_ring_problems``: tab through the page; every control that takes focus must
  show a ring (an outline, or a box-shadow; for the design system's checkboxes and radio
  buttons, whose input is transparent, the ring is on the label's box; a date field's
  calendar button, inside the field's shadow tree, is ringed by Chromium itself).

axe is put into the page with ``page.evaluate``: the pages' Content-Security-Policy
(``script-src 'self'``) refuses an inline ``<script>`` — ``add_script_tag(content=…)``
is blocked — but what Playwright evaluates through the DevTools protocol is not subject
to it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (2.2 adds no level-A rule axe checks)
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def artifacts_dir(tmp_path: Path, test_name: str) -> Path:
    """Where a test's screenshots go: ``$DKREG_ARTIFACTS/<test>`` or the tmp dir's."""
    base = os.environ.get("DKREG_ARTIFACTS")
    path = Path(base) / test_name if base else tmp_path / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@cache
def axe_source() -> str:
    """axe-core's script; the test is skipped (saying why) when npm has not installed it."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: scripts/bootstrap.sh --test installs axe-core "
                    "with npm")
    return AXE.read_text(encoding="utf-8")


_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")).slice(0, 8),
    count: v.nodes.length}));
}"""


async def axe_violations(page: Any) -> list[str]:
    """axe's WCAG 2.x A/AA violations on the page as it is now, one line each."""
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(axe_source())
    found = await page.evaluate(_RUN, list(TAGS))
    return [f"{v['id']} ({v['impact']}): {v['help']} — {v['count']} element(s): "
            + ", ".join(v["targets"]) for v in found]


async def horizontal_scroll(page: Any) -> int:
    """How many pixels the page is wider than the window (0: no sideways scroll)."""
    width: int = await page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth")
    return max(width, 0)


def shot_name(name: str, width: int, lang: str) -> str:
    """A file name for a page's screenshot: ``portal-domains-390-da.png``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "front"
    return f"{slug}-{width}-{lang}.png"


async def screenshot(page: Any, artifacts: Path, name: str, width: int, lang: str) -> Path:
    path = artifacts / shot_name(name, width, lang)
    await page.screenshot(path=path, full_page=True)
    return path


@dataclass
class Checked:
    """What ``page_problems`` found on one page."""

    problems: list[str]
    shot: Path


async def page_problems(page: Any, artifacts: Path, name: str, width: int, lang: str
                        ) -> Checked:
    """axe, sideways scroll and a screenshot for the page as it is now."""
    where = f"{name} @{width}px {lang}"
    problems = [f"{where}: axe {v}" for v in await axe_violations(page)]
    wider = await horizontal_scroll(page)
    if wider:
        problems.append(f"{where}: scrolls sideways ({wider}px wider than the window)")
    shot = await screenshot(page, artifacts, name, width, lang)
    return Checked(problems, shot)


async def assert_clean(page: Any, shot: Path) -> None:
    """A journey's checkpoint: a screenshot at ``shot``, then no axe violation and no
    sideways scroll on the whole page (frame included) as it is now."""
    await page.screenshot(path=shot, full_page=True)
    problems = [f"axe {v}" for v in await axe_violations(page)]
    wider = await horizontal_scroll(page)
    if wider:
        problems.append(f"scrolls sideways ({wider}px wider than the window)")
    assert not problems, f"{page.url} ({shot.name}):\n" + "\n".join(problems)


async def assert_accessible(page: Any, artifacts: Path, name: str, width: int,
                            lang: str) -> Path:
    checked = await page_problems(page, artifacts, name, width, lang)
    assert not checked.problems, "\n".join(checked.problems)
    return checked.shot


TITLE_PREFIX = {"da": "Fejl:", "en": "Error:"}


async def error_summary_problems(page: Any, lang: str) -> list[str]:
    """After a failed submit: focus on the error summary, the title saying "Fejl:"."""
    problems = []
    focused = await page.evaluate("() => document.activeElement && document.activeElement.id")
    if focused != "errors":
        problems.append(f"focus is on #{focused or '(none)'}, not on the error summary #errors")
    title = await page.title()
    if not title.startswith(TITLE_PREFIX[lang]):
        problems.append(f"title {title!r} does not start with {TITLE_PREFIX[lang]!r}")
    return problems


async def assert_error_summary_focused(page: Any, lang: str) -> None:
    problems = await error_summary_problems(page, lang)
    assert not problems, "\n".join(problems)


_RING = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const shown = (s) => (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
                       || (s.boxShadow && s.boxShadow !== "none");
  let ring = shown(getComputedStyle(e));
  // the design system's checkboxes and radios: a transparent input, the ring on its label
  if (!ring && e.matches(".form-checkbox, .form-radio") && e.nextElementSibling) {
    ring = shown(getComputedStyle(e.nextElementSibling, "::before"));
  }
  // a date or time field's calendar button is inside the field's shadow tree: the host
  // no longer matches :focus, and Chromium rings the button itself
  if (!ring && e.matches("input[type=date], input[type=datetime-local], input[type=time]")
      && !e.matches(":focus-visible")) {
    ring = true;
  }
  const r = e.getBoundingClientRect();
  const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (e.className && typeof e.className === "string"
       ? "." + e.className.trim().split(/\\s+/).join(".") : "");
  return {name: name, text: (e.innerText || e.value || "").trim().slice(0, 40),
          ring: ring, visible: r.width > 0 && r.height > 0};
}"""


async def focus_ring_problems(page: Any, limit: int = 80) -> list[str]:
    """Tab through the page from the top; every visible control that takes focus must
    show a focus ring. Stops when focus leaves the page or comes round again."""
    await page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                        "window.scrollTo(0, 0); }")
    problems: list[str] = []
    seen: list[str] = []
    for _ in range(limit):
        await page.keyboard.press("Tab")
        got = await page.evaluate(_RING)
        if got is None:
            break
        key = f"{got['name']} {got['text']}"
        if seen and key == seen[0]:
            break
        seen.append(key)
        if got["visible"] and not got["ring"]:
            problems.append(f"no visible focus ring on {key}")
    return problems
