"""Webhook handling: `handlers` stores each event once and dispatches it by type through its
`HANDLERS` mapping to the functions in `payment_intents`, `checkout` and `refunds`."""
