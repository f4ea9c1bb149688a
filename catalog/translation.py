"""What buyers read of the catalog, in each of settings.LANGUAGES (django-modeltranslation).

`item.name` is the active language's name, else the English one; the admin edits both, and
the pages, the order lines and the names sent to Stripe Checkout follow the page's language.
"""

from modeltranslation.translator import TranslationOptions, register

from catalog.models import Discount, Item, Tax


@register(Item)
class ItemTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Discount)
class DiscountTranslation(TranslationOptions):
    fields = ("name",)


@register(Tax)
class TaxTranslation(TranslationOptions):
    fields = ("display_name", "description")
