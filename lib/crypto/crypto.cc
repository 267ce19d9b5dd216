// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The crypto seam over BoringSSL or OpenSSL 3. Only the calls both libraries
// share are used; where they differ (Ed25519 verification, big-number padding)
// the difference is spelled out here and nowhere else. Low-level calls
// (SHA*_Update, RSA_verify, ECDSA_do_verify) are preferred on the hot path:
// on OpenSSL 3 they skip the provider lookups that cost more than a SHA-256 of
// a whole token.

#include "crypto/crypto.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#if defined(EDGEKIT_CRYPTO_BORINGSSL)
#include <openssl/curve25519.h>
#endif

#include <climits>
#include <cstring>

#include "absl/status/status.h"

namespace edgekit::crypto {
namespace {

const uint8_t* U8(Bytes b) {
  return reinterpret_cast<const uint8_t*>(b.data());
}

// One incremental hash state of any supported algorithm. Plain old data in
// both libraries, so copying it is a memcpy.
union HashCtx {
  MD5_CTX md5;
  SHA_CTX sha1;
  SHA256_CTX sha256;
  SHA512_CTX sha512;  // also SHA-384
};

void CtxInit(Hash h, HashCtx* c) {
  switch (h) {
    case Hash::kMd5:
      MD5_Init(&c->md5);
      return;
    case Hash::kSha1:
      SHA1_Init(&c->sha1);
      return;
    case Hash::kSha256:
      SHA256_Init(&c->sha256);
      return;
    case Hash::kSha384:
      SHA384_Init(&c->sha512);
      return;
    case Hash::kSha512:
      SHA512_Init(&c->sha512);
      return;
  }
}

void CtxUpdate(Hash h, HashCtx* c, const void* p, size_t n) {
  switch (h) {
    case Hash::kMd5:
      MD5_Update(&c->md5, p, n);
      return;
    case Hash::kSha1:
      SHA1_Update(&c->sha1, p, n);
      return;
    case Hash::kSha256:
      SHA256_Update(&c->sha256, p, n);
      return;
    case Hash::kSha384:
      SHA384_Update(&c->sha512, p, n);
      return;
    case Hash::kSha512:
      SHA512_Update(&c->sha512, p, n);
      return;
  }
}

void CtxFinal(Hash h, HashCtx* c, uint8_t* out) {
  switch (h) {
    case Hash::kMd5:
      MD5_Final(out, &c->md5);
      return;
    case Hash::kSha1:
      SHA1_Final(out, &c->sha1);
      return;
    case Hash::kSha256:
      SHA256_Final(out, &c->sha256);
      return;
    case Hash::kSha384:
      SHA384_Final(out, &c->sha512);
      return;
    case Hash::kSha512:
      SHA512_Final(out, &c->sha512);
      return;
  }
}

size_t BlockSize(Hash h) {
  return h == Hash::kSha384 || h == Hash::kSha512 ? 128 : 64;
}

int HashNid(Hash h) {
  switch (h) {
    case Hash::kMd5:
      return NID_md5;
    case Hash::kSha1:
      return NID_sha1;
    case Hash::kSha256:
      return NID_sha256;
    case Hash::kSha384:
      return NID_sha384;
    case Hash::kSha512:
      return NID_sha512;
  }
  return NID_undef;
}

const EVP_MD* HashMd(Hash h) {
  switch (h) {
    case Hash::kMd5:
      return EVP_md5();
    case Hash::kSha1:
      return EVP_sha1();
    case Hash::kSha256:
      return EVP_sha256();
    case Hash::kSha384:
      return EVP_sha384();
    case Hash::kSha512:
      return EVP_sha512();
  }
  return nullptr;
}

int CurveNid(KeyType t) {
  switch (t) {
    case KeyType::kEcP256:
      return NID_X9_62_prime256v1;
    case KeyType::kEcP384:
      return NID_secp384r1;
    case KeyType::kEcP521:
      return NID_secp521r1;
    default:
      return NID_undef;
  }
}

size_t CurveBytes(KeyType t) {
  switch (t) {
    case KeyType::kEcP256:
      return 32;
    case KeyType::kEcP384:
      return 48;
    case KeyType::kEcP521:
      return 66;
    default:
      return 0;
  }
}

// Failures leave entries on the library's thread-local error queue; drop
// them so a host that also uses the library never sees ours.
absl::Status Fail(const char* what) {
  ERR_clear_error();
  return absl::InvalidArgumentError(what);
}

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
struct BnDeleter {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

BnPtr ToBn(Bytes b) { return BnPtr(BN_bin2bn(U8(b), b.size(), nullptr)); }

std::unique_ptr<BIO, BioDeleter> MemBio(std::string_view pem) {
  if (pem.size() > INT_MAX) return nullptr;
  return std::unique_ptr<BIO, BioDeleter>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Writes |bn| big-endian into exactly |len| bytes, left-padded with zeros.
bool BnToPadded(const BIGNUM* bn, uint8_t* out, size_t len) {
  const size_t n = BN_num_bytes(bn);
  if (n > len) return false;
  std::memset(out, 0, len - n);
  BN_bn2bin(bn, out + len - n);
  return true;
}

}  // namespace

size_t HashSize(Hash hash) {
  switch (hash) {
    case Hash::kMd5:
      return 16;
    case Hash::kSha1:
      return 20;
    case Hash::kSha256:
      return 32;
    case Hash::kSha384:
      return 48;
    case Hash::kSha512:
      return 64;
  }
  return 0;
}

void Digest(Hash hash, Bytes in, uint8_t* out) {
  HashCtx c;
  CtxInit(hash, &c);
  CtxUpdate(hash, &c, in.data(), in.size());
  CtxFinal(hash, &c, out);
}

bool ConstantTimeEqual(const void* a, const void* b, size_t len) {
  return CRYPTO_memcmp(a, b, len) == 0;
}

void RandomBytes(uint8_t* out, size_t len) { RAND_bytes(out, len); }

size_t EcdsaRawSignatureSize(KeyType type) { return 2 * CurveBytes(type); }

// ---- HMAC ----------------------------------------------------------------

struct HmacKey::State {
  HashCtx ctx;
};

HmacKey HmacKey::Create(Hash hash, Bytes key) {
  const size_t block = BlockSize(hash);
  uint8_t k[128] = {0};
  if (key.size() > block) {
    Digest(hash, key, k);
  } else {
    std::memcpy(k, key.data(), key.size());
  }
  uint8_t pad[128];
  auto absorb = [&](uint8_t x) {
    for (size_t i = 0; i < block; ++i) pad[i] = k[i] ^ x;
    auto s = std::make_shared<State>();
    CtxInit(hash, &s->ctx);
    CtxUpdate(hash, &s->ctx, pad, block);
    return s;
  };
  HmacKey h;
  h.hash_ = hash;
  h.inner_ = absorb(0x36);
  h.outer_ = absorb(0x5c);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(pad, sizeof pad);
  return h;
}

void HmacKey::Mac(Bytes msg, uint8_t* out) const {
  uint8_t inner_digest[kMaxHashSize];
  HashCtx c = inner_->ctx;
  CtxUpdate(hash_, &c, msg.data(), msg.size());
  CtxFinal(hash_, &c, inner_digest);
  c = outer_->ctx;
  CtxUpdate(hash_, &c, inner_digest, size());
  CtxFinal(hash_, &c, out);
}

bool HmacKey::Verify(Bytes msg, Bytes mac) const {
  if (mac.size() != size()) return false;
  uint8_t expected[kMaxHashSize];
  Mac(msg, expected);
  return ConstantTimeEqual(expected, mac.data(), mac.size());
}

// ---- Public keys ---------------------------------------------------------

struct PublicKey::Impl {
  ~Impl() {
    RSA_free(rsa);
    EC_KEY_free(ec);
  }
  KeyType type = KeyType::kRsa;
  int bits = 0;
  PkeyPtr pkey;
  RSA* rsa = nullptr;    // owned reference, for RSA_verify
  EC_KEY* ec = nullptr;  // owned reference, for ECDSA_do_verify
  uint8_t ed25519[32] = {0};
};

namespace {

// Classifies a parsed key and caches the low-level handles verify needs.
absl::StatusOr<std::shared_ptr<PublicKey::Impl>> MakePublicImpl(PkeyPtr pkey) {
  auto impl = std::make_shared<PublicKey::Impl>();
  switch (EVP_PKEY_id(pkey.get())) {
    case EVP_PKEY_RSA: {
      impl->type = KeyType::kRsa;
      impl->rsa = EVP_PKEY_get1_RSA(pkey.get());
      if (impl->rsa == nullptr) return Fail("bad RSA key");
      impl->bits = RSA_bits(impl->rsa);
      break;
    }
    case EVP_PKEY_EC: {
      impl->ec = EVP_PKEY_get1_EC_KEY(pkey.get());
      if (impl->ec == nullptr) return Fail("bad EC key");
      const int nid = EC_GROUP_get_curve_name(EC_KEY_get0_group(impl->ec));
      if (nid == NID_X9_62_prime256v1) {
        impl->type = KeyType::kEcP256;
        impl->bits = 256;
      } else if (nid == NID_secp384r1) {
        impl->type = KeyType::kEcP384;
        impl->bits = 384;
      } else if (nid == NID_secp521r1) {
        impl->type = KeyType::kEcP521;
        impl->bits = 521;
      } else {
        return Fail("unsupported EC curve");
      }
      break;
    }
    case EVP_PKEY_ED25519: {
      impl->type = KeyType::kEd25519;
      impl->bits = 256;
      size_t len = sizeof impl->ed25519;
      if (!EVP_PKEY_get_raw_public_key(pkey.get(), impl->ed25519, &len) ||
          len != 32) {
        return Fail("bad Ed25519 key");
      }
      break;
    }
    default:
      return Fail("unsupported key type");
  }
  impl->pkey = std::move(pkey);
  return impl;
}

}  // namespace

absl::StatusOr<PublicKey> PublicKey::FromPem(std::string_view pem) {
  auto bio = MemBio(pem);
  if (!bio) return Fail("PEM too large");
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) {
    bio = MemBio(pem);
    RSA* rsa = PEM_read_bio_RSAPublicKey(bio.get(), nullptr, nullptr, nullptr);
    if (rsa == nullptr) return Fail("not a PEM public key");
    pkey.reset(EVP_PKEY_new());
    if (!pkey || !EVP_PKEY_assign_RSA(pkey.get(), rsa)) {
      RSA_free(rsa);
      return Fail("out of memory");
    }
  }
  ERR_clear_error();
  auto impl = MakePublicImpl(std::move(pkey));
  if (!impl.ok()) return impl.status();
  return PublicKey(*std::move(impl));
}

absl::StatusOr<PublicKey> PublicKey::FromRsa(Bytes n, Bytes e) {
  if (n.empty() || e.empty() || e.size() > 8) return Fail("bad RSA members");
  RSA* rsa = RSA_new();
  BnPtr bn_n = ToBn(n), bn_e = ToBn(e);
  if (rsa == nullptr || !bn_n || !bn_e ||
      !RSA_set0_key(rsa, bn_n.get(), bn_e.get(), nullptr)) {
    RSA_free(rsa);
    return Fail("bad RSA members");
  }
  bn_n.release();
  bn_e.release();
  PkeyPtr pkey(EVP_PKEY_new());
  if (!pkey || !EVP_PKEY_assign_RSA(pkey.get(), rsa)) {
    RSA_free(rsa);
    return Fail("out of memory");
  }
  auto impl = MakePublicImpl(std::move(pkey));
  if (!impl.ok()) return impl.status();
  return PublicKey(*std::move(impl));
}

absl::StatusOr<PublicKey> PublicKey::FromEc(KeyType type, Bytes x, Bytes y) {
  const int nid = CurveNid(type);
  if (nid == NID_undef) return Fail("not an EC key type");
  if (x.size() != CurveBytes(type) || y.size() != CurveBytes(type)) {
    return Fail("EC coordinates have the wrong length");
  }
  EC_KEY* ec = EC_KEY_new_by_curve_name(nid);
  BnPtr bx = ToBn(x), by = ToBn(y);
  // Checks that the point is on the curve and not the point at infinity.
  if (ec == nullptr || !bx || !by ||
      !EC_KEY_set_public_key_affine_coordinates(ec, bx.get(), by.get())) {
    EC_KEY_free(ec);
    return Fail("EC point is not on the curve");
  }
  PkeyPtr pkey(EVP_PKEY_new());
  if (!pkey || !EVP_PKEY_assign_EC_KEY(pkey.get(), ec)) {
    EC_KEY_free(ec);
    return Fail("out of memory");
  }
  auto impl = MakePublicImpl(std::move(pkey));
  if (!impl.ok()) return impl.status();
  return PublicKey(*std::move(impl));
}

absl::StatusOr<PublicKey> PublicKey::FromEd25519(Bytes raw) {
  if (raw.size() != 32) return Fail("Ed25519 public key must be 32 bytes");
  PkeyPtr pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, U8(raw), 32));
  if (!pkey) return Fail("bad Ed25519 key");
  auto impl = MakePublicImpl(std::move(pkey));
  if (!impl.ok()) return impl.status();
  return PublicKey(*std::move(impl));
}

