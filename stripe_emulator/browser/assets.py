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
# The ES modules of the Stripe.js stand-in, each after the modules it imports.
STRIPE_JS_MODULES = (
    "config.js",
    "messages.js",
    "card.js",
    "money.js",
    "http.js",
    "dom.js",
    "emitter.js",
    "element.js",
    "payment-element.js",
    "card-element.js",
    "element-input.js",
    "elements-group.js",
    "link.js",
    "threeds.js",
    "client.js",
)
_IMPORT = re.compile(r"^import \{[^}]*\} from '\./[a-z-]+\.js';\n", re.MULTILINE)
_EXPORT = re.compile(r"^export ", re.MULTILINE)


def _as_script(module: str) -> str:
    """One module's code for the shared scope: its imports dropped (the names are in scope
    already), its exports plain declarations."""
    return _EXPORT.sub("", _IMPORT.sub("", module))


@cache
def _stripe_js() -> str:
    """The Stripe.js stand-in as one classic script (pages load it with a plain ``<script
    src>``): the modules in order, in one function scope, with the notice filled in."""
    modules = ((STRIPE_JS / name).read_text(encoding="utf-8") for name in STRIPE_JS_MODULES)
    body = "\n".join(_as_script(module) for module in modules)
    # json.dumps gives a valid JS string literal; the placeholder sits inside quotes.
    body = body.replace("'__EMULATOR_NOTICE__'", json.dumps(EMULATOR_NOTICE))
    return f"(function () {{\n'use strict';\n{body}}})();\n"


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
