"""Webhook handling: `handlers` stores each event once and dispatches it by type.

Handler modules register their event types with `@handles(...)`; the app imports every module
listed here when Django starts (`PaymentsConfig.ready`). To handle more types, add a module
and list it.
"""

HANDLER_MODULES = (
    "payments.webhooks.payment_intents",
    "payments.webhooks.checkout",
    "payments.webhooks.refunds",
)
