"""Run a Stripe sample's Flask server unchanged, with stripe-python talking to the emulator.

Run by the sample's own virtualenv's Python, in the sample's server folder:
``python launch_sample.py PORT``. stripe-python has no environment variable for its API base,
so this sets ``stripe.api_base`` from ``STRIPE_API_BASE`` before the sample imports stripe, then
runs ``flask run`` on the sample's ``server.py``. The sample's own ``__main__`` block is not
used: it fixes port 4242 and starts Flask's debug reloader.

Only the standard library and the sample's own requirements are importable here.
"""

import os
import runpy
import sys

import stripe

stripe.api_base = os.environ["STRIPE_API_BASE"]
port = sys.argv[1]
sys.argv = ["flask", "--app", "server", "run", "--host", "127.0.0.1", "--port", port,
            "--no-reload", "--no-debugger"]  # fmt: skip
runpy.run_module("flask", run_name="__main__", alter_sys=True)
