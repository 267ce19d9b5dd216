#!/usr/bin/python3
# Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
"""Makes the independent test vectors for the token tests at build time.

Keys come from the openssl CLI, JWKs are written from them with
python3-cryptography, and every token is signed by PyJWT, so nothing here
shares code with edgekit. Output in OUT_DIR:
  keys.jwks            every public key (with kid, some with alg and use)
  keys_private.jwks    the same keys with their private members
  <name>.pub.pem       SPKI public key, <name>.key.pem PKCS#8 private key
  rsa.pkcs1.pem        the RSA public key as PKCS#1 "RSA PUBLIC KEY"
  rsa1024.jwk          a 1024-bit RSA key, which must be refused
  vectors.txt          one line per token: name TAB expected-status TAB token
  payload.json         the claims every "valid" token carries
"""
import base64
import json
import os
import subprocess
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n: int, size: int = 0) -> str:
    size = size or (n.bit_length() + 7) // 8
    return b64(n.to_bytes(size, "big"))


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def genkey(name, *algopts):
    path = os.path.join(OUT, name + ".key.pem")
    openssl("genpkey", *algopts, "-out", path)
    openssl("pkey", "-in", path, "-pubout", "-out",
            os.path.join(OUT, name + ".pub.pem"))
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), password=None)


keys = {
    "rsa": genkey("rsa", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"),
    "p256": genkey("p256", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"),
    "p384": genkey("p384", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"),
    "p521": genkey("p521", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"),
    "ed25519": genkey("ed25519", "-algorithm", "ED25519"),
}
openssl("rsa", "-in", os.path.join(OUT, "rsa.key.pem"), "-RSAPublicKey_out",
        "-out", os.path.join(OUT, "rsa.pkcs1.pem"))
# Too short to be accepted: a loader must refuse it.
weak = genkey("rsa1024", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024")
secrets = {"hs256": os.urandom(32), "hs384": os.urandom(48), "hs512": os.urandom(64)}


def jwk(kid, key, private):
    if isinstance(key, bytes):
        return {"kty": "oct", "kid": kid, "k": b64(key)}
    if isinstance(key, rsa.RSAPrivateKey):
        pub = key.public_key().public_numbers()
        out = {"kty": "RSA", "kid": kid, "use": "sig", "n": uint(pub.n), "e": uint(pub.e)}
        if private:
            p = key.private_numbers()
            out.update(d=uint(p.d), p=uint(p.p), q=uint(p.q), dp=uint(p.dmp1),
                       dq=uint(p.dmq1), qi=uint(p.iqmp))
        return out
    if isinstance(key, ec.EllipticCurvePrivateKey):
        size = (key.curve.key_size + 7) // 8
        crv = {256: "P-256", 384: "P-384", 521: "P-521"}[key.curve.key_size]
        pub = key.public_key().public_numbers()
        out = {"kty": "EC", "kid": kid, "crv": crv, "x": uint(pub.x, size),
               "y": uint(pub.y, size)}
        if private:
            out["d"] = uint(key.private_numbers().private_value, size)
        return out
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)
    out = {"kty": "OKP", "kid": kid, "crv": "Ed25519", "x": b64(raw)}
    if private:
        out["d"] = b64(key.private_bytes(serialization.Encoding.Raw,
                                         serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption()))
    return out


def jwks(private):
    entries = [jwk(k, v, private) for k, v in secrets.items()]
    entries += [jwk(k, v, private) for k, v in keys.items()]
    # Restrict two keys by alg, as real sets do, and add an encryption key
    # that a verifier must skip.
    entries[0]["alg"] = "HS256"
    entries[3 + 1]["alg"] = "ES256"  # p256
    enc = jwk("enc", keys["rsa"], False)
    enc["use"] = "enc"
    entries.append(enc)
    return {"keys": entries}


with open(os.path.join(OUT, "rsa1024.jwk"), "w") as f:
    json.dump(jwk("weak", weak, False), f)

for fname, private in (("keys.jwks", False), ("keys_private.jwks", True)):
    with open(os.path.join(OUT, fname), "w") as f:
        json.dump(jwks(private), f, indent=1)

NOW = 1700000000
payload = {
    "iss": "https://issuer.example",
    "sub": "buyer-42",
    "aud": ["edge", "shop"],
    "exp": NOW + 3600,
    "nbf": NOW - 60,
    "iat": NOW - 60,
    "jti": "0b9c2c9e-5a1d-4f4e-8a57-1f0f6f5d9c10",
    "name": "Zo\u00eb \u00c5ngstr\u00f6m \U0001f600",
    "admin": True,
    "scope": "read write",
}
with open(os.path.join(OUT, "payload.json"), "w") as f:
    json.dump(payload, f, separators=(",", ":"))  # as PyJWT writes it

signers = {
    "HS256": ("hs256", secrets["hs256"]), "HS384": ("hs384", secrets["hs384"]),
    "HS512": ("hs512", secrets["hs512"]),
    "RS256": ("rsa", keys["rsa"]), "RS384": ("rsa", keys["rsa"]),
    "RS512": ("rsa", keys["rsa"]), "PS256": ("rsa", keys["rsa"]),
    "PS384": ("rsa", keys["rsa"]), "PS512": ("rsa", keys["rsa"]),
    "ES256": ("p256", keys["p256"]), "ES384": ("p384", keys["p384"]),
    "ES512": ("p521", keys["p521"]), "EdDSA": ("ed25519", keys["ed25519"]),
}

lines = []


def add(name, expect, alg, claims, kid=None, headers=None):
    kid_, key = signers[alg]
    h = {"kid": kid if kid is not None else kid_}
    h.update(headers or {})
    token = jwt.encode(claims, key, algorithm=alg, headers=h)
    lines.append(f"{name}\t{expect}\t{token}")


for alg in signers:
    add("valid_" + alg, "ok", alg, payload)
add("expired_HS256", "expired", "HS256", dict(payload, exp=NOW - 1))
add("expired_ES256", "expired", "ES256", dict(payload, exp=NOW))
add("not_yet_valid_EdDSA", "not_yet_valid", "EdDSA", dict(payload, nbf=NOW + 10))
add("bad_issuer_RS256", "bad_issuer", "RS256", dict(payload, iss="https://evil.example"))
add("bad_audience_PS256", "bad_audience", "PS256", dict(payload, aud="elsewhere"))
add("unknown_kid_HS256", "key_not_found", "HS256", payload, kid="nobody")
add("enc_key_RS256", "key_not_found", "RS256", payload, kid="enc")
add("crit_HS256", "malformed", "HS256", payload, headers={"crit": ["exp"]})
with open(os.path.join(OUT, "vectors.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
