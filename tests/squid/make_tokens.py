#!/usr/bin/python3
# Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
"""Keys and tokens for the Squid helper tests, made by PyJWT (Debian's
python3-jwt), an implementation independent of edgekit.

Usage: make_tokens.py DIR NOW
Writes DIR/keys.jwks (an RSA key "rs" and an HMAC key "hs"), DIR/rsa.pub.pem
(the RSA key alone) and DIR/tokens (one "name token" pair per line)."""

import base64
import json
import os
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

out, now = sys.argv[1], int(sys.argv[2])
rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
secret = os.urandom(32)

rs_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
rs_jwk.update(kid="rs", use="sig")
hs_jwk = {"kty": "oct", "kid": "hs",
          "k": base64.urlsafe_b64encode(secret).rstrip(b"=").decode()}
with open(os.path.join(out, "keys.jwks"), "w") as f:
    json.dump({"keys": [rs_jwk, hs_jwk]}, f)
with open(os.path.join(out, "rsa.pub.pem"), "wb") as f:
    f.write(rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo))

base = {"iss": "https://issuer.example", "aud": "edge", "sub": "alice",
        "iat": now, "exp": now + 3600}


def rs(claims, kid="rs", key=rsa_key):
    headers = {"kid": kid} if kid else None
    return jwt.encode(claims, key, algorithm="RS256", headers=headers)


tokens = {
    "good": rs(base),
    "good_no_kid": rs(base, kid=None),
    "good_hs": jwt.encode(dict(base, sub="bob smith/ü"), secret,
                          algorithm="HS256", headers={"kid": "hs"}),
    "expired": rs(dict(base, exp=now - 10)),
    "not_yet_valid": rs(dict(base, nbf=now + 600)),
    "wrong_issuer": rs(dict(base, iss="https://evil.example")),
    "wrong_audience": rs(dict(base, aud="elsewhere")),
    "other_key": rs(base, key=other_key),
    "alg_none": jwt.encode(base, None, algorithm="none",
                           headers={"kid": "rs"}),
}
with open(os.path.join(out, "tokens"), "w") as f:
    for name, token in tokens.items():
        f.write(f"{name} {token}\n")
