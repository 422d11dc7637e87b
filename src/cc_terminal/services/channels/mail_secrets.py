"""Mailbox passwords sealed to the mail loop: a terminal that saves a password encrypts it
to the loop's public X25519 key (``mail_key``, the one row), and only the loop, which
derives the private half from its service account's key file, opens it. The database, an
op, a log or an error never holds one in the clear, and a terminal cannot read one back.

A sealed value: "x25519:" + base64(ephemeral public key, nonce, AES-GCM ciphertext), the
key from HKDF over the shared secret, bound to the mailbox and the field it belongs to."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "x25519:"
RAW = serialization.Encoding.Raw


class SealError(ValueError):
    """A sealed password that does not open with this loop's key (say it without it)."""


def loop_key_of(service_key: Ed25519PrivateKey) -> bytes:
    """The loop's X25519 private key, derived from its service account's signing key: one
    key file for both, and a new service key seals anew."""
    raw = service_key.private_bytes(
        RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return hmac.new(raw, b"cc-terminal mail sealing v1", hashlib.sha256).digest()


def public_hex(private: bytes) -> str:
    return (
        X25519PrivateKey.from_private_bytes(private)
        .public_key()
        .public_bytes(RAW, serialization.PublicFormat.Raw)
        .hex()
    )


def _key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    info = b"cc-terminal mail password v1" + ephemeral + recipient
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def seal(public: str, context: str, value: str) -> str:
    """``value`` sealed to the loop's public key (hex); ``context`` names its field."""
    recipient = bytes.fromhex(public)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    nonce = os.urandom(12)
    sealed = AESGCM(_key(shared, ephemeral_public, recipient)).encrypt(
        nonce, value.encode(), context.encode()
    )
    return PREFIX + base64.b64encode(ephemeral_public + nonce + sealed).decode()


def open_sealed(private: bytes, context: str, sealed: str) -> str:
    try:
        if not sealed.startswith(PREFIX):
            raise ValueError("not sealed")
        raw = base64.b64decode(sealed[len(PREFIX) :], validate=True)
        key = X25519PrivateKey.from_private_bytes(private)
        recipient = key.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
        shared = key.exchange(X25519PublicKey.from_public_bytes(raw[:32]))
        plain = AESGCM(_key(shared, raw[:32], recipient)).decrypt(
            raw[32:44], raw[44:], context.encode()
        )
    except (ValueError, InvalidTag) as error:
        raise SealError(context) from error
    return plain.decode()
