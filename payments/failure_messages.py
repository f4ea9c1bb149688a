"""What the result page says about a failed payment, in the page's language.

Stripe's `last_payment_error.message` is English (the server's API calls carry no locale), so
pages never show it: they show the message for its `decline_code` or `code` from this table,
or a general one for a code not listed (Stripe adds codes) or none.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_AUTHENTICATION = _("Your bank could not confirm that it is you (3-D Secure was not completed).")

MESSAGES: dict[str, Promise] = {
    # decline codes (more specific, so looked up first), then error codes
    "insufficient_funds": _("Your card has insufficient funds."),
    "expired_card": _("Your card has expired."),
    "incorrect_cvc": _("Your card's security code is incorrect."),
    "processing_error": _("The card could not be processed. Please try again in a moment."),
    "card_declined": _("Your card was declined."),
    "generic_decline": _("Your card was declined."),
    "payment_intent_authentication_failure": _AUTHENTICATION,
    "authentication_required": _AUTHENTICATION,
}
GENERAL = _("Your payment was declined.")


def get_failure_message(code: str) -> str:
    """The message for a payment's failure code (its decline_code, else its error code)."""
    return str(MESSAGES.get(code, GENERAL))
