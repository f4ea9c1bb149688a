"""Admin sign-in is throttled (django-axes): a username and client address pair is locked out
after a few wrong passwords, says so, and staff can unlock it."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(settings):
    settings.AXES_FAILURE_LIMIT = 3
    # Each attempt hashes the password; production's PBKDF2 costs a second of CPU per test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return get_user_model().objects.create_user(
        "shopkeeper", password=PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(client: Client, password: str, username: str = "shopkeeper"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
    )


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


class TestLockout:
    def test_the_right_password_is_refused_after_the_failure_limit(self, staff):
        """After the failure limit even the right password gets 429 and the message, no session."""
        client = Client()
        assert [sign_in(client, "guess").status_code for _ in range(2)] == [200, 200]
        assert sign_in(client, "guess").status_code == 429
        locked = sign_in(client, PASSWORD)
        assert locked.status_code == 429
        assert "signing in as this user from your network is locked" in locked.content.decode()
        assert not signed_in(client)

    def test_below_the_limit_the_right_password_works_and_resets_the_count(self, staff):
        """Two mistakes then the right password sign in, and the count starts again."""
        client = Client()
        sign_in(client, "typo")
        sign_in(client, "typo")
        assert sign_in(client, PASSWORD).status_code == 302
        assert signed_in(client)
        assert not AccessAttempt.objects.exists()

    def test_the_lock_is_per_username_and_address(self, staff):
        """A lockout holds one username at one address: other pairs still sign in."""
        attacker = Client(REMOTE_ADDR="203.0.113.9")
        for _ in range(3):
            sign_in(attacker, "guess")
        assert sign_in(attacker, PASSWORD).status_code == 429
        assert sign_in(Client(REMOTE_ADDR="198.51.100.1"), PASSWORD).status_code == 302
        get_user_model().objects.create_user("other", password=PASSWORD, is_staff=True)
        assert sign_in(attacker, PASSWORD, username="other").status_code == 302

    def test_the_locked_page_is_in_russian(self, staff):
        """The lockout page speaks the visitor's language."""
        client = Client(HTTP_ACCEPT_LANGUAGE="ru")
        for _ in range(3):
            sign_in(client, "guess")
        assert "временно заблокирован" in sign_in(client, PASSWORD).content.decode()


class TestUnlock:
    def test_staff_unlock_with_the_command(self, staff):
        """`manage.py axes_reset_username` lifts the lock at once."""
        client = Client()
        for _ in range(3):
            sign_in(client, "guess")
        call_command("axes_reset_username", "shopkeeper")
        assert sign_in(client, PASSWORD).status_code == 302

    def test_staff_unlock_in_the_admin(self, staff, admin_client):
        """The lock is an Access attempt row in the admin; deleting it there unlocks."""
        client = Client()
        for _ in range(3):
            sign_in(client, "guess")
        assert admin.site.is_registered(AccessAttempt)
        attempt = AccessAttempt.objects.get(username="shopkeeper")
        page = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
        assert page.status_code == 302
        assert sign_in(client, PASSWORD).status_code == 302
