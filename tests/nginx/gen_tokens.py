#!/usr/bin/python3
# Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
"""Keys and tokens for the nginx module tests, from an implementation that
shares no code with edgekit: python3-cryptography makes the keys, PyJWT signs
the tokens (the hostile ones are assembled by hand).

Usage: gen_tokens.py OUT_DIR NOW
Writes to OUT_DIR:
  keys.jwks          EC P-256 (kid ec1) and RSA-2048 (kid rsa1) public keys
  ed25519.pub.pem    an Ed25519 public key (used without a kid)
  rsa1024.pub.pem    a key edgekit must refuse (too short)
  garbage.jwks       text that is neither JSON nor PEM
  tokens.txt         one "name token" pair per line
  buyers.txt         60 valid tokens for subjects buyer-000 ... buyer-059
"""
import base64
import hashlib
import hmac
import json
import os
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

OUT = sys.argv[1]
NOW = int(sys.argv[2])
ISS = "https://issuer.test"
AUD = "edge"
os.makedirs(OUT, exist_ok=True)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


ec_key = ec.generate_private_key(ec.SECP256R1())
ec_other = ec.generate_private_key(ec.SECP256R1())
rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ed_key = ed25519.Ed25519PrivateKey.generate()
rsa_short = rsa.generate_private_key(public_exponent=65537, key_size=1024)

jwks = []
for kid, alg, key in (("ec1", jwt.algorithms.ECAlgorithm, ec_key),
                      ("rsa1", jwt.algorithms.RSAAlgorithm, rsa_key)):
    jwk = json.loads(alg.to_jwk(key.public_key()))
    jwk["kid"] = kid
    jwks.append(jwk)
write("keys.jwks", json.dumps({"keys": jwks}, indent=1))
write("ed25519.pub.pem", pem(ed_key))
write("rsa1024.pub.pem", pem(rsa_short))
write("garbage.jwks", "this is not a key\n")


def claims(**over):
    c = {"iss": ISS, "aud": AUD, "sub": "alice", "iat": NOW, "exp": NOW + 3600,
         "uid": 42, "admin": True, "name": 'Zo\u00eb "Z"', "roles": ["a", "b"]}
    c.update(over)
    return {k: v for k, v in c.items() if v is not None}


def es(payload, key=ec_key, kid="ec1"):
    return jwt.encode(payload, key, algorithm="ES256", headers={"kid": kid})


def unsigned(header, payload, sig=b""):
    return ".".join([b64(json.dumps(header).encode()), b64(json.dumps(payload).encode()),
                     b64(sig)])


valid = es(claims())
head, body, sig = valid.split(".")
# Flip one bit of the first signature byte, well away from base64 padding bits.
raw = bytearray(base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4)))
raw[0] ^= 1
rsa_pem = pem(rsa_key)
confusion_input = unsigned({"alg": "HS256", "kid": "rsa1", "typ": "JWT"}, claims())
confusion_input = confusion_input[:confusion_input.rindex(".")]

tokens = {
    "es_valid": valid,
    "rs_valid": jwt.encode(claims(sub="bob"), rsa_key, algorithm="RS256",
                           headers={"kid": "rsa1"}),
    "ed_valid": jwt.encode(claims(sub="dave"), ed_key, algorithm="EdDSA"),
    "aud_array": es(claims(sub="carol", aud=["other", AUD])),
    "crlf_claim": es(claims(name="Eve\r\nX-Injected: yes")),
    "expired": es(claims(exp=NOW - 3600)),
    "recently_expired": es(claims(exp=NOW - 10)),
    "not_yet_valid": es(claims(nbf=NOW + 3600)),
    "bad_signature": ".".join([head, body, b64(bytes(raw))]),
    "other_key": es(claims(), key=ec_other),
    "unknown_kid": es(claims(), kid="nope"),
    "wrong_issuer": es(claims(iss="https://evil.test")),
    "wrong_audience": es(claims(aud="elsewhere")),
    "alg_none": unsigned({"alg": "none", "typ": "JWT"}, claims()),
    "alg_none_kid": unsigned({"alg": "none", "kid": "ec1"}, claims()),
    "hs_confusion": confusion_input + "." + b64(
        hmac.new(rsa_pem, confusion_input.encode(), hashlib.sha256).digest()),
    "malformed": "abc.def",
}
write("tokens.txt", "".join(f"{k} {v}\n" for k, v in tokens.items()))
write("buyers.txt", "".join(es(claims(sub="buyer-%03d" % i)) + "\n" for i in range(60)))
