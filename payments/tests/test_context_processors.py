"""The footer's "no real card is charged" promise is made only when it is true."""

import pytest

TEST_NOTICE = "no real card is ever charged"


def _accounts(usd_key: str, eur_key: str) -> dict[str, dict[str, str]]:
    return {
        currency: {"secret_key": key, "publishable_key": "", "webhook_secret": ""}
        for currency, key in (("usd", usd_key), ("eur", eur_key))
    }


@pytest.mark.django_db
class TestStripeModeNotice:
    def test_test_keys_show_the_notice(self, client, settings):
        """With test keys only, every page says no real card is charged."""
        settings.STRIPE_ACCOUNTS = _accounts("sk_test_a", "rk_test_b")
        assert TEST_NOTICE in client.get("/").content.decode()

    def test_a_live_key_hides_the_notice(self, client, settings):
        """With one live key the promise would be false, so the page does not make it."""
        settings.STRIPE_ACCOUNTS = _accounts("sk_test_a", "sk_live_b")
        assert TEST_NOTICE not in client.get("/").content.decode()
