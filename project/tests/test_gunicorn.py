"""gunicorn.conf.py's access log keeps the client secret out of the logs, as Stripe asks
(https://docs.stripe.com/api/payment_intents/object, `client_secret`)."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config  # type: ignore[import-untyped]
from gunicorn.glogging import Logger  # type: ignore[import-untyped]

CONF = Path(__file__).resolve().parent.parent.parent / "gunicorn.conf.py"
SECRET = "pi_123_secret_abc"  # a made-up client secret
RESULT_URL = f"/payments/result/?payment_intent=pi_123&payment_intent_client_secret={SECRET}"


class TestAccessLog:
    def test_the_result_pages_client_secret_is_not_logged(self):
        """The result page's URL and Referer are logged without their query string."""
        # The card form's return to the result page, and the next page it links to (whose
        # Referer is the result URL), both carry the client secret in the query string.
        config = Config()
        config.set("access_log_format", runpy.run_path(str(CONF))["access_log_format"])
        logger = Logger(config)
        for path, referer in (
            (RESULT_URL, "-"),
            ("/order/1", f"https://shop.example.com{RESULT_URL}"),
        ):
            environ = {
                "REQUEST_METHOD": "GET",
                "RAW_URI": path,
                "PATH_INFO": path.split("?")[0],
                "QUERY_STRING": path.partition("?")[2],
                "SERVER_PROTOCOL": "HTTP/1.1",
                "HTTP_REFERER": referer,
                "REMOTE_ADDR": "203.0.113.9",
            }
            response = SimpleNamespace(status="200 OK", sent=512, headers=[])
            atoms = logger.atoms(response, [], environ, timedelta(milliseconds=42))
            line = config.access_log_format % logger.atoms_wrapper_class(atoms)
            assert f'"GET {path.split("?")[0]} HTTP/1.1" 200 512' in line
            assert SECRET not in line
            assert "payment_intent" not in line
