#!/usr/bin/python3
# Writes the token benchmark's inputs into DIR: one realistic token per
# algorithm, signed by PyJWT (an implementation independent of edgekit) with
# keys the openssl CLI made in DIR, a tampered copy of each, the public keys
# as PEM and as JWK (what each verifier under test takes), and the policy the
# verifiers check against.
#
# Usage: token_vectors.py DIR   (DIR holds hs256.secret, rsa.pem, ec.pem and
# ed25519.pem from bench/token.sh)
import base64
import json
import pathlib
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import ECAlgorithm, HMACAlgorithm, OKPAlgorithm, RSAAlgorithm

ISSUER = "https://auth.shop.example.com/"
AUDIENCE = "https://edge.shop.example.com"
IAT = 1764000000  # 2025-11-24T16:00:00Z
NOW = IAT + 60    # the verification time passed to every verifier that takes one
EXP = 4102444800  # 2100-01-01: far enough that peers reading the clock accept it


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def payload():
    # Seven registered claims and one custom claim, about 300 bytes of JSON:
    # the shape of an access token a CDN edge sees on a checkout request.
    return {
        "iss": ISSUER,
        "sub": "buyer:7c1e9a52-3f0b-4b8e-9d2a-5e6f70819a2b",
        "aud": AUDIENCE,
        "exp": EXP,
        "nbf": IAT,
        "iat": IAT,
        "jti": "0b9f6d1e-8c3a-4f25-b7e4-2a91c5d3e870",
        "scope": "checkout:write cart:read cart:write inventory:hold "
                 "profile:read orders:read",
    }


def tamper(token):
    # Re-encode the payload with another subject and keep the signature: a
    # verifier that does not check the signature over the exact bytes accepts it.
    header, body, signature = token.split(".")
    claims = json.loads(unb64url(body))
    claims["sub"] = "buyer:00000000-0000-0000-0000-000000000000"
    forged = b64url(json.dumps(claims, separators=(",", ":")).encode())
    return ".".join([header, forged, signature])


def main():
    out = pathlib.Path(sys.argv[1])
    secret = (out / "hs256.secret").read_bytes().strip()

    def private(name):
        return serialization.load_pem_private_key((out / name).read_bytes(), None)

    rsa, ec, ed = private("rsa.pem"), private("ec.pem"), private("ed25519.pem")
    cases = {
        "HS256": (secret, HMACAlgorithm.to_jwk(secret)),
        "RS256": (rsa, RSAAlgorithm.to_jwk(rsa.public_key())),
        "PS256": (rsa, RSAAlgorithm.to_jwk(rsa.public_key())),
        "ES256": (ec, ECAlgorithm.to_jwk(ec.public_key())),
        "EdDSA": (ed, OKPAlgorithm.to_jwk(ed.public_key())),
    }
    body = payload()
    for alg, (key, jwk) in cases.items():
        token = jwt.encode(body, key, algorithm=alg, headers={"kid": "k1"})
        jwt.decode(token, jwt.api_jwk.PyJWK.from_json(jwk).key, algorithms=[alg],
                   audience=AUDIENCE, issuer=ISSUER)  # the vector is good
        (out / f"{alg}.jwt").write_text(token)
        (out / f"{alg}.tampered.jwt").write_text(tamper(token))
        (out / f"{alg}.jwk").write_text(jwk)
    (out / "policy").write_text(f"{ISSUER}\n{AUDIENCE}\n{NOW}\n{EXP}\n")
    print(f"token_vectors: payload {len(json.dumps(body, separators=(',', ':')))} B, "
          + ", ".join(f"{a} {len((out / f'{a}.jwt').read_text())} B" for a in cases))


if __name__ == "__main__":
    main()
