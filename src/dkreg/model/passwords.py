"""Service-user passwords: the registry's rule and argon2id hashing."""

from __future__ import annotations

import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dkreg.errors import err

# The registry's allowed specials (SPEC-DIGEST §1).
SPECIALS = set("%`'()*+-,./:;<>=!_&~{}|^?$#@\"[]")
# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): strong enough for
# service-user passwords and cheap enough that a burst of EPP logins stays responsive.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def configure(time_cost: int, memory_kib: int) -> None:
    """Set the cost of *new* hashes (existing hashes carry their own parameters)."""
    global _HASHER
    _HASHER = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def check_password_rule(password: str, field: str = "newPW") -> None:
    """8–64 characters, at least three of: lower case, upper case, digit, special."""
    if not 8 <= len(password) <= 64:
        raise err(2004, "password_policy", field=field,
                  detail=f"a password must be 8 to 64 characters, this one has {len(password)}")
    bad = sorted({c for c in password if not (c in string.ascii_letters or c in string.digits
                                               or c in SPECIALS)})
    if bad:
        raise err(2005, "value_syntax", field=field,
                  detail=f"character(s) {''.join(bad)!r} are not allowed; use letters, digits "
                         f"and the specials {''.join(sorted(SPECIALS))}")
    classes = sum([
        any(c.islower() for c in password), any(c.isupper() for c in password),
        any(c.isdigit() for c in password), any(c in SPECIALS for c in password),
    ])
    if classes < 3:
        raise err(2004, "password_policy", field=field,
                  detail="a password needs characters from at least three of: lower case, "
                         "upper case, digits, specials")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
