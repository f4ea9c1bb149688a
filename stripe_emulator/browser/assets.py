"""The Stripe.js stand-in and the static files of the hosted pages."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from aiohttp import web

from stripe_emulator.api_versions import STRIPE_JS_RELEASES, release_api_version
from stripe_emulator.notice import EMULATOR_NOTICE

STATIC = Path(__file__).parent / "static"
_ASSET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(js|css)$")
_TYPES = {"js": "application/javascript", "css": "text/css"}
# Pages are reloaded between test runs against a fresh emulator; never let a browser keep a copy.
_HEADERS = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}


STRIPE_JS = STATIC / "stripe"
# One function scope, in this order.
STRIPE_JS_PARTS = ("core.js", "elements.js", "link.js", "client.js")


@cache
def _stripe_js() -> str:
    """The Stripe.js stand-in as one script: its parts, with the notice and the CSS inlined."""
    source = "\n".join((STRIPE_JS / part).read_text(encoding="utf-8") for part in STRIPE_JS_PARTS)
    css = (STRIPE_JS / "elements.css").read_text(encoding="utf-8")
    # json.dumps gives valid JS string literals; the placeholders sit inside quotes.
    return source.replace("'__EMULATOR_NOTICE__'", json.dumps(EMULATOR_NOTICE)).replace(
        "'__ELEMENTS_CSS__'", json.dumps(css)
    )


async def stripe_js(request: web.Request) -> web.Response:
    """The same stand-in at ``/v3/`` and at every published ``/<release>/stripe.js``."""
    release = request.match_info.get("release", "v3")
    if release not in STRIPE_JS_RELEASES:
        raise web.HTTPNotFound(text="No such Stripe.js release.")
    version = json.dumps(release_api_version(release))
    text = _stripe_js().replace("'__RELEASE_API_VERSION__'", version)
    return web.Response(text=text, content_type="application/javascript", headers=_HEADERS)


async def asset(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    path = STATIC / name
    if not _ASSET_NAME.match(name) or not path.is_file():
        raise web.HTTPNotFound(text="No such emulator asset.")
    kind = name.rsplit(".", 1)[1]
    return web.Response(
        text=path.read_text(encoding="utf-8"), content_type=_TYPES[kind], headers=_HEADERS
    )
