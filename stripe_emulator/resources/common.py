"""Small rules shared by several resources: metadata, updates, URLs, descriptors, and
refusing what the emulator does not emulate."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from stripe_emulator.errors import StripeError

METADATA_MAX_KEYS = 50
METADATA_MAX_KEY_LENGTH = 40
METADATA_MAX_VALUE_LENGTH = 500
DESCRIPTOR_MAX_LENGTH = 22
# The account's statement descriptor prefix (the emulated accounts have none configured, so a
# shop name of up to 10 characters is assumed); with "* " it leaves 10 for the suffix.
DESCRIPTOR_PREFIX = "EMULATOR"
URL_MAX_LENGTH = 5000


def apply_metadata(obj: dict[str, Any], value: Any) -> None:
    """Stripe's metadata update: ``""`` clears all, ``metadata[k]=""`` removes one key.

    Call ``merged_metadata`` first to validate: this only applies."""
    obj["metadata"] = merged_metadata(obj.get("metadata"), value)


def merged_metadata(current: dict[str, Any] | None, value: Any) -> dict[str, Any]:
    """The metadata after an update, checked against Stripe's limits (50 keys, key up to 40
    characters, value up to 500), with errors naming ``metadata[key]``."""
    if value == "":
        return {}
    merged = dict(current or {})
    for key, item in value.items():
        if len(key) > METADATA_MAX_KEY_LENGTH:
            raise StripeError.invalid_param(
                f"metadata[{key}]",
                f"Invalid key: metadata keys must be at most {METADATA_MAX_KEY_LENGTH} "
                f"characters; '{key[:50]}' has {len(key)}.",
            )
        if isinstance(item, str) and len(item) > METADATA_MAX_VALUE_LENGTH:
            raise StripeError.invalid_param(
                f"metadata[{key}]",
                f"Invalid value for metadata[{key}]: metadata values must be at most "
                f"{METADATA_MAX_VALUE_LENGTH} characters; this one has {len(item)}.",
            )
        if item == "":
            merged.pop(key, None)
        else:
            merged[key] = item
    if len(merged) > METADATA_MAX_KEYS:
        raise StripeError.invalid_param(
            "metadata",
            f"Metadata can have up to {METADATA_MAX_KEYS} keys, but you've set {len(merged)}.",
        )
    return merged


def update_fields(
    obj: dict[str, Any], params: dict[str, Any], names: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Apply an update call's ``names`` (``""`` unsets) and ``metadata`` to ``obj``.

    Returns the previous values of what changed, for the event's ``previous_attributes``.
    Metadata is checked before anything is changed.
    """
    metadata = (
        merged_metadata(obj["metadata"], params["metadata"]) if "metadata" in params else None
    )
    previous: dict[str, Any] = {}
    for name in names:
        if name in params and blank_to_none(params[name]) != obj[name]:
            previous[name] = obj[name]
            obj[name] = blank_to_none(params[name])
    if metadata is not None:
        previous["metadata"] = dict(obj["metadata"])
        obj["metadata"] = metadata
    return previous


def blank_to_none(value: Any) -> Any:
    """Posting an empty string unsets a scalar field."""
    return None if value == "" else value


def refuse_unsupported(params: dict[str, Any], supported: Iterable[str], prefix: str = "") -> None:
    """A 400 naming the first given parameter the emulator does not act on, so that a
    parameter Stripe would act on never passes here silently."""
    allowed = set(supported)
    for name in sorted(params):
        if name not in allowed:
            raise StripeError.unsupported(f"{prefix}[{name}]" if prefix else name)


def check_url(params: dict[str, Any], name: str, prefix: str = "") -> None:
    """Stripe's 400 ``url_invalid`` unless ``params[name]`` is an absolute http(s) URL."""
    value = params.get(name)
    if value is None:
        return
    param = f"{prefix}[{name}]" if prefix else name
    if len(value) > URL_MAX_LENGTH:
        raise StripeError.invalid_param(
            param, f"Invalid URL: URL must be {URL_MAX_LENGTH} characters or less.", "url_invalid"
        )
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(ch.isspace() for ch in value)
    ):
        raise StripeError.invalid_param(param, "Not a valid URL", "url_invalid")


def check_statement_descriptors(params: dict[str, Any], prefix: str = "") -> None:
    """Card charges take no ``statement_descriptor`` (only a suffix), and the suffix must fit
    the 22 characters of the complete descriptor ``PREFIX* SUFFIX``."""
    path = (lambda name: f"{prefix}[{name}]") if prefix else (lambda name: name)
    if params.get("statement_descriptor"):
        raise StripeError.invalid_param(
            path("statement_descriptor"),
            "The `statement_descriptor` parameter is not supported for the `card` payment "
            "method type. Use `statement_descriptor_suffix` instead: it is concatenated to "
            "your account's statement descriptor prefix.",
        )
    suffix = params.get("statement_descriptor_suffix")
    if suffix:
        room = DESCRIPTOR_MAX_LENGTH - len(DESCRIPTOR_PREFIX) - 2
        if len(suffix) > room:
            raise StripeError.invalid_param(
                path("statement_descriptor_suffix"),
                f"The statement descriptor suffix '{suffix}' is too long: with the account's "
                f"prefix '{DESCRIPTOR_PREFIX}' and '* ' the complete statement descriptor must "
                f"be at most {DESCRIPTOR_MAX_LENGTH} characters, so the suffix may have at "
                f"most {room}.",
            )
        if not any(ch.isalpha() for ch in suffix) or any(ch in "<>\\'\"*" for ch in suffix):
            raise StripeError.invalid_param(
                path("statement_descriptor_suffix"),
                "The statement descriptor suffix must contain at least one letter and none of "
                "the characters < > \\ ' \" *.",
            )
