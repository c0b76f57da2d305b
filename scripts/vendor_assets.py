#!/usr/bin/env python3
"""Copy what the pages use of Det Fælles Designsystem from node_modules into the package.

dkreg serves the design system itself (no CDN), and a built wheel must carry it, so the
files live under ``src/dkreg/web/static/vendor/dkfds`` (ignored by git, rebuilt by
``scripts/bootstrap.sh``). Only what the pages load is copied: the minified CSS and
script, the icons and the IBM Plex Sans faces in the two formats browsers still ask for;
the paths inside the package keep dkfds's own layout so the CSS's ``../fonts`` and
``../img`` references resolve unchanged.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "dkfds" / "dist"
TARGET = ROOT / "src" / "dkreg" / "web" / "static" / "vendor" / "dkfds"
PARTS = ("css/dkfds.min.css", "js/dkfds.min.js", "img/all-svg-icons.svg", "img/svg-icons",
         "fonts/IBMPlexSans/complete/woff2", "fonts/IBMPlexSans/complete/woff",
         "LICENSE.md")


def main() -> int:
    if not SOURCE.is_dir():
        print(f"vendor_assets: {SOURCE} is missing; run `npm ci` first", file=sys.stderr)
        return 1
    staging = TARGET.with_name("dkfds.new")
    shutil.rmtree(staging, ignore_errors=True)
    for part in PARTS:
        src, dst = SOURCE / part, staging / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)
    version = (SOURCE.parent / "package.json").read_text(encoding="utf-8")
    (staging / "package.json").write_text(version, encoding="utf-8")
    shutil.rmtree(TARGET, ignore_errors=True)
    staging.rename(TARGET)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
