#!/usr/bin/python3
# Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
"""Regenerates the demo's key set (demo.jwks, rsa.pub.pem) with the openssl
CLI and python3-cryptography, independently of edgekit. DEMO KEYS: they are
public, so never trust them for anything real."""
import base64
import json
import os
import subprocess
import tempfile

from cryptography.hazmat.primitives import serialization

here = os.path.dirname(os.path.abspath(__file__))


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def uint(n, size=0):
    return b64(n.to_bytes(size or (n.bit_length() + 7) // 8, "big"))


def genkey(*opts):
    with tempfile.NamedTemporaryFile(suffix=".pem") as f:
        subprocess.run(["openssl", "genpkey", *opts, "-out", f.name], check=True)
        return serialization.load_pem_private_key(f.read(), password=None)


rsa = genkey("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")
p256 = genkey("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")
ed = genkey("-algorithm", "ED25519")
secret = subprocess.run(["openssl", "rand", "32"], check=True,
                        capture_output=True).stdout

r, rp = rsa.public_key().public_numbers(), rsa.private_numbers()
e = p256.public_key().public_numbers()
raw = serialization.Encoding.Raw
keys = [
    {"kty": "oct", "kid": "hs", "alg": "HS256", "k": b64(secret)},
    {"kty": "RSA", "kid": "rsa", "alg": "RS256", "use": "sig", "n": uint(r.n),
     "e": uint(r.e), "d": uint(rp.d), "p": uint(rp.p), "q": uint(rp.q),
     "dp": uint(rp.dmp1), "dq": uint(rp.dmq1), "qi": uint(rp.iqmp)},
    {"kty": "EC", "kid": "ec", "crv": "P-256", "x": uint(e.x, 32),
     "y": uint(e.y, 32), "d": uint(p256.private_numbers().private_value, 32)},
    {"kty": "OKP", "kid": "ed", "crv": "Ed25519",
     "x": b64(ed.public_key().public_bytes(raw, serialization.PublicFormat.Raw)),
     "d": b64(ed.private_bytes(raw, serialization.PrivateFormat.Raw,
                               serialization.NoEncryption()))},
]
with open(os.path.join(here, "demo.jwks"), "w") as f:
    json.dump({"keys": keys}, f, indent=1)
    f.write("\n")
with open(os.path.join(here, "rsa.pub.pem"), "wb") as f:
    f.write(rsa.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