KeyType PublicKey::type() const { return impl_->type; }
int PublicKey::bits() const { return impl_->bits; }

bool PublicKey::VerifyRsaPkcs1(Hash hash, Bytes msg, Bytes sig) const {
  if (impl_->rsa == nullptr) return false;
  uint8_t digest[kMaxHashSize];
  Digest(hash, msg, digest);
  const bool ok = RSA_verify(HashNid(hash), digest, HashSize(hash), U8(sig),
                             sig.size(), impl_->rsa) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

namespace {

bool ConfigurePss(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, -1 /* = digest length */) == 1;
}

}  // namespace

bool PublicKey::VerifyRsaPss(Hash hash, Bytes msg, Bytes sig) const {
  // The raw public operation, then the PSS check on the encoded message
  // with salt length = hash length. The EVP path built and configured a
  // context per call, which cost OpenSSL 3 a tenth of a verify.
  constexpr size_t kMaxModulusBytes = 16384 / 8;  // both libraries' limit
  if (impl_->rsa == nullptr) return false;
  const size_t size = RSA_size(impl_->rsa);
  // RSA_NO_PADDING would take a shorter input as a number with leading
  // zeros; a signature has exactly the modulus' length (RFC 8017 §8.1.2).
  if (sig.size() != size || size > kMaxModulusBytes) return false;
  uint8_t encoded[kMaxModulusBytes];
  uint8_t digest[kMaxHashSize];
  Digest(hash, msg, digest);
  const bool ok =
      RSA_public_decrypt(static_cast<int>(size), U8(sig), encoded,
                         impl_->rsa, RSA_NO_PADDING) == static_cast<int>(size) &&
      RSA_verify_PKCS1_PSS_mgf1(impl_->rsa, digest, HashMd(hash), HashMd(hash),
                                encoded, static_cast<int>(HashSize(hash))) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

bool PublicKey::VerifyEcdsaRaw(Hash hash, Bytes msg, Bytes sig) const {
  const size_t half = CurveBytes(impl_->type);
  if (impl_->ec == nullptr || sig.size() != 2 * half) return false;
  ECDSA_SIG* s = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(U8(sig), half, nullptr);
  BIGNUM* ss = BN_bin2bn(U8(sig) + half, half, nullptr);
  if (s == nullptr || r == nullptr || ss == nullptr ||
      !ECDSA_SIG_set0(s, r, ss)) {
    BN_free(r);
    BN_free(ss);
    ECDSA_SIG_free(s);
    return false;
  }
  uint8_t digest[kMaxHashSize];
  Digest(hash, msg, digest);
  // ECDSA_do_verify refuses r or s outside [1, n-1].
  const bool ok = ECDSA_do_verify(digest, HashSize(hash), s, impl_->ec) == 1;
  ECDSA_SIG_free(s);
  if (!ok) ERR_clear_error();
  return ok;
}

bool PublicKey::VerifyEcdsaDer(Hash hash, Bytes msg, Bytes sig) const {
  if (impl_->ec == nullptr || sig.size() > INT_MAX) return false;
  uint8_t digest[kMaxHashSize];
  Digest(hash, msg, digest);
  const bool ok = ECDSA_verify(0, digest, HashSize(hash), U8(sig),
                               static_cast<int>(sig.size()), impl_->ec) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

bool PublicKey::VerifyEd25519(Bytes msg, Bytes sig) const {
  if (impl_->type != KeyType::kEd25519 || sig.size() != 64) return false;
#if defined(EDGEKIT_CRYPTO_BORINGSSL)
  return ED25519_verify(U8(msg), msg.size(), U8(sig), impl_->ed25519) == 1;
#else
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok = ctx &&
                  EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr,
                                       impl_->pkey.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), U8(sig), sig.size(), U8(msg),
                                   msg.size()) == 1;
  if (!ok) ERR_clear_error();
  return ok;
#endif
}

