"""Which request parameters each endpoint takes, derived from stripe-python's own TypedDicts.

The allowed-parameter tree is read from the pinned SDK's generated ``stripe.params`` classes
(``__annotations__`` minus the ``RequestOptions`` keys, ``__required_keys__`` for required ones),
so it follows the SDK version. Annotation strings are resolved in the defining module's namespace
because ``typing.get_type_hints`` cannot resolve the SDK's forward references.

``coerce`` turns the decoded form tree (strings, dicts, lists) into typed values: ``int``,
``bool``, ``Decimal`` for floats, ``""`` kept as the "unset" marker where the SDK allows it.
"""

from __future__ import annotations

import functools
import sys
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NotRequired, Required, Union

from stripe._request_options import RequestOptions
from typing_extensions import is_typeddict

from stripe_emulator.errors import StripeError

_REQUEST_OPTION_KEYS = frozenset(RequestOptions.__annotations__)


@dataclass(frozen=True)
class Scalar:
    """A leaf value: ``kind`` is ``str``, ``int``, ``bool``, ``decimal`` or ``any``."""

    kind: str


@dataclass(frozen=True)
class Choice:
    """A closed set of string literals (an enum)."""

    values: frozenset[str]


@dataclass(frozen=True)
class Obj:
    """A hash with known keys; ``cls`` is resolved lazily so recursive types terminate."""

    cls: type

    @property
    def fields(self) -> dict[str, Node]:
        return _fields(self.cls)

    @property
    def required(self) -> frozenset[str]:
        return _required(self.cls)


@dataclass(frozen=True)
class Seq:
    item: Node


@dataclass(frozen=True)
class Mapping:
    """A hash with free keys (``metadata``)."""

    value: Node


@dataclass(frozen=True)
class OneOf:
    options: tuple[Node, ...] = field(default_factory=tuple)


Node = Scalar | Choice | Obj | Seq | Mapping | OneOf


def schema_for(cls: type) -> Obj:
    """The parameter tree of one SDK params class, e.g. ``PaymentIntentCreateParams``."""
    return Obj(cls)


@functools.cache
def _fields(cls: type) -> dict[str, Node]:
    namespace = vars(sys.modules[cls.__module__])
    return {
        name: _node(annotation, namespace)
        for name, annotation in cls.__annotations__.items()
        if name not in _REQUEST_OPTION_KEYS
    }


@functools.cache
def _required(cls: type) -> frozenset[str]:
    return frozenset(cls.__required_keys__) - _REQUEST_OPTION_KEYS  # type: ignore[attr-defined]


def _node(annotation: Any, namespace: dict[str, Any]) -> Node:
    if isinstance(annotation, str):
        return _node(eval(annotation, dict(namespace)), namespace)  # noqa: S307 - SDK source text
    if isinstance(annotation, typing.ForwardRef):
        return _node(annotation.__forward_arg__, namespace)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (NotRequired, Required):
        return _node(args[0], namespace)
    if origin in (Union, types.UnionType):
        return _union([_node(arg, namespace) for arg in args])
    if origin is typing.Literal:
        return Choice(frozenset(str(arg) for arg in args))
    if origin in (list, typing.List):  # noqa: UP006 - the SDK spells it List
        return Seq(_node(args[0], namespace))
    if origin in (dict, typing.Dict):  # noqa: UP006
        return Mapping(_node(args[1], namespace))
    if is_typeddict(annotation):
        return Obj(annotation)
    if annotation is bool:
        return Scalar("bool")
    if annotation is int:
        return Scalar("int")
    if annotation is float:
        return Scalar("decimal")
    if annotation is str:
        return Scalar("str")
    if origin is not None and getattr(origin, "__name__", "") == "UntypedStripeObject":
        return Mapping(Scalar("any"))
    return Scalar("any")


def _union(options: list[Node]) -> Node:
    # The SDK adds ``|str`` to every enum so new server values do not break its typing; the
    # server itself rejects values outside the enum, so the literals win over ``str``.
    if any(isinstance(o, Choice) and o.values - {""} for o in options):
        options = [o for o in options if o != Scalar("str")]
    merged = [o for o in options if not isinstance(o, Mapping) or o.value != Scalar("any")]
    if len(merged) < len(options) and not any(isinstance(o, Mapping) for o in merged):
        merged.append(Mapping(Scalar("any")))
    return merged[0] if len(merged) == 1 else OneOf(tuple(merged))


