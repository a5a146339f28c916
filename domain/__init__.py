"""The domain: Tortoise models, enums, errors with stable codes, money and identifiers. No I/O beyond the ORM."""
