"""Test cards and what confirming with them does (https://docs.stripe.com/testing).

Server-side calls name a test PaymentMethod (``pm_card_visa``...); Stripe.js calls carry a raw
test card number. Both resolve to a card number, whose outcome is looked up here.
"""

from __future__ import annotations

from dataclasses import dataclass

from stripe_emulator.errors import StripeError

DECLINED = "Your card was declined."

TEST_PAYMENT_METHODS = {
    "pm_card_visa": "4242424242424242",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_amex": "378282246310005",
    "pm_card_visa_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_visa_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_chargeDeclinedExpiredCard": "4000000000000069",
    "pm_card_chargeDeclinedIncorrectCvc": "4000000000000127",
    "pm_card_chargeDeclinedProcessingError": "4000000000000119",
    "pm_card_authenticationRequiredOnSetup": "4000002500003155",
    "pm_card_authenticationRequired": "4000002760003184",
    "pm_card_threeDSecure2Required": "4000000000003220",
}


@dataclass(frozen=True)
class Decline:
    code: str
    message: str
    decline_code: str | None = None
    param: str | None = None


DECLINES = {
    "4000000000000002": Decline("card_declined", DECLINED, "generic_decline"),
    "4000000000009995": Decline(
        "card_declined", "Your card has insufficient funds.", "insufficient_funds"
    ),
    "4000000000009987": Decline("card_declined", DECLINED, "lost_card"),
    "4000000000009979": Decline("card_declined", DECLINED, "stolen_card"),
    # Expired card and wrong CVC carry no decline_code (believed; the codes:
    # https://docs.stripe.com/declines/codes).
    "4000000000000069": Decline("expired_card", "Your card has expired.", param="exp_month"),
    "4000000000000127": Decline(
        "incorrect_cvc", "Your card's security code is incorrect.", param="cvc"
    ),
    "4000000000000119": Decline(
        "processing_error",
        "An error occurred while processing your card. Try again in a little bit.",
    ),
}

THREE_D_SECURE = {"4000002500003155", "4000002760003184", "4000000000003220"}

AUTHENTICATION_REQUIRED = Decline(
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
    "authentication_required",
)


@dataclass(frozen=True)
class Card:
    number: str
    exp_month: int
    exp_year: int

    @property
    def last4(self) -> str:
        return self.number[-4:]

    @property
    def brand(self) -> str:
        if self.number.startswith("4"):
            return "visa"
        if self.number[:2] in ("34", "37"):
            return "amex"
        if self.number[:2] in {str(n) for n in range(51, 56)} or self.number[:1] == "2":
            return "mastercard"
        return "unknown"

    def as_json(self) -> dict[str, object]:
        return {
            "brand": self.brand,
            "display_brand": self.brand,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": "pass",
            },
            "country": "US",
            "exp_month": self.exp_month,
            "exp_year": self.exp_year,
            "fingerprint": f"fp{self.number[-8:]}",
            "funding": "credit",
            "last4": self.last4,
            "generated_from": None,
            "networks": {"available": [self.brand], "preferred": None},
            "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": True},
            "wallet": None,
        }

    def charge_details(self, amount: int, authenticated: bool) -> dict[str, object]:
        """``payment_method_details.card`` of a charge on this card (the charge's own shape:
        authorization and network fields instead of the PaymentMethod's networks list)."""
        return {
            "amount_authorized": amount,
            "authorization_code": None,
            "brand": self.brand,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": "pass",
            },
            "country": "US",
            "exp_month": self.exp_month,
            "exp_year": self.exp_year,
            "electronic_commerce_indicator": "05" if authenticated else None,
            "extended_authorization": {"status": "disabled"},
            "fingerprint": f"fp{self.number[-8:]}",
            "funding": "credit",
            "incremental_authorization": {"status": "unavailable"},
            "installments": None,
            "last4": self.last4,
            "mandate": None,
            "multicapture": {"status": "unavailable"},
            "network": self.brand,
            "network_token": {"used": False},
            "network_transaction_id": f"{self.number[-6:]}0000000",
            "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
            "regulated_status": "unregulated",
            "three_d_secure": (
                {
                    "authentication_flow": "challenge",
                    "electronic_commerce_indicator": "05",
                    "exemption_indicator": None,
                    "result": "authenticated",
                    "result_reason": None,
                    "transaction_id": None,
                    "version": "2.2.0",
                }
                if authenticated
                else None
            ),
            "transaction_link_id": None,
            "wallet": None,
        }


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def card_from_form(data: dict[str, str], this_year: int) -> Card:
    """Validate a raw card as Stripe.js would, answering Stripe's 402 ``card_error`` wordings."""
    number = "".join(ch for ch in str(data.get("number") or "") if "0" <= ch <= "9")
    if len(number) < 12 or not luhn_valid(number):
        raise card_error("incorrect_number", "Your card number is incorrect.", "number")
    try:
        month, year = _small_int(data.get("exp_month")), _small_int(data.get("exp_year"))
    except ValueError:
        raise card_error(
            "invalid_expiry_month", "Your card's expiration month is invalid.", "exp_month"
        ) from None
    year = year + 2000 if year < 100 else year
    if not 1 <= month <= 12:
        raise card_error(
            "invalid_expiry_month", "Your card's expiration month is invalid.", "exp_month"
        )
    if year < this_year:
        raise card_error(
            "invalid_expiry_year", "Your card's expiration year is invalid.", "exp_year"
        )
    cvc = str(data.get("cvc") or "")
    if cvc and (not (cvc.isascii() and cvc.isdigit()) or len(cvc) not in (3, 4)):
        raise card_error("invalid_cvc", "Your card's security code is invalid.", "cvc")
    return Card(number, month, year)


def _small_int(value: object) -> int:
    """An expiry month or year from a form or JSON: ASCII digits only (``None``, ``"²"``,
    floats and booleans are invalid, never a crash)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        raise ValueError(f"not a month or year: {value!r}")
    return int(text)


def card_error(code: str, message: str, param: str | None = None) -> StripeError:
    return StripeError(402, message, type="card_error", code=code, param=param)
