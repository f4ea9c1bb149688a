"""Pages and scripts a browser loads from the emulator: Stripe.js, hosted Checkout, 3-D Secure."""

from aiohttp import web

routes = web.RouteTableDef()
