"""The catalog and item pages, rendered once and filled in for each visitor.

Those pages are the same for every visitor who reads them in one language but for four holes:
the CSRF token, the cart badge, the language form's `next` path and the messages. Rendering
them (the templates, Babel's money formatting, the card form) was most of a page's cost, so
`render_page` renders a page once per key with a marker in each hole, keeps it in this
process's memory, and fills the holes for each request.

The key is the template, the language and every value the page shows from the database (an
item's name, description, price and currency): a price edited in the admin, from any process,
makes a new key and shows at once. The settings the pages read change only in tests, which
empty the store (`setting_changed`). A page is rendered as for a visitor with nothing (no
cookies, an empty session, anonymous), so nothing of one visitor's can reach another.

Conditional GET: a visitor with a CSRF cookie gets an ETag made of the page, that cookie's
secret, the cart count and the path, and a 304 when it comes back with it. Another visitor (or
the same one with another cart or CSRF secret) cannot match it; with messages to show, there is
no ETag. `Cache-Control: private, no-cache`: browsers ask again each time, shared caches keep
nothing.
"""

from __future__ import annotations

import copy
import hashlib
import re
import secrets
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from catalog.cart import Cart
from catalog.language import get_active_language

# Pages kept per process: the catalog and each item in each language, with room for edits.
MAX_PAGES = 512

# Each visitor's copy is their own (private), and is checked with the shop before it is used
# (no-cache): a price edited in the admin is never shown stale.
CACHE_CONTROL = "private, no-cache"

# A marker no page text can contain by chance (a new one in every process).
_MARK = f"page-hole-{secrets.token_hex(8)}-"
_HOLE = re.compile(re.escape(_MARK) + r"(\w+)\.")


def _mark(name: str) -> str:
    return f"{_MARK}{name}."


def _cart_badge(request: HttpRequest | None) -> str:
    count = Cart(request.session).count if request is not None else 0
    return _badge(get_active_language(), count)


@lru_cache(maxsize=256)
def _badge(language: str, count: int) -> str:
    """The badge for `count` units in `language` (the active one: the caller's key)."""
    return render_to_string("catalog/_cart_badge.html", {"count": count})


def _next_path(request: HttpRequest | None) -> str:
    return escape(request.get_full_path()) if request is not None else ""


def _messages(request: HttpRequest | None) -> str:
    storage = get_messages(request) if request is not None else None
    if not storage:
        return ""
    return render_to_string("catalog/_messages.html", {"messages": storage})


# What fills each hole, from the request (None: a page rendered without one, the 500 page).
FILLERS: Mapping[str, Callable[[HttpRequest | None], str]] = {
    "cart_badge": _cart_badge,
    "next_path": _next_path,
    "messages": _messages,
}


def render_hole(context: Context, name: str) -> SafeString:
    """A hole's content for a page being rendered: its marker when `render_page` is making the
    shared page, else the visitor's own (the cart, order and error pages)."""
    if context.get("page_holes"):
        return mark_safe(_mark(name))  # noqa: S308 - letters, digits, '-' and '.'
    return mark_safe(FILLERS[name](context.get("request")))  # noqa: S308 - escaped HTML


@dataclass(frozen=True)
class _Page:
    parts: tuple[str, ...]  # text, hole name, text, hole name, ..., text
    digest: str  # identifies the page's text, for ETags


_pages: dict[Hashable, _Page] = {}
_pages_lock = threading.Lock()


def forget_pages(**_kwargs: object) -> None:
    """Empty the store (settings changed: what a page shows may have too)."""
    with _pages_lock:
        _pages.clear()
    _badge.cache_clear()


setting_changed.connect(forget_pages)


def _stranger(request: HttpRequest) -> HttpRequest:
    """`request` as a visitor with no cookies, session, user or messages would make it."""
    stranger = copy.copy(request)
    stranger.COOKIES = {}
    stranger.session = import_module(settings.SESSION_ENGINE).SessionStore()
    stranger.user = AnonymousUser()
    stranger._messages = default_storage(stranger)  # type: ignore[attr-defined]
    return stranger


def _page(
    request: HttpRequest, template_name: str, context: Callable[[], dict[str, Any]], key: Hashable
) -> _Page:
    full_key = (template_name, get_active_language(), key)
    page = _pages.get(full_key)
    if page is None:
        holes = {"page_holes": True, "csrf_token": _mark("csrf_token")}
        html = render_to_string(template_name, {**context(), **holes}, request=_stranger(request))
        digest = hashlib.blake2b(html.encode(), digest_size=12).hexdigest()
        page = _Page(tuple(_HOLE.split(html)), digest)
        with _pages_lock:
            if len(_pages) >= MAX_PAGES:
                _pages.pop(next(iter(_pages)))  # the oldest
            _pages[full_key] = page
    return page


def render_page(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict[str, Any]],
    *,
    key: Hashable,
) -> HttpResponseBase:
    """The page `template_name` renders with `context()` for this request's visitor (`context`
    is called only when the page is not in store yet).

    `key` must hold every value from the database that the page shows (see the module's
    docstring); a 304 when the visitor's copy is still this one.
    """
    page = _page(request, template_name, context, key)
    filled = {"messages": _messages(request)}
    count = Cart(request.session).count
    secret = request.META.get("CSRF_COOKIE")
    etag = None
    if secret and not filled["messages"]:
        mix = f"{page.digest}\n{secret}\n{count}\n{request.get_full_path()}"
        etag = 'W/"' + hashlib.blake2b(mix.encode(), digest_size=16).hexdigest() + '"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            not_modified.headers["ETag"] = etag
            not_modified.headers["Cache-Control"] = CACHE_CONTROL
            return not_modified
    filled["csrf_token"] = get_token(request)
    filled["cart_badge"] = _badge(get_active_language(), count)
    filled["next_path"] = _next_path(request)
    parts = page.parts
    body = "".join(part if index % 2 == 0 else filled[part] for index, part in enumerate(parts))
    response = HttpResponse(body)
    if etag is not None:
        response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