def coerce(tree: dict[str, Any], schema: Obj, extra: Obj | None = None) -> dict[str, Any]:
    """Validate the decoded params against ``schema``; ``extra`` adds Stripe.js-only keys."""
    if extra is None:
        return _coerce_obj(tree, schema, "")
    rest, extra_tree = _split(tree, extra)
    return _deep_merge(_coerce_obj(rest, schema, ""), _coerce_obj(extra_tree, extra, ""))


def _split(tree: dict[str, Any], extra: Obj) -> tuple[dict[str, Any], dict[str, Any]]:
    """Move the keys ``extra`` knows out of ``tree`` (recursing into hashes both know)."""
    rest, moved = dict(tree), {}
    for key, node in extra.fields.items():
        if key not in rest:
            continue
        if isinstance(node, Obj) and isinstance(rest[key], dict):
            rest[key], moved[key] = _split(rest[key], node)
            if not rest[key]:
                del rest[key]
        else:
            moved[key] = rest.pop(key)
    return rest, moved


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _path(parent: str, key: str | int) -> str:
    return str(key) if not parent else f"{parent}[{key}]"


def _coerce_obj(value: dict[str, Any], schema: Obj, path: str) -> dict[str, Any]:
    fields = schema.fields
    out: dict[str, Any] = {}
    for key, raw in value.items():
        node = fields.get(key)
        if node is None:
            raise StripeError.unknown_parameter(_path(path, key))
        out[key] = _coerce(raw, node, _path(path, key))
        if key == "currency" and isinstance(out[key], str):
            out[key] = out[key].lower()  # Stripe takes "USD" too and answers "usd"
    for key in sorted(schema.required):
        if key not in out:
            raise StripeError.missing_parameter(_path(path, key))
    return out


def _coerce(value: Any, node: Node, path: str) -> Any:
    if isinstance(node, OneOf):
        return _coerce_one_of(value, node, path)
    if isinstance(node, (Obj, Mapping)):
        if value == "":
            return ""  # unsets the whole hash
        if not isinstance(value, dict):
            raise StripeError.invalid_param(path, f"Invalid hash: {path}")
        if isinstance(node, Obj):
            return _coerce_obj(value, node, path)
        return {k: _coerce(v, node.value, _path(path, k)) for k, v in value.items()}
    if isinstance(node, Seq):
        return _coerce_seq(value, node, path)
    if not isinstance(value, str):
        if isinstance(node, Scalar) and node.kind == "any":
            return value
        raise StripeError.invalid_param(path, f"Invalid value for {path}: expected a scalar.")
    if isinstance(node, Choice):
        if value not in node.values:
            allowed = ", ".join(sorted(v for v in node.values if v))
            raise StripeError.invalid_param(path, f"Invalid {path}: must be one of {allowed}")
        return value
    return _coerce_scalar(value, node.kind, path)


def _coerce_one_of(value: Any, node: OneOf, path: str) -> Any:
    if value == "" and any(isinstance(o, Choice) and "" in o.values for o in node.options):
        return ""
    first_error: StripeError | None = None
    # Structured options first, so a hash is matched against the hash schema.
    ordered = sorted(node.options, key=lambda o: isinstance(o, (Scalar, Choice)))
    for option in ordered:
        try:
            return _coerce(value, option, path)
        except StripeError as error:
            if error.code in ("parameter_unknown", "parameter_missing"):
                raise
            first_error = first_error or error
    assert first_error is not None
    raise first_error


def _coerce_seq(value: Any, node: Seq, path: str) -> list[Any]:
    if value == "":
        return []
    if isinstance(value, dict) and all(k.isascii() and k.isdigit() for k in value):
        items = [value[k] for k in sorted(value, key=int)]
    elif isinstance(value, list):
        items = value
    else:
        raise StripeError.invalid_param(path, f"Invalid array: {path}")
    return [_coerce(item, node.item, _path(path, i)) for i, item in enumerate(items)]


def _coerce_scalar(value: str, kind: str, path: str) -> Any:
    if kind == "int":
        stripped = value[1:] if value.startswith("-") else value
        if not (stripped.isascii() and stripped.isdigit()):
            raise StripeError.invalid_param(
                path, f"Invalid integer: {value}", "parameter_invalid_integer"
            )
        return int(value)
    if kind == "bool":
        if value not in ("true", "false"):
            raise StripeError.invalid_param(path, f"Invalid boolean: {value}")
        return value == "true"
    if kind == "decimal":
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise StripeError.invalid_param(path, f"Invalid decimal: {value}")
        return number
    return value
