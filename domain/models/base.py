"""Shared column shapes for every model."""

from __future__ import annotations

from decimal import Decimal

from tortoise import fields
from tortoise.models import Model
from tortoise.validators import MinValueValidator

from domain.ids import new_id
from domain.money import AMOUNT_DIGITS, DEFAULT_CURRENCY, PRICE_DIGITS, QUANTITY_DIGITS

NON_NEGATIVE = [MinValueValidator(Decimal(0))]


class Record(Model):
    """A record with a time-ordered UUID and creation time (UTC).

    Records a supplier owns are indexed on (supplier, id): a supplier's newest-first page (keyset on id) reads only
    that supplier's rows, however many the others have.
    """

    id = fields.UUIDField(primary_key=True, default=new_id)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        abstract = True


def quantity_field(**kwargs) -> fields.DecimalField:
    return fields.DecimalField(**QUANTITY_DIGITS, validators=NON_NEGATIVE, **kwargs)


def price_field(**kwargs) -> fields.DecimalField:
    return fields.DecimalField(**PRICE_DIGITS, validators=NON_NEGATIVE, **kwargs)


def amount_field(non_negative: bool = True, **kwargs) -> fields.DecimalField:
    validators = NON_NEGATIVE if non_negative else []
    return fields.DecimalField(**AMOUNT_DIGITS, validators=validators, **kwargs)


def currency_field() -> fields.CharField:
    return fields.CharField(max_length=3, default=DEFAULT_CURRENCY)
