"""The payments vocabulary views catch. Only `payments.gateway` catches `stripe` errors."""

from django.utils.translation import gettext_lazy as _


class OrderNotFound(Exception):
    """No such order, or not one this buyer may pay (both answer 404)."""


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


class OrderPaidOrBeingPaid(OrderNotPayable):
    """The order is paid, or a payment of it is being processed: a 409 naming the order, whose
    page shows its status instead of a form to pay it again."""

    status_code = 409

    def __init__(self, message: str, *, order_id: int) -> None:
        super().__init__(message)
        self.order_id = order_id


class StripeUnavailable(PaymentError):
    """Stripe timed out, failed or refused us; the cause is logged, not shown.

    `keeps_key`: whether a create that failed so must be tried again with the same idempotency
    key. False (the default) for an answer Stripe stored under the key (a 500, or a 4xx other
    than 409 and 429), which it would only replay: the next try needs a fresh key.
    """

    status_code = 502
    keeps_key = False

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


class StripeMisconfigured(StripeUnavailable):
    """Stripe refused the request itself (bad or restricted key, bad parameter): a bug or a
    misconfiguration here, logged at ERROR; the buyer is only told that nothing was charged,
    since "could not reach" would be untrue and retrying will not help."""

    def __init__(self) -> None:
        super().__init__(str(_("Payment could not be started; nothing was charged.")))


class StripeObjectGone(StripeMisconfigured):
    """The PaymentIntent or Checkout Session is not in the account (`resource_missing`): it
    was deleted with the account's test data, or the currency's keys now name another account.
    Nothing can pay it any more, so callers that hold one close it and start afresh."""


class StripeOutcomeUnknown(StripeUnavailable):
    """The answer was lost (a timeout, a broken connection) or Stripe is still running the same
    request (409 `idempotency_key_in_use`): the create may have happened, so the next try sends
    the same key and Stripe hands back what it made instead of making a second one."""

    keeps_key = True


class StripeBusy(StripeUnavailable):
    """Stripe rate-limited us (429): a 503, since waiting a moment is the whole fix. Stripe
    refuses before its idempotency layer, so nothing is stored and the key stays good."""

    status_code = 503
    keeps_key = True

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


class SessionNotOpen(Exception):
    """Stripe refused to expire a Checkout Session that is no longer open (internal, never
    shown): the holder reads it again to learn whether it was paid."""


class RefundRefused(PaymentError):
    """Stripe, or the shop before asking it, refused a refund; `message` says why, for staff."""


class RefundBeforePayment(PaymentError):
    """A refund event came before the shop learnt that its payment succeeded (events cross):
    the webhook answers 503 so Stripe delivers it again once the payment is recorded."""

    status_code = 503

    def __init__(self) -> None:
        super().__init__("refund of a payment not yet recorded as paid")
