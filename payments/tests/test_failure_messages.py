"""The result page explains a failed payment in the page's language, never in Stripe's English."""

# ruff: noqa: RUF001  (Russian text is expected here, not Latin look-alikes)

import pytest
from django.utils import translation

from catalog.tests.factories import make_item, make_order
from payments.failure_messages import get_failure_message
from payments.models import Payment
from payments.tests.helpers import pay_server_side

RUSSIAN = {
    ("card_declined", None): "Карта отклонена.",
    ("card_declined", "insufficient_funds"): "На карте недостаточно средств.",
    ("expired_card", None): "Срок действия карты истёк.",
    ("incorrect_cvc", None): "Неверный код безопасности карты.",
    ("processing_error", None): "Не удалось обработать карту. Попробуйте ещё раз через минуту.",
    ("payment_intent_authentication_failure", None): (
        "Банк не смог подтвердить, что это вы (проверка 3-D Secure не пройдена)."
    ),
    ("some_code_stripe_adds_later", None): "Платёж отклонён.",
    ("", None): "Платёж отклонён.",
}


class TestFailureMessage:
    @pytest.mark.parametrize(("code", "decline_code"), list(RUSSIAN))
    def test_each_code_has_a_russian_message(self, code, decline_code):
        """The decline code (stored as the failure code when Stripe gives one), else the error
        code, has its Russian message; an unknown or empty code the general one."""
        with translation.override("ru"):
            assert get_failure_message(decline_code or code) == RUSSIAN[code, decline_code]

    def test_stripes_english_message_is_never_passed_through(self):
        """A stored English message is not a code: the general message, translated."""
        with translation.override("ru"):
            assert get_failure_message("Your card has insufficient funds.") == "Платёж отклонён."


@pytest.mark.django_db
class TestResultPageInRussian:
    def test_a_decline_is_explained_in_russian(self, client, stripe_accounts):
        """A declined card on a Russian result page: the reason for its decline code, in
        Russian, and no English from Stripe."""
        order = make_order(lines=[(make_item(), 1)])
        body = client.post(f"/order/{order.pk}/payment-intent").json()
        with pytest.raises(Exception, match="declined"):
            pay_server_side(Payment.objects.get(), "pm_card_visa_chargeDeclined")
        payment = Payment.objects.get()
        query = {
            "payment_intent": body["paymentIntent"],
            "payment_intent_client_secret": body["clientSecret"],
        }
        html = client.get("/payments/result/", query, headers={"accept-language": "ru"})
        html = html.content.decode()
        payment.refresh_from_db()
        assert 'data-status="failed"' in html
        assert payment.failure_code == "generic_decline"
        assert "Карта отклонена." in html
        assert payment.last_error
        assert payment.last_error not in html
        assert "declined" not in html
