"""The Checkout Session fields Stripe sends that the emulator never varies.

They are what a ``mode=payment`` hosted session with none of the features the emulator refuses
(shipping, consent, custom fields, invoices, saved payment methods, currency conversion...)
shows. Kept here so ``checkout.py`` holds only the fields it computes.
"""

from __future__ import annotations

from typing import Any


def unused_fields() -> dict[str, Any]:
    """A fresh copy for each session (some values are mutable)."""
    return {
        "adaptive_pricing": {"enabled": False},  # no currency conversion is emulated
        "after_expiration": None,
        "allowed_payment_method_types": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer_account": None,
        "integration_identifier": None,
        "invoice_creation": {
            "enabled": False,
            "invoice_data": {
                "account_tax_ids": None,
                "custom_fields": None,
                "description": None,
                "footer": None,
                "issuer": None,
                "metadata": {},
                "rendering_options": None,
            },
        },
        "managed_payments": None,
        "origin_context": None,
        "payment_method_collection": "always",
        "payment_method_configuration_details": None,
        "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
        "permissions": None,
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "subscription": None,
        "wallet_options": None,
    }
