"""The /v1 request pipeline: version, auth, faults, validation, idempotency, handler, expand.

Order follows Stripe: authentication and rate limiting come before parameter validation;
validation errors never reach the idempotency store; the response is written before the events
it raised are delivered.

Choices where Stripe's documentation leaves room ([?]):
- ``Stripe-Version`` must be a version Stripe published (``api_versions.py``; otherwise 400
  ``Invalid Stripe API version: …``, no code). It is echoed, and the rules of it that
  ``api_versions.py`` knows are followed; responses keep the emulated version's shape.
  Absent, the emulated version (``config.API_VERSION``) is used and echoed. Before
  2026-09-30.endive, ``payment_method_types`` is taken as the ``allowed_payment_method_types``
  that replaced it (same meaning: only those types, no automatic payment methods).
- ``Stripe-Should-Retry`` follows what stripe-python's ``_should_retry`` expects of Stripe:
  ``false`` on 4xx answers except 409 (a 409 ``idempotency_key_in_use`` carries none, so the
  SDK retries it as it retries every 409), and ``false`` on a 500 that is stored under the
  idempotency key (a retry would only replay it); a 500 that is not stored (a hang) carries
  none, so the SDK may retry it.
- Any unexpected exception on /v1 is Stripe's JSON 500 ``api_error`` (logged with its
  traceback), never aiohttp's text page.
- JSON bodies on /v1 are refused (400).
- An injected 500 ``api_error`` stands for a failure once execution began, so, as Stripe
  documents for v1, it is stored under the idempotency key and a retry with the same key gets
  the same 500 back; injected 429s and hangs act before idempotency (Stripe rate-limits before
  its idempotency layer; a hung request never answered), so a retry with the same key runs;
  injected latency acts after the key is claimed, so a concurrent retry sees 409
  ``idempotency_key_in_use``.
- A publishable-key confirm needs no ``return_url``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from stripe_emulator import api_versions, ids
from stripe_emulator.accounts import Account
from stripe_emulator.encoding import decode_form, dumps
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import (
    API_ERROR,
    NO_API_KEY,
    PUBLISHABLE_KEY_NOT_ALLOWED,
    RATE_LIMITED,
    StripeError,
    masked_key,
)
from stripe_emulator.events import request_scope, respond_then_deliver
from stripe_emulator.expand import expand
from stripe_emulator.params import coerce, schema_for
from stripe_emulator.resources.checkout_outcomes import expire_due_sessions
from stripe_emulator.state import EmulatorState

HANG_SECONDS = 300  # a hanging response ends when the client gives up, or after this
UNEXPECTED_ERROR = "An unknown error occurred in the Stripe emulator (see its log)."

logger = logging.getLogger("stripe_emulator")


def add_v1_routes(
    app: web.Application, state_key: web.AppKey[EmulatorState], endpoints: list[Endpoint]
) -> None:
    for endpoint in endpoints:
        app.router.add_route(endpoint.method, endpoint.path, _handler(state_key, endpoint))
    app.router.add_route("*", "/v1/{tail:.*}", _handler(state_key, None))


def _handler(
    state_key: web.AppKey[EmulatorState], endpoint: Endpoint | None
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        return await _serve(request, request.app[state_key], endpoint)

    return handle


async def _serve(
    request: web.Request, state: EmulatorState, endpoint: Endpoint | None
) -> web.StreamResponse:
    request_id = ids.request_id()
    request_log = state.requests  # taken now, so a request outliving a reset is not listed after
    idempotency_key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
    version = request.headers.get("Stripe-Version", state.options.api_version)
    if version not in api_versions.PUBLISHED:
        version = state.options.api_version  # refused below; answer in the served version
    headers = {"Request-Id": request_id, "Stripe-Version": version}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    log: dict[str, Any] = {
        "id": request_id,
        "method": request.method,
        "path": request.path,
        "account": None,
        "key_type": None,
        "api_version": version,
        "params": {},
        "idempotency_key": idempotency_key,
        "replayed": False,
        "created": int(time.time()),
    }
    with request_scope(request_id, idempotency_key, state.generation) as scope:
        try:
            status, body = await _answer(request, state, endpoint, log, idempotency_key)
            if request.method != "GET" or scope.outbox:  # a GET changes state if it expires
                await state.persist()
        except StripeError as error:
            status, body = error.status, dumps(error.body(request_id)).encode()
            log["stored"] = error.stored and status >= 500
        except Exception:
            logger.exception("unexpected error answering %s %s", request.method, request.path)
            unexpected = StripeError(500, UNEXPECTED_ERROR, type="api_error", stored=False)
            status, body = 500, dumps(unexpected.body(request_id)).encode()
            scope.outbox.clear()  # a request that failed half-way announces nothing
    if log["replayed"]:
        headers["Idempotent-Replayed"] = "true"
    if (400 <= status < 500 and status != 409) or (status >= 500 and log.get("stored")):
        headers["Stripe-Should-Retry"] = "false"
    response = web.Response(
        status=status, body=body, content_type="application/json", headers=headers
    )
    await respond_then_deliver(request, response, state, scope)
    log.pop("stored", None)
    log["status"] = status
    request_log.append(log)
    return response


async def _versioned_form(request: web.Request, state: EmulatorState) -> tuple[str, dict[str, Any]]:
    """The request's API version (a published one) and its form-encoded parameters."""
    version = request.headers.get("Stripe-Version", state.options.api_version)
    api_versions.check_published(version)
    if request.content_type == "application/json":
        raise StripeError.invalid_param(
            None,
            "Invalid request: the Stripe API takes application/x-www-form-urlencoded bodies, "
            "not JSON.",
        )
    return version, decode_form(request.query_string, await request.text())


