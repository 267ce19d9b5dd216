#!/usr/bin/python3
# Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
"""Tests the edgekit CLI against PyJWT, an independent implementation.

Usage: cli_test.py EDGEKIT_BINARY DATA_DIR (the tokens and keys that
tests/token/gen_vectors.py made). Exits non-zero on the first failures.
"""
import json
import os
import subprocess
import sys

import jwt
from cryptography.hazmat.primitives import serialization

EDGEKIT, DATA = sys.argv[1], sys.argv[2]
NOW = "1700000000"
failures = []


def data(name):
    return os.path.join(DATA, name)


def run(*args, stdin=None):
    p = subprocess.run([EDGEKIT, *args], input=stdin, capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


vectors = [line.rstrip("\n").split("\t") for line in open(data("vectors.txt"))]
with open(data("payload.json")) as f:
    payload = f.read()
policy = ["--now", NOW, "--iss", "https://issuer.example", "--aud", "edge"]

# PyJWT's tokens through `edgekit token verify`.
for name, expect, token in vectors:
    code, out, err = run("token", "verify", "--keys", data("keys.jwks"),
                         *policy, token)
    if expect == "ok":
        check(code == 0 and out == payload + "\n" and err == "",
              f"{name}: exit {code}, stdout {out!r}, stderr {err!r}")
    else:
        check(code == 1 and out == "" and err == expect + "\n",
              f"{name}: exit {code}, stderr {err!r}, want {expect}")

# Stdin, PEM keys with --kid, leeway and a required claim.
token = dict((v[0], v[2]) for v in vectors)
code, out, _ = run("token", "verify", "--keys", data("keys.jwks"), *policy, "-",
                   stdin=token["valid_ES384"] + "\n")
check(code == 0 and out == payload + "\n", "verify from stdin")
code, out, _ = run("token", "verify", "--keys", data("rsa.pub.pem"), "--kid",
                   "rsa", *policy, token["valid_PS384"])
check(code == 0, "verify with a PEM key")
code, _, err = run("token", "verify", "--keys", data("rsa.pub.pem"), *policy,
                   token["valid_PS384"])
check(code == 1 and err == "key_not_found\n", "PEM key without the token's kid")
code, _, err = run("token", "verify", "--keys", data("keys.jwks"), "--now",
                   "1700003600", token["valid_EdDSA"])
check(code == 1 and err == "expired\n", "expired at exp")
code, _, _ = run("token", "verify", "--keys", data("keys.jwks"), "--now",
                 "1700003600", "--leeway", "1", token["valid_EdDSA"])
check(code == 0, "leeway 1 s past exp")
code, _, err = run("token", "verify", "--keys", data("keys.jwks"), *policy,
                   "--require", "cnf", token["valid_HS256"])
check(code == 1 and err == "missing_claim\n", "required claim")
code, _, err = run("token", "verify", "--keys", data("keys.jwks"), *policy,
                   "--alg", "RS256", token["valid_HS256"])
check(code == 1 and err == "unsupported_alg\n", "--alg restricts algorithms")

# edgekit's tokens, every algorithm, through PyJWT.
public = {}
for kid, pem in (("rsa", "rsa.pub.pem"), ("p256", "p256.pub.pem"),
                 ("p384", "p384.pub.pem"), ("p521", "p521.pub.pem"),
                 ("ed25519", "ed25519.pub.pem")):
    with open(data(pem), "rb") as f:
        public[kid] = serialization.load_pem_public_key(f.read())
with open(data("keys_private.jwks")) as f:
    for k in json.load(f)["keys"]:
        if k["kty"] == "oct":
            public[k["kid"]] = jwt.utils.base64url_decode(k["k"])
claims = {"sub": "winner", "sku": 7, "exp": 4102444800, "aud": "edge",
          "name": "Zo\u00eb"}
signers = [("HS256", "hs256"), ("HS384", "hs384"), ("HS512", "hs512"),
           ("RS256", "rsa"), ("RS384", "rsa"), ("RS512", "rsa"),
           ("PS256", "rsa"), ("PS384", "rsa"), ("PS512", "rsa"),
           ("ES256", "p256"), ("ES384", "p384"), ("ES512", "p521"),
           ("EdDSA", "ed25519")]
for alg, kid in signers:
    code, out, err = run("token", "sign", "--keys", data("keys_private.jwks"),
                         "--kid", kid, "--alg", alg,
                         json.dumps(claims, ensure_ascii=False))
    check(code == 0, f"sign {alg}: exit {code}, {err!r}")
    if code != 0:
        continue
    signed = out.strip()
    try:
        got = jwt.decode(signed, public[kid], algorithms=[alg], audience="edge")
        check(got == claims, f"PyJWT read other claims from edgekit's {alg}")
        check(jwt.get_unverified_header(signed) ==
              {"alg": alg, "kid": kid, "typ": "JWT"}, f"{alg} header")
    except jwt.PyJWTError as e:
        check(False, f"PyJWT refused edgekit's {alg} token: {e}")
    # PyJWT must also refuse a tampered one, or the check above proves little.
    tampered = signed[:-2] + ("AA" if signed[-2:] != "AA" else "BA")
    try:
        jwt.decode(tampered, public[kid], algorithms=[alg], audience="edge")
        check(False, f"PyJWT accepted a tampered {alg} token")
    except jwt.PyJWTError:
        pass

# A PEM private key, payload on stdin.
code, out, _ = run("token", "sign", "--keys", data("p521.key.pem"), "--kid",
                   "pem", "--alg", "ES512", "-", stdin='{"sub":"pem"}\n')
check(code == 0, "sign with a PEM key")
if code == 0:
    try:
        jwt.decode(out.strip(), public["p521"], algorithms=["ES512"])
    except jwt.PyJWTError as e:
        check(False, f"PyJWT refused the PEM-signed token: {e}")
code, _, err = run("token", "sign", "--keys", data("keys.jwks"), "--kid", "rsa",
                   "--alg", "RS256", "{}")
check(code == 1 and err == "key_not_found\n", "signing needs a private key")
code, _, err = run("token", "sign", "--keys", data("keys_private.jwks"),
                   "--kid", "hs256", "--alg", "none", "{}")
check(code == 1 and err == "unsupported_alg\n", "alg none cannot be signed")

# inspect: decodes without verifying, and says so.
code, out, _ = run("token", "inspect", token["expired_HS256"])
check(code == 0 and out.startswith("UNVERIFIED") and
      '"kid":"hs256"' in out and '"sub":"buyer-42"' in out, "inspect")
code, _, err = run("token", "inspect", "not-a-token")
check(code == 1 and err == "malformed\n", "inspect of garbage")

# Usage errors and help.
for args, want in (((), 2), (("nope",), 2), (("token",), 2),
                   (("token", "frobnicate"), 2),
                   (("token", "verify", "x"), 2),
                   (("token", "verify", "--keys", data("keys.jwks")), 2),
                   (("token", "verify", "--keys", data("keys.jwks"), "--bogus",
                     "1", "x"), 2),
                   (("token", "verify", "--keys", data("keys.jwks"), "--now",
                     "soon", "x"), 2),
                   (("token", "sign", "--keys", data("keys.jwks")), 2),
                   (("--help",), 0), (("token", "--help"), 0),
                   (("token", "verify", "--help"), 0),
                   (("token", "sign", "--help"), 0),
                   (("token", "inspect", "--help"), 0)):
    code, out, err = run(*args)
    check(code == want, f"edgekit {' '.join(args)}: exit {code}, want {want}")
    if want == 0:
        check("usage:" in out, f"edgekit {' '.join(args)} prints usage")
code, _, err = run("token", "verify", "--keys", data("rsa1024.pub.pem"), "x")
check(code == 1 and err.startswith("bad_key:"), "weak RSA key file")
code, _, err = run("token", "verify", "--keys", data("vectors.txt"), "x")
check(code == 1 and err.startswith("malformed:"), "keys file of garbage")

# Other command groups are reached through the same dispatcher.
for args, want in ((("region",), 2), (("region", "--help"), 0),
                   (("region", "inspect"), 2),
                   (("region", "inspect", "/nonexistent/zone"), 1),
                   (("region", "inspect", data("vectors.txt")), 1)):
    code, out, err = run(*args)
    check(code == want, f"edgekit {' '.join(args)}: exit {code}, want {want}")

print(f"{'FAILED' if failures else 'ok'}: {len(failures)} failures")
sys.exit(1 if failures else 0)
