"""Buyer input for the cart: only a quantity ever comes from the browser, never an amount."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import MAX_QUANTITY


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
