"""What every part of `python -m bench` shares: the emulator account and lifted rate limits."""

from testing.servers import StripeKeys

SECRET_KEY = "sk_test_benchusd"  # noqa: S105 - an emulator test key
WEBHOOK_SECRET = "whsec_bench0123456789abcdefghijklmnopqrstuv"  # noqa: S105 - emulator only
ACCOUNTS = {"usd": StripeKeys(SECRET_KEY, SECRET_KEY.replace("sk_", "pk_"), WEBHOOK_SECRET)}
# PaymentIntent reuse, the sweep and throughput are measured from one address, not the rate
# limits (bench.limits measures those): lifted there.
NO_RATE_LIMITS = {
    "RATE_LIMIT_PER_CLIENT": "1000000/s",
    "RATE_LIMIT_PER_STRIPE_ACCOUNT": "1000000/s",
}
