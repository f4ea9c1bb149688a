"""Settings are production-safe by default: they run `manage.py` in a fresh process with a
production environment, since settings are read once per process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "shop.example.com",
    "SITE_URL": "https://shop.example.com",
    **{
        f"STRIPE_{currency}_{name}": f"{prefix}_test_{currency.lower()}"
        for currency in ("USD", "EUR")
        for name, prefix in (
            ("SECRET_KEY", "sk"),
            ("PUBLISHABLE_KEY", "pk"),
            ("WEBHOOK_SECRET", "whsec"),
        )
    },
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Start from this process's environment minus the Django variables the test run sets.
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class TestProductionSettings:
    def test_check_deploy_is_clean(self):
        """`check --deploy` finds nothing to warn about in a production environment."""
        result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
        assert result.returncode == 0, result.stderr
        assert "no issues" in result.stdout

    def test_secret_key_is_required_without_debug(self):
        """With DEBUG off and no secret key the settings refuse to load, naming the variable."""
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
        result = _manage("check", env=env)
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY must be set" in result.stderr

    def test_missing_stripe_keys_are_flagged_for_deploy(self):
        """`check --deploy` warns when an enabled currency has no Stripe keys."""
        env = {k: v for k, v in PRODUCTION_ENV.items() if not k.startswith("STRIPE_EUR")}
        result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
        assert result.returncode != 0
        assert "eur" in (result.stdout + result.stderr).lower()

    def test_debug_is_off_by_default(self):
        """Without DJANGO_DEBUG the shop runs with DEBUG off."""
        result = _manage(
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
            env=PRODUCTION_ENV,
        )
        assert result.stdout.strip().splitlines()[-1] == "False", result.stderr

    def test_forwarded_proto_is_trusted_only_behind_a_proxy(self):
        """X-Forwarded-Proto counts only with DJANGO_BEHIND_PROXY=true."""
        # Heroku, or a load balancer that sets it; otherwise any client could claim HTTPS.
        code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
        alone = _manage("shell", "-c", code, env=PRODUCTION_ENV)
        behind = _manage("shell", "-c", code, env={**PRODUCTION_ENV, "DJANGO_BEHIND_PROXY": "true"})
        assert alone.stdout.strip().splitlines()[-1] == "None", alone.stderr
        assert behind.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')"
