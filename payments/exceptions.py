"""The payments vocabulary views catch. Only `payments.gateway` catches `stripe` errors."""

from django.utils.translation import gettext_lazy as _


class PaymentError(Exception):
    """Base class; `message` is safe to show to the buyer."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PaymentsNotConfigured(PaymentError):
    status_code = 503

    def __init__(self, currency: str) -> None:
        super().__init__(
            str(_("Payments in %(currency)s are not available right now."))
            % {"currency": currency.upper()}
        )


class OrderNotPayable(PaymentError):
    """The order can't be paid as it stands (already paid, below the minimum charge, …)."""


class StripeUnavailable(PaymentError):
    """Stripe timed out, failed or refused us; the cause is logged, not shown."""

    status_code = 502

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or str(
                _(
                    "We could not reach the payment provider. Nothing was charged; "
                    "please try again in a minute."
                )
            )
        )


class StripeBusy(StripeUnavailable):
    """Stripe rate-limited us (429): a 503, since waiting a moment is the whole fix."""

    status_code = 503

    def __init__(self) -> None:
        super().__init__(
            str(
                _(
                    "The payment provider is busy right now. Nothing was charged; "
                    "please try again in a moment."
                )
            )
        )


class IntentNotUpdatable(Exception):
    """Stripe refused to change a PaymentIntent in its current state (internal, never shown)."""
