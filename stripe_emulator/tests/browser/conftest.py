"""Fixtures for the emulator's browser tests: emulator, a merchant site on another origin, Chromium.

The merchant site is a tiny ``http.server`` on its own port, so Stripe.js calls from its pages
are cross-origin exactly as a shop's calls to api.stripe.com are. Its pages are built here from
the query string (publishable key, client secret, locale, redirect mode).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import stripe
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from stripe_emulator.testing import start_emulator
from stripe_emulator.testing_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

from .helpers import OTHER_SECRET_KEY, SECRET_KEY, Site

SHOTS = Path("/tmp/emulator-shots")  # noqa: S108 - where the brief wants screenshots


# --- merchant pages -------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Merchant test page</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 520px; margin: 40px auto; padding: 0 16px;
        color: #1a1f36; }}
 #submit {{ margin-top: 16px; width: 100%; height: 44px; border: 0; border-radius: 6px;
           background: #0a2540; color: #fff; font: inherit; font-weight: 600; }}
 #element-box {{ padding: 12px; border: 1px solid #e0e3eb; border-radius: 6px; }}
 #message {{ margin-top: 12px; color: #df1b41; }}
</style>
<script src="{emulator}/v3/"></script></head>
<body><h1>Pay for order 42</h1>
<form id="payment-form"><div id="element-box"><div id="element"></div></div>
<button id="submit" type="submit">Pay now</button><div id="message" role="alert"></div></form>
<script>
const q = new URLSearchParams(location.search);
const stripe = Stripe(q.get('pk'), {{locale: q.get('locale') || 'en'}});
window.events = [];
window.result = null;
{setup}
document.getElementById('payment-form').addEventListener('submit', async (event) => {{
  event.preventDefault();
  window.result = await confirm();
  const r = window.result;
  const text = r.error ? r.error.message : r.paymentIntent.status;
  document.getElementById('message').textContent = text;
}});
</script></body></html>
"""

PAYMENT_SETUP = """
const elements = stripe.elements({clientSecret: q.get('client_secret')});
const element = elements.create('payment');
element.on('ready', () => { document.body.dataset.ready = 'yes'; });
element.on('loaderror', (e) => { window.loadError = e.error; });
element.on('change', (e) => window.events.push(e));
element.mount('#element');
function confirm() {
  return stripe.confirmPayment({
    elements,
    confirmParams: {return_url: location.origin + '/return?order=42'},
    redirect: q.get('redirect') || 'always',
  });
}
"""

CARD_SETUP = """
const elements = stripe.elements();
const element = elements.create('card');
element.on('ready', () => { document.body.dataset.ready = 'yes'; });
element.on('change', (e) => window.events.push(e));
element.mount('#element');
function confirm() {
  return stripe.confirmCardPayment(q.get('client_secret'), {
    payment_method: {card: element, billing_details: {name: 'Jenny Rosen'}},
  });
}
"""

PAGES = {"/payment": PAYMENT_SETUP, "/card": CARD_SETUP}


def _handler(emulator_url: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path in PAGES:
                body = PAGE.format(emulator=emulator_url, setup=PAGES[path])
            else:  # return, success and cancel pages: just say where we are
                body = f"<!doctype html><title>{path}</title><h1 id='landed'>{path}</h1>"
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def emulator() -> Iterator[Any]:
    server = start_emulator()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_emulator(emulator: Any) -> None:
    emulator.reset()


@pytest.fixture(scope="session")
def site(emulator: Any) -> Iterator[Site]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(emulator.url.rstrip("/")))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    require_chromium()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def client(emulator: Any) -> stripe.StripeClient:
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": emulator.url.rstrip("/")})


@pytest.fixture
def other_client(emulator: Any) -> stripe.StripeClient:
    return stripe.StripeClient(OTHER_SECRET_KEY, base_addresses={"api": emulator.url.rstrip("/")})


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
