"""Stripe's errors, translated once into `payments.exceptions` with the cause logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import stripe

from payments.exceptions import (
    IntentNotUpdatable,
    StripeBusy,
    StripeMisconfigured,
    StripeObjectGone,
    StripeOutcomeUnknown,
    StripeUnavailable,
)

logger = logging.getLogger("payments.gateway")


@contextmanager
def translate_stripe_errors(operation: str = "a Stripe call") -> Iterator[None]:
    """Run one Stripe call, turning its failures into the project's exceptions.

    Timeouts and connection failures (after stripe-python's own retries, which resend the same
    idempotency key) and a 409 `idempotency_key_in_use` (the first try still running) become
    StripeOutcomeUnknown, whose next try must keep the key; a 5xx becomes StripeUnavailable
    (502); a 429 becomes StripeBusy (503). An object the account does not
    hold (`resource_missing`) becomes StripeObjectGone, so its holder can start afresh.
    Anything else Stripe refuses is a bug or a misconfiguration here (bad key, bad parameter):
    StripeMisconfigured, a 502 telling the buyer only that nothing was charged, logged at
    ERROR with Stripe's request id so it can be found in the Dashboard.
    """
    try:
        yield
    except stripe.RateLimitError as error:
        logger.warning("Stripe rate-limited %s: %s", operation, _describe(error))
        raise StripeBusy() from error
    except stripe.APIConnectionError as error:
        logger.warning("Stripe's answer lost for %s: %s", operation, _describe(error))
        raise StripeOutcomeUnknown() from error
    except stripe.APIError as error:
        if error.http_status == 409:  # idempotency_key_in_use: the first try is still running
            logger.warning("Stripe still running %s: %s", operation, _describe(error))
            raise StripeOutcomeUnknown() from error
        logger.warning("Stripe unavailable for %s: %s", operation, _describe(error))
        raise StripeUnavailable() from error
    except stripe.InvalidRequestError as error:
        if error.code == "payment_intent_unexpected_state":
            raise IntentNotUpdatable(str(error.user_message or error)) from error
        if error.code == "resource_missing":
            logger.warning("Stripe has no such object for %s: %s", operation, _describe(error))
            raise StripeObjectGone() from error
        logger.error("Stripe refused %s: %s", operation, _describe(error))
        raise StripeMisconfigured() from error
    except stripe.StripeError as error:
        logger.error("Stripe refused %s: %s", operation, _describe(error))
        raise StripeMisconfigured() from error


def _describe(error: stripe.StripeError) -> str:
    return (
        f"{type(error).__name__} http_status={error.http_status} code={error.code} "
        f"request_id={error.request_id} message={error.user_message or error}"
    )