// ---- Private keys --------------------------------------------------------

struct PrivateKey::Impl {
  ~Impl() {
    RSA_free(rsa);
    EC_KEY_free(ec);
  }
  PublicKey pub{nullptr};
  PkeyPtr pkey;
  RSA* rsa = nullptr;
  EC_KEY* ec = nullptr;
};

namespace {

// Builds the private Impl and derives the public half from the same EVP_PKEY.
absl::StatusOr<PrivateKey> MakePrivate(PkeyPtr pkey) {
  auto impl = std::make_shared<PrivateKey::Impl>();
  switch (EVP_PKEY_id(pkey.get())) {
    case EVP_PKEY_RSA:
      impl->rsa = EVP_PKEY_get1_RSA(pkey.get());
      if (impl->rsa == nullptr || RSA_check_key(impl->rsa) != 1) {
        return Fail("inconsistent RSA private key");
      }
      break;
    case EVP_PKEY_EC:
      impl->ec = EVP_PKEY_get1_EC_KEY(pkey.get());
      if (impl->ec == nullptr || EC_KEY_check_key(impl->ec) != 1) {
        return Fail("inconsistent EC private key");
      }
      break;
    case EVP_PKEY_ED25519:
      break;
    default:
      return Fail("unsupported key type");
  }
  // The public half shares the EVP_PKEY: verification ignores the private
  // part, and sharing keeps one copy of the key in memory.
  if (!EVP_PKEY_up_ref(pkey.get())) return Fail("out of memory");
  auto pub = MakePublicImpl(PkeyPtr(pkey.get()));
  if (!pub.ok()) return pub.status();
  impl->pub = PublicKey(*std::move(pub));
  impl->pkey = std::move(pkey);
  ERR_clear_error();
  return PrivateKey(std::move(impl));
}

}  // namespace

