"""Service-user passwords: the registry's rule and argon2id hashing."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dkreg.details import Detail
from dkreg.errors import err

# The registry's allowed specials (SPEC-DIGEST §1).
SPECIALS = set("%`'()*+-,./:;<>=!_&~{}|^?$#@\"[]")
# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): strong enough for
# service-user passwords and cheap enough that a burst of EPP logins stays responsive.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY: tuple[PasswordHasher, str] | None = None  # a hasher and nobody's hash at its cost


def configure(time_cost: int, memory_kib: int) -> None:
    """Set the cost of *new* hashes (existing hashes carry their own parameters)."""
    global _HASHER
    _HASHER = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
    dummy_hash()  # now, at start-up: the first unknown login must not pay for it


def cost() -> tuple[int, int]:
    """The (time cost, memory in KiB) of new hashes."""
    return _HASHER.time_cost, _HASHER.memory_cost


def check_password_rule(password: str, field: str = "newPW") -> None:
    """8–64 characters, at least three of: lower case, upper case, digit, special."""
    if not 8 <= len(password) <= 64:
        raise err(2004, "password_policy", field=field,
                  detail=Detail("password_must_8_64_characters", n_password=len(password)))
    bad = sorted({c for c in password if not (c in string.ascii_letters or c in string.digits
                                               or c in SPECIALS)})
    if bad:
        raise err(2005, "value_syntax", field=field,
                  detail=Detail("character_s_are_not_allowed", bad=''.join(bad),
                                specials=''.join(sorted(SPECIALS))))
    classes = sum([
        any(c.islower() for c in password), any(c.isupper() for c in password),
        any(c.isdigit() for c in password), any(c in SPECIALS for c in password),
    ])
    if classes < 3:
        raise err(2004, "password_policy", field=field,
                  detail=Detail("password_needs_characters_from_at"))


# Specials that survive XML, shells and copy/paste unescaped (a password printed by the
# sandbox is pasted into `dkreg ... --password` and scripts: no glob, history or comment
# characters); lookalikes (0/O, 1/l/I) out.
_GEN_SPECIALS = "%+-.:=_@,/"
_GEN_CLASSES = ("abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789",
                _GEN_SPECIALS)


def generate_password(length: int = 16) -> str:
    """A random password meeting the rule, from the OS's CSPRNG: one character of each
    class, the rest from all of them (16 characters ≈ 95 bits), shuffled. 16 is also
    the longest password EPP's pwType lets a client send at login."""
    alphabet = "".join(_GEN_CLASSES)
    chars = [secrets.choice(c) for c in _GEN_CLASSES]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    for i in range(len(chars) - 1, 0, -1):  # Fisher-Yates with the CSPRNG
        j = secrets.randbelow(i + 1)
        chars[i], chars[j] = chars[j], chars[i]
    password = "".join(chars)
    check_password_rule(password, field="password")
    return password


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def dummy_hash() -> str:
    """A hash at the current cost that no account has: a login for an unknown account
    is checked against it, so that it takes as long as a known one's."""
    global _DUMMY
    if _DUMMY is None or _DUMMY[0] is not _HASHER:
        _DUMMY = (_HASHER, _HASHER.hash(secrets.token_urlsafe(16)))
    return _DUMMY[1]


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
