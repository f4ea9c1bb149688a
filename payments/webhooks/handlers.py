"""Store each event once, then dispatch it by type to the handler registered for it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction

from payments.gateway.accounts import is_live
from payments.gateway.events import StripeEvent
from payments.models import WebhookEvent

logger = logging.getLogger("payments.webhooks")

Handler = Callable[[StripeEvent], None]

_HANDLERS: dict[str, Handler] = {}


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of `event_types` (one handler a type)."""

    def register(handler: Handler) -> Handler:
        for event_type in event_types:
            if event_type in _HANDLERS:
                raise ValueError(f"{event_type} already has a handler")
            _HANDLERS[event_type] = handler
        return handler

    return register


def handle_event(event: StripeEvent) -> str:
    """Record and handle a verified event; return what happened, for the log and the reply.

    The event row and the handler's writes commit together: a handler that fails leaves no
    row, so Stripe's redelivery is handled again, while a redelivery of a handled event meets
    the unique (account, event id) row and does nothing. A concurrent duplicate waits on that
    row's unique index until the first commits.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    account=event.account,
                    event_id=event.id,
                    type=event.type,
                    stripe_object_id=event.object_id,
                )
        except IntegrityError:
            logger.info(
                "Duplicate %s %s (%s): already handled", event.type, event.id, event.account
            )
            return "duplicate"
        if event.livemode != is_live(event.account):
            logger.warning(
                "Ignored %s %s: livemode does not match the account", event.type, event.id
            )
            return "ignored"
        handler = _HANDLERS.get(event.type)
        if handler is None:
            logger.info("Ignored %s %s (%s): no handler", event.type, event.id, event.account)
            return "ignored"
        handler(event)
        logger.info("Handled %s %s (%s)", event.type, event.id, event.account)
        return "handled"
