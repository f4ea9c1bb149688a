"""The plain statement every emulator page and the health check carry."""

EMULATOR_NOTICE = (
    "TEST MODE - local Stripe emulator. This is not Stripe: no card is charged and no money "
    "moves. Use test card numbers only."
)
