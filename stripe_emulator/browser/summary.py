"""The order summary of the hosted Checkout page: line items, discount, taxes and totals.

Everything shown comes from the API's own figures (line ``amount_*`` fields, the session's
``total_details``); nothing is recomputed here. Amounts are rendered as ``<span data-amount>``
with a plain fallback text; the page script reformats them with ``Intl.NumberFormat`` in the
session locale, which knows each currency's exponent.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from stripe_emulator.money import exponent as currency_exponent


def plain_amount(amount: int, currency: str) -> str:
    """'12.34 USD', '1,500 JPY': readable before the page script formats it properly."""
    exponent = currency_exponent(currency.lower())
    return f"{amount / 10**exponent:,.{exponent}f} {currency.upper()}"


def money(amount: int, currency: str, *, negative: bool = False) -> str:
    sign = "-" if negative else ""
    return (
        f'<span class="amount" data-amount="{sign}{amount}" data-currency="{escape(currency)}">'
        f"{sign}{escape(plain_amount(amount, currency))}</span>"
    )


@dataclass(frozen=True)
class Row:
    label: str
    amount_html: str
    css: str = ""


def _percent(value: Any, strings: dict[str, str]) -> str:
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', strings['decimal_point'])}%"


def _coupon_of(discount: Any) -> dict[str, Any]:
    """The coupon of a Discount object, whichever API version shaped it."""
    if not isinstance(discount, dict):
        return {}
    coupon = discount.get("coupon")
    if coupon is None:
        coupon = (discount.get("source") or {}).get("coupon")
    if isinstance(coupon, str):
        return {"id": coupon}
    return coupon if isinstance(coupon, dict) else {}


def discount_label(line_items: list[dict[str, Any]], strings: dict[str, str]) -> str:
    for item in line_items:
        for entry in item.get("discounts") or []:
            coupon = _coupon_of(entry.get("discount"))
            name = coupon.get("name") or coupon.get("id")
            if not name:
                continue
            if coupon.get("percent_off"):
                off = strings["percent_off"].format(
                    percent=_percent(coupon["percent_off"], strings)
                )
                return f"{name} ({off})"
            return str(name)
    return strings["discount"]


def tax_rows(line_items: list[dict[str, Any]], currency: str, strings: dict[str, str]) -> list[Row]:
    """One row per tax rate, summed over the lines, in first-seen order."""
    totals: dict[str, tuple[dict[str, Any], int]] = {}
    for item in line_items:
        for tax in item.get("taxes") or []:
            rate = tax.get("rate")
            rate = rate if isinstance(rate, dict) else {"id": str(rate)}
            key = str(rate.get("id"))
            seen = totals.get(key, (rate, 0))
            totals[key] = (rate, seen[1] + int(tax.get("amount") or 0))
    rows = []
    for rate, amount in totals.values():
        label = str(rate.get("display_name") or strings["tax"])
        if rate.get("percentage") is not None:
            included = f" {strings['included']}" if rate.get("inclusive") else ""
            label = f"{label} ({_percent(rate['percentage'], strings)}{included})"
        rows.append(Row(label, money(amount, currency), "tax"))
    return rows


def line_item_html(item: dict[str, Any], currency: str, strings: dict[str, str]) -> str:
    quantity = int(item.get("quantity") or 1)
    raw_price = item.get("price")
    price = raw_price if isinstance(raw_price, dict) else {}
    unit = price.get("unit_amount")
    each = ""
    if quantity > 1 and unit is not None:
        each = (
            '<span class="item-each">'
            + strings["each"].format(price=money(int(unit), currency))
            + "</span>"
        )
    return (
        '<li class="item">'
        f'<div class="item-main"><span class="item-name">{escape(str(item.get("description")))}'
        f"</span>"
        f'<span class="item-amount">{money(int(item.get("amount_subtotal") or 0), currency)}'
        f"</span></div>"
        f'<div class="item-meta"><span class="item-qty">'
        f"{escape(strings['qty'].format(n=quantity))}</span>{each}</div>"
        "</li>"
    )


def summary_rows(
    session: dict[str, Any], line_items: list[dict[str, Any]], strings: dict[str, str]
) -> list[Row]:
    currency = str(session.get("currency") or "usd")
    details = session.get("total_details") or {}
    rows = [Row(strings["subtotal"], money(int(session.get("amount_subtotal") or 0), currency))]
    discount = int(details.get("amount_discount") or 0)
    if discount:
        label = discount_label(line_items, strings)
        rows.append(Row(label, money(discount, currency, negative=True), "discount"))
    taxes = tax_rows(line_items, currency, strings)
    if not taxes and details.get("amount_tax"):
        taxes = [Row(strings["tax"], money(int(details["amount_tax"]), currency), "tax")]
    rows.extend(taxes)
    rows.append(
        Row(strings["total_due"], money(int(session.get("amount_total") or 0), currency), "total")
    )
    return rows


def summary_html(
    session: dict[str, Any], line_items: list[dict[str, Any]], strings: dict[str, str]
) -> str:
    currency = str(session.get("currency") or "usd")
    items = "".join(line_item_html(item, currency, strings) for item in line_items)
    rows = "".join(
        f'<div class="row {row.css}"><dt>{escape(row.label)}</dt><dd>{row.amount_html}</dd></div>'
        for row in summary_rows(session, line_items, strings)
    )
    return f'<ul class="items">{items}</ul><dl class="totals">{rows}</dl>'
