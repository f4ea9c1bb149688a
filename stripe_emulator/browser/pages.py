"""Hosted pages: the Checkout page (``/c/pay/{cs_id}``) and the 3-D Secure page (``/3ds/{pi_id}``).

The Checkout page reads its session through the emulator's own JSON route
(``GET /_emulator/checkout/{cs_id}``) over loopback HTTP, so it depends only on that documented
contract; the page script then drives the JSON pay route. The 3-D Secure page takes the client
secret and return URL from its own query string.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from string import Template
from typing import Any

import aiohttp
from aiohttp import web

from stripe_emulator.browser.i18n import STRINGS, page_language
from stripe_emulator.browser.summary import money, summary_html
from stripe_emulator.notice import EMULATOR_NOTICE

TEMPLATES = Path(__file__).parent / "templates"
HTML = "text/html"
NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}

# (code, English, Russian); the default country comes first.
COUNTRIES = (
    ("US", "United States", "США"),
    ("GB", "United Kingdom", "Великобритания"),
    ("CA", "Canada", "Канада"),
    ("DE", "Germany", "Германия"),
    ("FR", "France", "Франция"),
    ("NL", "Netherlands", "Нидерланды"),
    ("RU", "Russia", "Россия"),
    ("JP", "Japan", "Япония"),
    ("AU", "Australia", "Австралия"),
)


def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script type=application/json>: no '</' can end the element early."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _notice_html(strings: dict[str, str]) -> str:
    """The test-mode strip: the API's EMULATOR_NOTICE, or its translation after a label."""
    if not strings["notice"]:
        return f"<span>{escape(EMULATOR_NOTICE)}</span>"
    return (
        f"<strong>{escape(strings['test_mode'])}</strong> <span>{escape(strings['notice'])}</span>"
    )


def _page(
    *,
    lang: str,
    title: str,
    body: str,
    scripts: tuple[str, ...] = (),
    body_class: str = "",
    status: int = 200,
) -> web.Response:
    strings = STRINGS[lang]
    html = _template("layout.html").substitute(
        lang=lang,
        title=escape(title),
        base="",
        body_class=body_class,
        notice=_notice_html(strings),
        body=body,
        scripts="".join(f'<script src="{src}"></script>' for src in scripts),
    )
    return web.Response(text=html, content_type=HTML, status=status, headers=NO_STORE)


def _message_page(
    lang: str, heading: str, text: str, *, link: str | None, status: int
) -> web.Response:
    strings = STRINGS[lang]
    link_html = (
        f'<p><a class="btn btn-primary" href="{escape(link)}">'
        f"{escape(strings['back_to_shop'])}</a></p>"
        if link
        else ""
    )
    body = _template("message.html").substitute(
        test_mode=escape(strings["test_mode"]),
        heading=escape(heading),
        text=escape(text),
        link=link_html,
    )
    return _page(lang=lang, title=heading, body=body, status=status, body_class="plain")


def _scripted_page(
    lang: str, name: str, *, title: str, body_class: str, **fields: str
) -> web.Response:
    """Template ``name.html`` filled with the UI strings and ``fields``, run by Stripe.js and
    the page's own ``name.js``."""
    strings = {key: escape(value) for key, value in STRINGS[lang].items()}
    body = _template(f"{name}.html").substitute(strings, **fields)
    scripts = ("/v3/", f"/_emulator/assets/{name}.js")
    return _page(lang=lang, title=title, body=body, scripts=scripts, body_class=body_class)


def _own_origin(request: web.Request) -> str:
    """This server's address as seen from itself (the Host header may name a proxy)."""
    transport = request.transport
    sockname = transport.get_extra_info("sockname") if transport else None
    if isinstance(sockname, tuple) and len(sockname) >= 2:
        host, port = sockname[0], sockname[1]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}"
    return str(request.url.origin())


async def _checkout_data(request: web.Request, cs_id: str) -> tuple[int, dict[str, Any]]:
    url = f"{_own_origin(request)}/_emulator/checkout/{cs_id}"
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as client, client.get(url) as resp:
        try:
            payload = await resp.json(content_type=None)
        except (json.JSONDecodeError, aiohttp.ContentTypeError):
            payload = {}
        return resp.status, payload if isinstance(payload, dict) else {}


def _country_options(lang: str) -> str:
    column = 2 if lang == "ru" else 1
    return "".join(f'<option value="{row[0]}">{escape(row[column])}</option>' for row in COUNTRIES)


async def checkout_page(request: web.Request) -> web.Response:
    cs_id = request.match_info["cs_id"]
    status, payload = await _checkout_data(request, cs_id)
    session = payload.get("session")
    accept = request.headers.get("Accept-Language")
    if status == 404 or not isinstance(session, dict):
        lang = page_language(None, accept)
        strings = STRINGS[lang]
        return _message_page(
            lang, strings["not_found_title"], strings["not_found_body"], link=None, status=404
        )
    lang = page_language(session.get("locale"), accept)
    strings = STRINGS[lang]
    if session.get("status") != "open":
        text = strings["gone_complete" if session.get("status") == "complete" else "gone_expired"]
        return _message_page(
            lang, strings["gone_title"], text, link=session.get("cancel_url"), status=410
        )
    line_items = payload.get("line_items") or []
    currency = str(session.get("currency") or "usd")
    email = session.get("customer_email") or (session.get("customer_details") or {}).get("email")
    locale = session.get("locale")
    config = {
        "sessionId": cs_id,
        "publishableKey": payload.get("publishable_key"),
        "locale": locale if locale and locale != "auto" else lang,
        "currency": currency,
        "amountTotal": session.get("amount_total"),
        "strings": strings,
    }
    return _scripted_page(
        lang,
        "checkout",
        title=strings["title"],
        body_class="checkout-page",
        cancel_url=escape(str(session.get("cancel_url") or "")),
        total_html=money(int(session.get("amount_total") or 0), currency),
        summary_html=summary_html(session, line_items, strings),
        email_label=escape(strings["email"]),
        email=escape(str(email or "")),
        email_readonly="readonly" if email else "",
        country_options=_country_options(lang),
        config=_script_json(config),
    )


async def threeds_page(request: web.Request) -> web.Response:
    """Full-page challenge for ``next_action.redirect_to_url``: everything it needs (client
    secret, return URL) is in its URL, as the API wrote it."""
    intent_id = request.match_info["pi_id"]
    client_secret = request.query.get("client_secret", "")
    lang = page_language(request.query.get("locale"), request.headers.get("Accept-Language"))
    strings = STRINGS[lang]
    config = {
        "intentId": intent_id,
        "clientSecret": client_secret,
        "returnUrl": request.query.get("return_url"),
        "strings": strings,
    }
    return _scripted_page(
        lang,
        "threeds",
        title=strings["tds_title"],
        body_class="plain",
        intent_id=escape(intent_id),
        config=_script_json(config),
    )
