"""Pages and scripts a browser loads from the emulator: Stripe.js, hosted Checkout, 3-D Secure.

``create_app()`` adds ``routes``. Paths:

- ``/v3/``, ``/v3``, ``/js.stripe.com/v3/``, ``/{release}/stripe.js``: the Stripe.js stand-in;
- ``/c/pay/{cs_id}``: hosted Checkout page (410 once the session is complete or expired);
- ``/3ds/{pi_id}?client_secret=…&return_url=…``: 3-D Secure challenge page;
- ``/_emulator/assets/{name}``: CSS and scripts of those pages.
"""

from aiohttp import web

from stripe_emulator.browser import assets, pages

routes = web.RouteTableDef()

for _path in ("/v3/", "/v3", "/js.stripe.com/v3/", "/js.stripe.com/v3", "/{release}/stripe.js"):
    routes.get(_path)(assets.stripe_js)
routes.get("/_emulator/assets/{name}")(assets.asset)
routes.get("/c/pay/{cs_id}")(pages.checkout_page)
routes.get("/3ds/{pi_id}")(pages.threeds_page)