absl::StatusOr<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  auto bio = MemBio(pem);
  if (!bio) return Fail("PEM too large");
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) return Fail("not a PEM private key");
  return MakePrivate(std::move(pkey));
}

absl::StatusOr<PrivateKey> PrivateKey::FromRsa(Bytes n, Bytes e, Bytes d,
                                               Bytes p, Bytes q, Bytes dp,
                                               Bytes dq, Bytes qi) {
  if (n.empty() || e.empty() || d.empty() || p.empty() || q.empty() ||
      dp.empty() || dq.empty() || qi.empty()) {
    return Fail("RSA private keys need n, e, d, p, q, dp, dq and qi");
  }
  RSA* rsa = RSA_new();
  if (rsa == nullptr) return Fail("out of memory");
  BnPtr bn[8] = {ToBn(n), ToBn(e), ToBn(d)};
  bool ok = bn[0] && bn[1] && bn[2] &&
            RSA_set0_key(rsa, bn[0].get(), bn[1].get(), bn[2].get());
  if (ok) {
    for (int i = 0; i < 3; ++i) bn[i].release();
  }
  if (ok) {
    bn[3] = ToBn(p), bn[4] = ToBn(q), bn[5] = ToBn(dp), bn[6] = ToBn(dq),
    bn[7] = ToBn(qi);
    ok = bn[3] && bn[4] && bn[5] && bn[6] && bn[7] &&
         RSA_set0_factors(rsa, bn[3].get(), bn[4].get());
    if (ok) {
      bn[3].release();
      bn[4].release();
      ok = RSA_set0_crt_params(rsa, bn[5].get(), bn[6].get(), bn[7].get());
      if (ok) {
        for (int i = 5; i < 8; ++i) bn[i].release();
      }
    }
  }
  PkeyPtr pkey(EVP_PKEY_new());
  if (!ok || !pkey || !EVP_PKEY_assign_RSA(pkey.get(), rsa)) {
    RSA_free(rsa);
    return Fail("bad RSA private key");
  }
  return MakePrivate(std::move(pkey));
}

