"""Hosted pages: the Checkout page (``/c/pay/{cs_id}``) and the 3-D Secure page (``/3ds/{pi_id}``).

The Checkout page is rendered from the same view of the session as its JSON route
(``control.checkout_page_view``, read from ``request.app[STATE_KEY]``); the page script then
drives the JSON pay route. The 3-D Secure page takes the client secret and return URL from its
own query string.

A link back to the shop is drawn only for an absolute http(s) ``cancel_url``: the API already
refuses any other, and the page does not rely on that alone.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from stripe_emulator.browser.i18n import STRINGS, page_language
from stripe_emulator.browser.summary import money, summary_html
from stripe_emulator.errors import StripeError
from stripe_emulator.hosted_actions import checkout_page_view
from stripe_emulator.notice import EMULATOR_NOTICE
from stripe_emulator.state import STATE_KEY

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
        title_suffix=escape(strings["title_suffix"]),
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


def shop_link(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL a page may link to, else None."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    safe = parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in url)
    return url if safe else None


def _back_link(url: str | None, label: str) -> str:
    arrow = '<span aria-hidden="true">&larr;</span>'
    if url is None:
        return ""  # no way back is better than a link that runs script or leaves the web
    return f'<a id="cancel-link" class="back" href="{escape(url)}">{arrow} {escape(label)}</a>'


def _country_options(lang: str) -> str:
    column = 2 if lang == "ru" else 1
    return "".join(f'<option value="{row[0]}">{escape(row[column])}</option>' for row in COUNTRIES)


async def checkout_page(request: web.Request) -> web.Response:
    cs_id = request.match_info["cs_id"]
    accept = request.headers.get("Accept-Language")
    try:
        payload = checkout_page_view(request.app[STATE_KEY], cs_id)
    except StripeError:
        lang = page_language(None, accept)
        strings = STRINGS[lang]
        return _message_page(
            lang, strings["not_found_title"], strings["not_found_body"], link=None, status=404
        )
    session = payload["session"]
    lang = page_language(session.get("locale"), accept)
    strings = STRINGS[lang]
    cancel_url = shop_link(session.get("cancel_url"))
    if session.get("status") != "open":
        text = strings["gone_complete" if session.get("status") == "complete" else "gone_expired"]
        return _message_page(lang, strings["gone_title"], text, link=cancel_url, status=410)
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
        back_link=_back_link(cancel_url, strings["back"]),
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
