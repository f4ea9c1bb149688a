"""An offline stand-in for the part of Stripe the shop uses. Development and tests only."""