async def _answer(
    request: web.Request,
    state: EmulatorState,
    endpoint: Endpoint | None,
    log: dict[str, Any],
    idempotency_key: str | None,
) -> tuple[int, bytes]:
    version, tree = await _versioned_form(request, state)
    log["params"] = tree
    account, publishable = _authenticate(request, state, tree, endpoint)
    log["account"], log["key_type"] = account.name, "publishable" if publishable else "secret"
    pattern = endpoint.path if endpoint else request.path
    effect = state.faults.draw(request.method, request.path, pattern)
    await _fail_if_injected(request, effect.error)
    if endpoint is None:
        raise StripeError.unrecognized_url(request.method, request.path)
    params = _validate(endpoint, _as_of_version(tree, version), publishable)

    expire_due_sessions(state, account)
    if idempotency_key:
        stored = account.idempotency.claim(
            idempotency_key, f"{request.method} {request.path}", tree, state.clock.now()
        )
        if stored is not None and stored.status is not None:
            log["replayed"] = True
            log["stored"] = stored.status >= 500
            return stored.status, stored.body
    try:
        if effect.latency_ms:
            await asyncio.sleep(effect.latency_ms / 1000)
        if effect.error == "api_error":
            raise StripeError(500, API_ERROR, type="api_error")
        call = _call(request, state, account, params, publishable, version)
        status, body = 200, await _run(endpoint, call)
    except StripeError as error:
        if idempotency_key and not error.stored:
            account.idempotency.release(idempotency_key)
            raise
        status, body = error.status, dumps(error.body(log["id"])).encode()
        log["stored"] = status >= 500
    except BaseException:
        if idempotency_key:
            account.idempotency.release(idempotency_key)
        raise
    if idempotency_key:
        account.idempotency.store(idempotency_key, status, body)
    return status, body


def _call(
    request: web.Request,
    state: EmulatorState,
    account: Account,
    params: dict[str, Any],
    publishable: bool,
    version: str,
) -> Call:
    base_url = state.options.public_url or f"{request.scheme}://{request.host}"
    return Call(state, account, params, dict(request.match_info), publishable, base_url, version)


async def _run(endpoint: Endpoint, call: Call) -> bytes:
    result = endpoint.handler(call)
    obj = await result if inspect.isawaitable(result) else result
    if call.params.get("expand"):
        obj = expand(call.account, obj, call.params["expand"])
    return dumps(obj).encode()


def _authenticate(
    request: web.Request, state: EmulatorState, tree: dict[str, Any], endpoint: Endpoint | None
) -> tuple[Account, bool]:
    key = _key_from_header(request.headers.get("Authorization", ""))
    if not key and endpoint is not None and endpoint.publishable_params is not None:
        # Stripe.js may send the publishable key as a form field instead of a header.
        key = tree.get("key") if isinstance(tree.get("key"), str) else None
    if not key:
        raise StripeError.authentication(NO_API_KEY)
    if key.startswith("pk_"):
        account = state.account_for_publishable_key(key)
        if account is None:
            raise StripeError.authentication(f"Invalid API Key provided: {masked_key(key)}")
        if endpoint is not None and endpoint.publishable_params is None:
            raise StripeError.authentication(PUBLISHABLE_KEY_NOT_ALLOWED)
        return account, True
    account = state.account_for_secret_key(key)
    if account is None:
        raise StripeError.authentication(f"Invalid API Key provided: {masked_key(key)}")
    return account, False


def _key_from_header(header: str) -> str | None:
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[0] or None
    return None


async def _fail_if_injected(request: web.Request, error: str | None) -> None:
    """The faults that strike before Stripe's idempotency layer (an `api_error` comes later)."""
    if error == "rate_limit":
        raise StripeError(429, RATE_LIMITED, code="rate_limit", stored=False)
    if error == "hang":
        deadline = time.monotonic() + HANG_SECONDS
        while time.monotonic() < deadline:
            transport = request.transport
            if transport is None or transport.is_closing():
                break
            await asyncio.sleep(0.05)
        raise StripeError(500, API_ERROR, type="api_error", stored=False)


def _as_of_version(tree: dict[str, Any], version: str) -> dict[str, Any]:
    """The parameters in the emulated version's terms, where an older version names them
    differently (see the module docstring)."""
    if (
        "payment_method_types" in tree
        and "allowed_payment_method_types" not in tree
        and api_versions.accepts_payment_method_types(version)
    ):
        tree = dict(tree)
        tree["allowed_payment_method_types"] = tree.pop("payment_method_types")
    return tree


def _validate(endpoint: Endpoint, tree: dict[str, Any], publishable: bool) -> dict[str, Any]:
    extra = (
        schema_for(endpoint.publishable_params)
        if publishable and endpoint.publishable_params
        else None
    )
    return coerce(tree, schema_for(endpoint.params), extra)
