"""Content-Security-Policy and Permissions-Policy (project/headers.py), with the sources Stripe
lists (https://docs.stripe.com/security/guide#content-security-policy)."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in policy.split("; "))}


class TestContentSecurityPolicy:
    @pytest.mark.parametrize(
        "stripe_js", ["https://js.stripe.com/endive/stripe.js", "https://js.stripe.com/v3/"]
    )
    def test_real_stripe_gets_the_hosts_stripe_documents(self, client, settings, stripe_js):
        """With real Stripe, only the sources Stripe documents, and no inline script or style."""
        # A versioned release or the legacy v3: Stripe.js and its subdomains for scripts and
        # frames, 3-D Secure's hooks.stripe.com, the API for connections, stylesheets from
        # Stripe.js's origin.
        settings.STRIPE_JS_URL = stripe_js
        settings.STRIPE_API_BASE = "https://api.stripe.com"
        policy = directives(client.get("/"))
        assert policy["script-src"] == [
            "'self'",
            "https://js.stripe.com",
            "https://*.js.stripe.com",
        ]
        assert policy["frame-src"] == [
            "https://js.stripe.com",
            "https://*.js.stripe.com",
            "https://hooks.stripe.com",
        ]
        assert policy["connect-src"] == ["'self'", "https://api.stripe.com"]
        assert policy["img-src"] == ["'self'", "data:", "https://*.stripe.com"]
        assert policy["style-src"] == ["'self'", "https://js.stripe.com"]
        assert (policy["object-src"], policy["frame-ancestors"]) == (["'none'"], ["'none'"])

    def test_the_configured_origins_are_used(self, client, settings):
        """Any STRIPE_JS_URL / STRIPE_API_BASE (the emulator's) gets real Stripe's directives."""
        # Allowed by origin alone; no inline style for the emulator either.
        settings.STRIPE_JS_URL = "http://127.0.0.1:12111/v3/"
        settings.STRIPE_API_BASE = "http://127.0.0.1:12112"
        policy = directives(client.get("/"))
        assert policy["script-src"] == ["'self'", "http://127.0.0.1:12111"]
        assert policy["frame-src"] == ["http://127.0.0.1:12111"]
        assert policy["connect-src"] == ["'self'", "http://127.0.0.1:12112"]
        assert policy["style-src"] == ["'self'", "http://127.0.0.1:12111"]

    def test_every_page_and_answer_carries_the_headers(self, client):
        """Pages, JSON answers and 404s alike."""
        for response in (client.get("/"), client.get("/healthz"), client.get("/no-such-page")):
            assert "default-src 'self'" in response["Content-Security-Policy"]
            assert "camera=()" in response["Permissions-Policy"]
            assert 'payment=(self "' in response["Permissions-Policy"]
