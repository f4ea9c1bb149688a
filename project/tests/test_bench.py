"""The logic `make bench` prints its figures with (bench/): signatures Stripe's own library
accepts, wrk's output read back, failures and ratios summed up, and floors that keep Django's
`startproject` defaults. No timing: the figures themselves are `make bench`'s to print."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import django
import pytest
import stripe

from bench.floor import settings as floor_settings
from bench.floors import Results
from bench.measure import Failures, Sample, alternate, describe_spread, ratios, spread
from bench.report import print_floors
from bench.signing import signature_header, succeeded_event
from bench.wrk import parse_wrk

SECRET = "whsec_test_bench"

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/item/1
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    20.00ms    5.00ms  80.00ms   90.00%
  2210 requests in 5.01s, 20.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 10
Requests/sec:    441.12
Transfer/sec:      3.99MB
status 200 1100
status 503 6
error 503 {"error": "busy"}
status 200 1100
status 404 4
error 404 <!doctype html>
"""


def _sample(ok: int, cpu: float) -> Sample:
    return Sample(ok=ok, elapsed=1.0, cpu={"workers": cpu}, others=0.0)


class TestSigning:
    def test_stripe_python_accepts_the_signature(self):
        """construct_event verifies a delivery signed by bench.signing and reads its event."""
        body = succeeded_event("evt_1", intent_id="pi_1", amount=1500, currency="usd", order_id=7)
        event = stripe.Webhook.construct_event(body, signature_header(body, SECRET), SECRET)
        assert (event.id, event.type) == ("evt_1", "payment_intent.succeeded")
        assert event.data.object["metadata"]["order_id"] == "7"

    def test_a_tampered_body_is_refused(self):
        """The signature covers the exact body: one changed byte fails verification."""
        body = succeeded_event("evt_2", intent_id="pi_2", amount=1, currency="usd", order_id=1)
        header = signature_header(body, SECRET)
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(body.replace(b"pi_2", b"pi_3"), header, SECRET)


class TestWrkOutput:
    def test_answers_and_failures_are_read_back(self):
        """2xx answers are summed over threads; other statuses and socket errors are failures."""
        ok, elapsed, failures = parse_wrk(WRK_OUTPUT)
        assert (ok, elapsed) == (2200, 5.01)
        assert failures.counts == {
            "503": 6,
            "404": 4,
            "socket read error": 3,
            "socket timeout error": 2,
        }
        assert failures.first_lines["503"] == '{"error": "busy"}'


class TestSummaries:
    def test_failures_merge_and_describe(self):
        """Counts add up by status and the first error line seen is kept."""
        first, second = Failures(), Failures()
        first.add("503", "busy\nmore")
        second.add("503", "other", 2)
        second.add("no answer", "ServerDisconnectedError")
        first.merge(second)
        assert first.total() == 4
        assert (
            first.describe()
            == "4 failed: 3 x 503 ('busy'), 1 x no answer ('ServerDisconnectedError')"
        )
        assert Failures().describe() == "0 failed"

    def test_ratios_pair_rounds_and_skip_what_was_not_measured(self):
        """Each round's shop figure is divided by that round's floor; nothing answered is nan."""
        shop = [_sample(100, 0.5), _sample(0, 0.5), _sample(100, 0.3)]
        floor = [_sample(100, 0.25), _sample(100, 0.25), _sample(100, 0.1)]
        found = ratios(shop, floor, lambda s: s.cpu_ms("workers"))
        assert found[0] == pytest.approx(2.0)
        assert math.isnan(found[1])
        assert spread(found) == pytest.approx((2.0, 2.5, 3.0))
        assert describe_spread(found, "x") == "2.50x (min 2.00, max 3.00)"

    def test_who_goes_first_alternates(self):
        """Rounds alternate which app is measured first."""
        assert alternate(3, "shop", "floor") == [
            ("shop", "floor"),
            ("floor", "shop"),
            ("shop", "floor"),
        ]


class TestReport:
    def test_the_endpoint_is_set_against_both_floors(self, capsys):
        """The endpoint's CPU is a ratio to both floors, the locked one's to the floor, by round."""
        results = Results()
        for figure in ("item page", "catalog page", "webhook"):
            for app in ("shop", "floor"):
                results.add(figure, app, (_sample(100, 0.1), Failures()))
        for shop_cpu, floor_cpu, locked_cpu in [(0.6, 0.3, 0.4), (0.9, 0.3, 0.5)]:
            results.add("endpoint", "shop", (_sample(100, shop_cpu), Failures()))
            results.add("endpoint", "floor", (_sample(100, floor_cpu), Failures()))
            results.add("endpoint", "locked floor", (_sample(100, locked_cpu), Failures()))
        print_floors(results, "2 workers", rounds=2)
        printed = capsys.readouterr().out
        assert "per create 2.50x (min 2.00, max 3.00) the floor's" in printed
        assert "against the locked floor" in printed
        assert "worker CPU 1.65x (min 1.50, max 1.80);" in printed
        locked = "the locked floor itself: worker CPU 1.50x (min 1.33, max 1.67) the floor's"
        assert locked in printed
        assert "workers 4.50, PostgreSQL 0.00" in printed


class TestFloor:
    def test_the_floor_keeps_startproject_defaults(self):
        """The floor's middleware and installed contrib apps are Django's startproject ones."""
        template = (
            Path(django.__file__).parent / "conf/project_template/project_name/settings.py-tpl"
        )
        text = template.read_text()
        for name in ("MIDDLEWARE", "INSTALLED_APPS"):
            found = re.search(rf"^{name} = (\[.*?\])", text, re.MULTILINE | re.DOTALL)
            assert found
            defaults = ast.literal_eval(found[1])
            assert [m for m in getattr(floor_settings, name) if m != "bench.floor"] == defaults
        assert floor_settings.DEBUG is False