absl::StatusOr<PrivateKey> PrivateKey::FromEc(KeyType type, Bytes x, Bytes y,
                                              Bytes d) {
  const int nid = CurveNid(type);
  if (nid == NID_undef) return Fail("not an EC key type");
  if (x.size() != CurveBytes(type) || y.size() != CurveBytes(type) ||
      d.size() != CurveBytes(type)) {
    return Fail("EC members have the wrong length");
  }
  EC_KEY* ec = EC_KEY_new_by_curve_name(nid);
  BnPtr bx = ToBn(x), by = ToBn(y), bd = ToBn(d);
  if (ec == nullptr || !bx || !by || !bd ||
      !EC_KEY_set_public_key_affine_coordinates(ec, bx.get(), by.get()) ||
      !EC_KEY_set_private_key(ec, bd.get())) {
    EC_KEY_free(ec);
    return Fail("bad EC private key");
  }
  PkeyPtr pkey(EVP_PKEY_new());
  if (!pkey || !EVP_PKEY_assign_EC_KEY(pkey.get(), ec)) {
    EC_KEY_free(ec);
    return Fail("out of memory");
  }
  return MakePrivate(std::move(pkey));
}

absl::StatusOr<PrivateKey> PrivateKey::FromEd25519(Bytes seed, Bytes pub) {
  if (seed.size() != 32 || pub.size() != 32) {
    return Fail("Ed25519 keys are 32 bytes");
  }
  PkeyPtr pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, U8(seed), 32));
  if (!pkey) return Fail("bad Ed25519 key");
  uint8_t derived[32];
  size_t len = sizeof derived;
  if (!EVP_PKEY_get_raw_public_key(pkey.get(), derived, &len) || len != 32 ||
      std::memcmp(derived, pub.data(), 32) != 0) {
    return Fail("Ed25519 public key does not match the seed");
  }
  return MakePrivate(std::move(pkey));
}

