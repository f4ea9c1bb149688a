"""The only door to Stripe: every `stripe` call of the project lives in this package.

Functions take the project's own objects and return small frozen dataclasses; stripe errors are
translated once, here, into `payments.exceptions`.
"""
