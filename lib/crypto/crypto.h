// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The one seam between edgekit and its crypto library. Everything that hashes,
// MACs, signs or verifies goes through here, and this folder is the only one
// that includes <openssl/...>. It compiles against BoringSSL or OpenSSL 3
// (EDGEKIT_CRYPTO_BORINGSSL / EDGEKIT_CRYPTO_OPENSSL) using the calls the two
// share; the few differences stay inside crypto.cc.
//
// Keys are immutable after construction and safe to use from many threads.
// Verify calls never allocate on the heap for HMAC and Ed25519 (BoringSSL).

#ifndef EDGEKIT_LIB_CRYPTO_CRYPTO_H_
#define EDGEKIT_LIB_CRYPTO_CRYPTO_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace edgekit::crypto {

using Bytes = std::string_view;  // raw bytes, not text

enum class Hash { kMd5, kSha1, kSha256, kSha384, kSha512 };

// HashSize returns the digest length of |hash| in bytes.
size_t HashSize(Hash hash);

constexpr size_t kMaxHashSize = 64;

// Digest writes HashSize(hash) bytes of the digest of |in| to |out|.
void Digest(Hash hash, Bytes in, uint8_t* out);

// ConstantTimeEqual compares |a| and |b| (of equal length |len|) in time that
// does not depend on their contents.
bool ConstantTimeEqual(const void* a, const void* b, size_t len);

// RandomBytes fills |out| from the crypto library's CSPRNG.
void RandomBytes(uint8_t* out, size_t len);

// HmacKey is an HMAC key with its inner and outer pad states hashed once, so
// each MAC costs two compressions less than a plain HMAC and allocates
// nothing. Copyable; immutable; thread-safe.
class HmacKey {
 public:
  // Create accepts any key length, including 0 (callers enforce policy).
  static HmacKey Create(Hash hash, Bytes key);

  Hash hash() const { return hash_; }
  size_t size() const { return HashSize(hash_); }

  // Mac writes size() bytes of HMAC(key, msg) to |out|.
  void Mac(Bytes msg, uint8_t* out) const;

  // Verify returns whether |mac| equals HMAC(key, msg), in constant time. A
  // |mac| of the wrong length is false.
  bool Verify(Bytes msg, Bytes mac) const;

 private:
  struct State;  // the hash context after absorbing one padded key block
  HmacKey() = default;
  Hash hash_ = Hash::kSha256;
  std::shared_ptr<const State> inner_, outer_;
};

enum class KeyType { kRsa, kEcP256, kEcP384, kEcP521, kEd25519 };

// ECDSA signature sizes as JWS carries them: raw r‖s, each padded to the
// curve's byte length (64, 96 and 132 bytes).
size_t EcdsaRawSignatureSize(KeyType type);

// PublicKey verifies signatures. Built once from PEM or from JWK members.
class PublicKey {
 public:
  // FromPem parses "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1).
  static absl::StatusOr<PublicKey> FromPem(std::string_view pem);
  // FromRsa builds an RSA key from big-endian modulus and exponent.
  static absl::StatusOr<PublicKey> FromRsa(Bytes n, Bytes e);
  // FromEc builds a key on |type|'s curve from big-endian affine x and y; the
  // point must be on the curve.
  static absl::StatusOr<PublicKey> FromEc(KeyType type, Bytes x, Bytes y);
  // FromEd25519 takes the 32-byte raw public key.
  static absl::StatusOr<PublicKey> FromEd25519(Bytes raw);

  KeyType type() const;
  // bits returns the RSA modulus size or the curve size.
  int bits() const;

  // The verify calls return false for a wrong signature, a wrong key type or
  // a malformed signature; they never throw or abort.
  bool VerifyRsaPkcs1(Hash hash, Bytes msg, Bytes sig) const;
  // PSS with MGF1 over the same hash and salt length = hash length (JWA).
  bool VerifyRsaPss(Hash hash, Bytes msg, Bytes sig) const;
  // ECDSA with a raw r‖s signature of exactly EcdsaRawSignatureSize(type()).
  bool VerifyEcdsaRaw(Hash hash, Bytes msg, Bytes sig) const;
  // ECDSA with a DER-encoded signature (CloudFront and other non-JWS users).
  bool VerifyEcdsaDer(Hash hash, Bytes msg, Bytes sig) const;
  bool VerifyEd25519(Bytes msg, Bytes sig) const;

  struct Impl;
  explicit PublicKey(std::shared_ptr<const Impl> impl)
      : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const Impl> impl_;
};

// PrivateKey signs. Used for edge-issued tickets, the CLI and tests.
class PrivateKey {
 public:
  // FromPem parses "PRIVATE KEY" (PKCS#8), "RSA PRIVATE KEY" or
  // "EC PRIVATE KEY".
  static absl::StatusOr<PrivateKey> FromPem(std::string_view pem);
  // FromRsa builds an RSA key from JWK members (big-endian). The CRT members
  // p, q, dp, dq and qi are required: RFC 7518 lets a JWK omit them, but
  // without p and q neither library can check the key (RSA_check_key), and
  // OpenSSL refuses it, so both backends refuse it alike.
  static absl::StatusOr<PrivateKey> FromRsa(Bytes n, Bytes e, Bytes d, Bytes p,
                                            Bytes q, Bytes dp, Bytes dq,
                                            Bytes qi);
  // FromEc builds a key from the private scalar d; x and y must match it.
  static absl::StatusOr<PrivateKey> FromEc(KeyType type, Bytes x, Bytes y,
                                           Bytes d);
  // FromEd25519 takes the 32-byte seed and the 32-byte public key.
  static absl::StatusOr<PrivateKey> FromEd25519(Bytes seed, Bytes pub);

  KeyType type() const;
  int bits() const;
  // PublicPart returns the matching public key.
  PublicKey PublicPart() const;

  // Each Sign call returns the signature, or an error status if the key type
  // does not fit the call.
  absl::StatusOr<std::string> SignRsaPkcs1(Hash hash, Bytes msg) const;
  absl::StatusOr<std::string> SignRsaPss(Hash hash, Bytes msg) const;
  // SignEcdsaRaw returns r‖s of EcdsaRawSignatureSize(type()) bytes.
  absl::StatusOr<std::string> SignEcdsaRaw(Hash hash, Bytes msg) const;
  absl::StatusOr<std::string> SignEcdsaDer(Hash hash, Bytes msg) const;
  absl::StatusOr<std::string> SignEd25519(Bytes msg) const;

  struct Impl;
  explicit PrivateKey(std::shared_ptr<const Impl> impl)
      : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace edgekit::crypto

#endif  // EDGEKIT_LIB_CRYPTO_CRYPTO_H_
