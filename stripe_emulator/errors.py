"""Stripe's error envelope and the wordings the emulator answers with (https://docs.stripe.com/api/errors)."""

from __future__ import annotations

from typing import Any

_SUPPORT = "or we can help at https://support.stripe.com/."

NO_API_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    f"https://stripe.com/docs/api#authentication for details, {_SUPPORT}"
)
PUBLISHABLE_KEY_NOT_ALLOWED = (
    "This API call cannot be made with a publishable API key. Please use a secret API key. "
    "You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."
)
CLIENT_SECRET_MISMATCH = (
    "The client_secret provided does not match the client_secret associated with the "  # noqa: S105
    "PaymentIntent."
)
AUTHENTICATION_FAILED = (
    "The provided PaymentMethod has failed authentication. You can provide payment_method_data "
    "or a new PaymentMethod to attempt to fulfill this PaymentIntent again."
)
RATE_LIMITED = (
    "Request rate limit exceeded. Learn more about rate limits here "
    "https://stripe.com/docs/rate-limits."
)
API_ERROR = "An unknown error occurred (injected by the Stripe emulator)."


class StripeError(Exception):
    """An error answered in Stripe's envelope.

    ``stored`` says whether idempotency stores it: Stripe saves a result only once the endpoint
    started executing, so parameter validation errors are not stored (https://docs.stripe.com/api/idempotent_requests).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        stored: bool = True,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.stored = stored
        self.extra = extra

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        if request_id:
            error["request_log_url"] = (
                f"https://dashboard.stripe.com/test/logs/{request_id}?t={request_id}"
            )
        error.update(self.extra)
        return {"error": error}

    # Constructors for the recurring cases; validation ones are not stored by idempotency.

    @classmethod
    def invalid_param(cls, param: str | None, message: str, code: str | None = None) -> StripeError:
        return cls(400, message, code=code, param=param, stored=False)

    @classmethod
    def unknown_parameter(cls, path: str) -> StripeError:
        return cls.invalid_param(path, f"Received unknown parameter: {path}", "parameter_unknown")

    @classmethod
    def below_minimum(cls, path: str, minimum: int = 1) -> StripeError:
        """An integer under the API's minimum for the field (``amount=0``, ``quantity=0``)."""
        return cls.invalid_param(
            path,
            f"This value must be greater than or equal to {minimum}.",
            "parameter_invalid_integer",
        )

    @classmethod
    def missing_parameter(cls, path: str) -> StripeError:
        return cls.invalid_param(path, f"Missing required param: {path}.", "parameter_missing")

    @classmethod
    def not_found(
        cls, kind: str, object_id: str, param: str = "id", status: int = 404
    ) -> StripeError:
        """``No such <kind>``: 404 for the object in the path, 400 for one a parameter names."""
        return cls(status, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)

    @classmethod
    def unsupported(cls, param: str, what: str | None = None) -> StripeError:
        """A real Stripe feature the emulator does not emulate (never silently ignored)."""
        return cls.invalid_param(
            param, f"The Stripe emulator does not support {what or f'`{param}`'}."
        )

    @classmethod
    def unrecognized_url(cls, method: str, path: str) -> StripeError:
        return cls(
            404,
            f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
            + _SUPPORT,
            stored=False,
        )

    @classmethod
    def authentication(cls, message: str) -> StripeError:
        return cls(401, message, stored=False)

    @classmethod
    def unexpected_state(cls, message: str) -> StripeError:
        return cls(400, message, code="payment_intent_unexpected_state")


MASK_MIN_HIDDEN = 8  # [?] fewer hidden characters than this and nothing of the key is shown


def masked_key(key: str) -> str:
    """``sk_test_********abcd``: prefix, asterisks, last four characters (Stripe's 401 wording).

    The last four are shown only when at least ``MASK_MIN_HIDDEN`` characters stay hidden, so
    a short key is never echoed (nearly) whole; otherwise only asterisks follow the prefix.
    """
    prefix = next(
        (p for p in ("sk_test_", "sk_live_", "pk_test_", "pk_live_", "rk_test_", "rk_live_")
         if key.startswith(p)),
        "",
    )  # fmt: skip
    rest = key[len(prefix) :]
    if len(rest) - 4 >= MASK_MIN_HIDDEN:
        return f"{prefix}{'*' * (len(rest) - 4)}{rest[-4:]}"
    return f"{prefix}{'*' * MASK_MIN_HIDDEN}"