KeyType PrivateKey::type() const { return impl_->pub.type(); }
int PrivateKey::bits() const { return impl_->pub.bits(); }
PublicKey PrivateKey::PublicPart() const { return impl_->pub; }

absl::StatusOr<std::string> PrivateKey::SignRsaPkcs1(Hash hash,
                                                     Bytes msg) const {
  if (impl_->rsa == nullptr) return Fail("not an RSA key");
  uint8_t digest[kMaxHashSize];
  Digest(hash, msg, digest);
  std::string sig(RSA_size(impl_->rsa), '\0');
  unsigned len = 0;
  if (RSA_sign(HashNid(hash), digest, HashSize(hash),
               reinterpret_cast<uint8_t*>(sig.data()), &len, impl_->rsa) != 1) {
    return Fail("RSA signing failed");
  }
  sig.resize(len);
  return sig;
}

absl::StatusOr<std::string> PrivateKey::SignRsaPss(Hash hash, Bytes msg) const {
  if (impl_->rsa == nullptr) return Fail("not an RSA key");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  std::string sig(RSA_size(impl_->rsa), '\0');
  size_t len = sig.size();
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), &pctx, HashMd(hash), nullptr,
                         impl_->pkey.get()) != 1 ||
      !ConfigurePss(pctx) ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<uint8_t*>(sig.data()), &len,
                     U8(msg), msg.size()) != 1) {
    return Fail("RSA-PSS signing failed");
  }
  sig.resize(len);
  return sig;
}

absl::StatusOr<std::string> PrivateKey::SignEcdsaRaw(Hash hash,
                                                     Bytes msg) const {
  if (impl_->ec == nullptr) return Fail("not an EC key");
  uint8_t digest[kMaxHashSize];
  Digest(hash, msg, digest);
  ECDSA_SIG* s = ECDSA_do_sign(digest, HashSize(hash), impl_->ec);
  if (s == nullptr) return Fail("ECDSA signing failed");
  const BIGNUM* r = nullptr;
  const BIGNUM* ss = nullptr;
  ECDSA_SIG_get0(s, &r, &ss);
  const size_t half = CurveBytes(type());
  std::string sig(2 * half, '\0');
  auto* out = reinterpret_cast<uint8_t*>(sig.data());
  const bool ok = BnToPadded(r, out, half) && BnToPadded(ss, out + half, half);
  ECDSA_SIG_free(s);
  if (!ok) return Fail("ECDSA signature does not fit");
  return sig;
}

absl::StatusOr<std::string> PrivateKey::SignEcdsaDer(Hash hash,
                                                     Bytes msg) const {
  if (impl_->ec == nullptr) return Fail("not an EC key");
  uint8_t digest[kMaxHashSize];
  Digest(hash, msg, digest);
  std::string sig(ECDSA_size(impl_->ec), '\0');
  unsigned len = 0;
  if (ECDSA_sign(0, digest, HashSize(hash),
                 reinterpret_cast<uint8_t*>(sig.data()), &len,
                 impl_->ec) != 1) {
    return Fail("ECDSA signing failed");
  }
  sig.resize(len);
  return sig;
}

absl::StatusOr<std::string> PrivateKey::SignEd25519(Bytes msg) const {
  if (type() != KeyType::kEd25519) return Fail("not an Ed25519 key");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::string sig(64, '\0');
  size_t len = sig.size();
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr,
                         impl_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<uint8_t*>(sig.data()), &len,
                     U8(msg), msg.size()) != 1) {
    return Fail("Ed25519 signing failed");
  }
  sig.resize(len);
  return sig;
}

}  // namespace edgekit::crypto
