"""The floors `make bench` measures the shop against: a minimal Django project, built by the
bench itself and outside the shop's packages (nothing here imports the shop).

- `GET /item/<id>`: Django's `startproject` defaults (its MIDDLEWARE, DEBUG off, so the cached
  template loader), one query, a small template: the pages' floor.
- `POST /intent`: the same single stripe-python `payment_intents.create` the shop makes, with
  the shop gateway's client settings, and no database: the PaymentIntent endpoint's floor.
- `POST /order/<id>/intent`: the same create inside the least database work a locked,
  recorded create needs: in one transaction, the order's row locked and read
  (`select_for_update().get()`), the create, one payment row inserted (the order's earlier
  payments not even looked at). The endpoint's "locked floor": what of the shop's cost any
  locked, recorded create pays.
- `POST /webhook`: one Stripe signature verified (`construct_event`) and one row inserted: the
  webhook's floor.

Served by gunicorn with the shop's gunicorn.conf.py (`bench.floor.wsgi`), against the same
PostgreSQL database with the shop's pool settings, so the ratio measures the shop's own code.
"""
