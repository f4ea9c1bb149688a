"""Page and form helpers the catalog's tests (and others) share; data factories are in
`catalog.tests.factories`."""

import re
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from catalog.models import Discount, Order, Tax
from catalog.payment_links import PaymentLink
from catalog.tests.factories import make_order


def url(model: str, action: str, *args: int) -> str:
    return reverse(f"admin:catalog_{model}_{action}", args=args)


def order_form(
    currency: str = "usd",
    discount: Discount | None = None,
    tax: Tax | None = None,
    lines: Sequence[dict[str, Any]] = (),
    initial: Sequence[dict[str, Any]] = (),
) -> dict[str, str]:
    """POST data for the order form with its line inline (prefix "lines")."""
    data = {
        "currency": currency,
        "discount": str(discount.pk) if discount else "",
        "tax": str(tax.pk) if tax else "",
        "lines-TOTAL_FORMS": str(len(initial) + len(lines)),
        "lines-INITIAL_FORMS": str(len(initial)),
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate([*initial, *lines]):
        data[f"lines-{index}-item"] = str(line["item"].pk)
        data[f"lines-{index}-quantity"] = str(line["quantity"])
        data[f"lines-{index}-id"] = str(line.get("id", ""))
    return data


def text(response: HttpResponseBase) -> str:
    """The page's HTML with Babel's no-break spaces made plain, for readable assertions."""
    assert isinstance(response, HttpResponse)
    return response.content.decode().replace("\xa0", " ")


def staff_order() -> Order:
    return make_order(session_key="")


def link_url(link: PaymentLink) -> str:
    return reverse("catalog:payment_link", args=[link.token])


MINUS = "\N{MINUS SIGN}"  # the order page writes a discount with a true minus sign


def element(html: str, element_id: str) -> str:
    """The opening tag, text and closing tag of the element with `element_id`."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>.*?</\1>', html, re.S)
    assert match, f"no element with id {element_id!r}"
    return match.group(0)


def buyer_client() -> Client:
    """A client whose session exists (and has a key) before the first request."""
    client = Client()
    client.session.save()
    return client


def session_key(client: Client) -> str:
    key = client.session.session_key
    assert key is not None
    return key


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def violates_constraint(manager, **fields) -> bool:
    try:
        with transaction.atomic():
            manager.create(**fields)
    except IntegrityError:
        return True
    return False
