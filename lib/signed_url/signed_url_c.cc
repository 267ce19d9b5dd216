// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The C shim over lib/signed_url: converts option structs and slices, maps
// setup errors to statuses, and never lets an exception out.

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>

#include "edgekit/signed_url.h"
#include "signed_url/signed_url.h"

struct edgekit_url_verifier {
  std::unique_ptr<edgekit::signed_url::Verifier> impl;
};

namespace {

namespace su = edgekit::signed_url;

std::string_view View(const char* p, size_t len) {
  return p == nullptr ? std::string_view() : std::string_view(p, len);
}

std::string Text(const char* p, size_t len, const char* fallback) {
  return p == nullptr || len == 0 ? std::string(fallback) : std::string(p, len);
}

// OptionsOk accepts a struct_size from 1 up to what this library knows; a
// larger struct from a newer header is fine only if its extra bytes are zero.
template <typename T>
bool OptionsOk(const T* options) {
  if (options == nullptr || options->struct_size == 0) return false;
  if (options->struct_size <= sizeof(T)) return true;
  const auto* extra =
      reinterpret_cast<const unsigned char*>(options) + sizeof(T);
  for (size_t i = 0; i < options->struct_size - sizeof(T); ++i) {
    if (extra[i] != 0) return false;
  }
  return true;
}

// FIELD reads a member only if the caller's struct is large enough to hold
// it; older callers get zero, i.e. the default.
#define FIELD(s, T, m)                                          \
  ((s)->struct_size >= offsetof(T, m) + sizeof((s)->m) ? (s)->m \
                                                       : decltype((s)->m)())

// A C caller may store any int in an enum field, but C++ may not load one
// outside the enumerators' range: ENUM_FIELD reads the bytes as an int.
template <typename E>
int EnumBits(const E* e) {
  static_assert(sizeof(E) == sizeof(int), "C enums are ints");
  int v;
  std::memcpy(&v, e, sizeof v);
  return v;
}
#define ENUM_FIELD(s, T, m) \
  ((s)->struct_size >= offsetof(T, m) + sizeof((s)->m) ? EnumBits(&(s)->m) : 0)

bool HashFromC(int h, edgekit::crypto::Hash fallback,
               edgekit::crypto::Hash* out) {
  switch (h) {
    case EDGEKIT_URL_HASH_DEFAULT:
      *out = fallback;
      return true;
    case EDGEKIT_URL_HASH_MD5:
      *out = edgekit::crypto::Hash::kMd5;
      return true;
    case EDGEKIT_URL_HASH_SHA1:
      *out = edgekit::crypto::Hash::kSha1;
      return true;
    case EDGEKIT_URL_HASH_SHA256:
      *out = edgekit::crypto::Hash::kSha256;
      return true;
    case EDGEKIT_URL_HASH_SHA512:
      *out = edgekit::crypto::Hash::kSha512;
      return true;
    default:
      return false;
  }
}

edgekit_status Wrap(absl::StatusOr<std::unique_ptr<su::Verifier>> v,
                    edgekit_url_verifier** out) {
  if (!v.ok()) {
    return v.status().code() == absl::StatusCode::kInvalidArgument
               ? EDGEKIT_E_INVALID_ARGUMENT
               : EDGEKIT_E_BAD_KEY;
  }
  auto* handle = new (std::nothrow) edgekit_url_verifier;
  if (handle == nullptr) return EDGEKIT_E_NO_MEMORY;
  handle->impl = *std::move(v);
  *out = handle;
  return EDGEKIT_OK;
}

// Guard runs a setup function, turning std::bad_alloc into a status.
template <typename F>
edgekit_status Guard(edgekit_url_verifier** out, F&& f) noexcept {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  } catch (...) {
    return EDGEKIT_E_INTERNAL;
  }
}

// FillResult copies |r| into the members the caller's struct has room for.
void FillResult(const su::Result& r, edgekit_url_result* result) {
  using S = edgekit_url_result;
#define SET(m, v) \
  if (result->struct_size >= offsetof(S, m) + sizeof(result->m)) result->m = (v)
  SET(expires_s, r.expires_s);
  SET(starts_s, r.starts_s);
  SET(identity, r.identity.empty() ? nullptr : r.identity.data());
  SET(identity_len, r.identity.size());
  SET(scope, r.scope.empty() ? nullptr : r.scope.data());
  SET(scope_len, r.scope.size());
#undef SET
}

}  // namespace

extern "C" {

edgekit_status edgekit_url_verifier_new_nginx_md5(
    edgekit_url_verifier** out, const edgekit_nginx_md5_options* options) {
  return Guard(out, [&] {
    if (!OptionsOk(options)) return EDGEKIT_E_INVALID_ARGUMENT;
    using O = edgekit_nginx_md5_options;
    su::NginxMd5Options o;
    o.message =
        Text(FIELD(options, O, message), FIELD(options, O, message_len), "");
    o.hash_arg = Text(FIELD(options, O, hash_arg),
                      FIELD(options, O, hash_arg_len), "md5");
    o.expires_arg = Text(FIELD(options, O, expires_arg),
                         FIELD(options, O, expires_arg_len), "expires");
    o.no_expiry = FIELD(options, O, no_expiry) != 0;
    return Wrap(su::NewNginxMd5Verifier(o), out);
  });
}

edgekit_status edgekit_nginx_secure_link_md5(
    edgekit_url_result* result, const char* secure_link, size_t secure_link_len,
    const char* message, size_t message_len, int64_t now_s) {
  su::Result r;
  const edgekit_status s =
      su::VerifyNginxSecureLinkMd5(View(secure_link, secure_link_len),
                                   View(message, message_len), now_s, &r);
  if (result != nullptr) FillResult(r, result);
  return s;
}

edgekit_status edgekit_url_verifier_new_nginx_secret(
    edgekit_url_verifier** out, const edgekit_nginx_secret_options* options) {
  return Guard(out, [&] {
    if (!OptionsOk(options)) return EDGEKIT_E_INVALID_ARGUMENT;
    using O = edgekit_nginx_secret_options;
    return Wrap(su::NewNginxSecretVerifier(View(FIELD(options, O, secret),
                                                FIELD(options, O, secret_len))),
                out);
  });
}

edgekit_status edgekit_url_verifier_new_akamai(
    edgekit_url_verifier** out, const edgekit_akamai_options* options) {
  return Guard(out, [&] {
    if (!OptionsOk(options)) return EDGEKIT_E_INVALID_ARGUMENT;
    using O = edgekit_akamai_options;
    su::AkamaiOptions o;
    o.key_hex =
        Text(FIELD(options, O, key_hex), FIELD(options, O, key_hex_len), "");
    if (!HashFromC(ENUM_FIELD(options, O, hash), edgekit::crypto::Hash::kSha256,
                   &o.hash)) {
      return EDGEKIT_E_INVALID_ARGUMENT;
    }
    o.token_name = Text(FIELD(options, O, token_name),
                        FIELD(options, O, token_name_len), "__token__");
    o.sources = FIELD(options, O, sources);
    if (const char d = FIELD(options, O, field_delimiter))
      o.field_delimiter = d;
    if (const char d = FIELD(options, O, acl_delimiter)) o.acl_delimiter = d;
    o.salt = Text(FIELD(options, O, salt), FIELD(options, O, salt_len), "");
    o.escape_early = FIELD(options, O, escape_early) != 0;
    return Wrap(su::NewAkamaiVerifier(o), out);
  });
}

edgekit_status edgekit_url_verifier_new_cloudfront(
    edgekit_url_verifier** out, const edgekit_cloudfront_options* options) {
  return Guard(out, [&] {
    if (!OptionsOk(options)) return EDGEKIT_E_INVALID_ARGUMENT;
    using O = edgekit_cloudfront_options;
    su::CloudFrontOptions o;
    const edgekit_cloudfront_key* keys = FIELD(options, O, keys);
    const size_t num_keys = FIELD(options, O, num_keys);
    if (keys == nullptr && num_keys != 0) return EDGEKIT_E_INVALID_ARGUMENT;
    for (size_t i = 0; i < num_keys; ++i) {
      o.keys.emplace_back(
          std::string(View(keys[i].key_pair_id, keys[i].key_pair_id_len)),
          std::string(
              View(keys[i].public_key_pem, keys[i].public_key_pem_len)));
    }
    o.sources = FIELD(options, O, sources);
    o.require_sha256 = FIELD(options, O, require_sha256) != 0;
    return Wrap(su::NewCloudFrontVerifier(o), out);
  });
}

edgekit_status edgekit_url_verifier_new_timed_hmac(
    edgekit_url_verifier** out, const edgekit_timed_hmac_options* options) {
  return Guard(out, [&] {
    if (!OptionsOk(options)) return EDGEKIT_E_INVALID_ARGUMENT;
    using O = edgekit_timed_hmac_options;
    su::TimedHmacOptions o;
    const uint8_t* secret = FIELD(options, O, secret);
    o.secret = std::string(View(reinterpret_cast<const char*>(secret),
                                FIELD(options, O, secret_len)));
    if (!HashFromC(ENUM_FIELD(options, O, hash), edgekit::crypto::Hash::kSha256,
                   &o.hash)) {
      return EDGEKIT_E_INVALID_ARGUMENT;
    }
    switch (ENUM_FIELD(options, O, encoding)) {
      case EDGEKIT_URL_ENCODING_HEX:
        o.encoding = su::Encoding::kHex;
        break;
      case EDGEKIT_URL_ENCODING_BASE64URL:
        o.encoding = su::Encoding::kBase64Url;
        break;
      case EDGEKIT_URL_ENCODING_BASE64:
        o.encoding = su::Encoding::kBase64;
        break;
      default:
        return EDGEKIT_E_INVALID_ARGUMENT;
    }
    o.message = Text(FIELD(options, O, message), FIELD(options, O, message_len),
                     "$path$expires");
    o.token_arg = Text(FIELD(options, O, token_arg),
                       FIELD(options, O, token_arg_len), "token");
    o.expires_arg = Text(FIELD(options, O, expires_arg),
                         FIELD(options, O, expires_arg_len), "expires");
    o.separator = FIELD(options, O, separator);
    o.prefix =
        Text(FIELD(options, O, prefix), FIELD(options, O, prefix_len), "");
    o.ttl_s = FIELD(options, O, ttl_s);
    o.plain_digest = FIELD(options, O, plain_digest) != 0;
    return Wrap(su::NewTimedHmacVerifier(o), out);
  });
}

void edgekit_url_verifier_free(edgekit_url_verifier* verifier) {
  delete verifier;
}

edgekit_status edgekit_url_verify(const edgekit_url_verifier* verifier,
                                  edgekit_url_result* result,
                                  const edgekit_url_request* request) {
  if (verifier == nullptr || request == nullptr || request->struct_size == 0 ||
      (result != nullptr && result->struct_size == 0)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  using R = edgekit_url_request;
  su::Request req;
  req.path = View(FIELD(request, R, path), FIELD(request, R, path_len));
  req.query = View(FIELD(request, R, query), FIELD(request, R, query_len));
  req.cookie = View(FIELD(request, R, cookie), FIELD(request, R, cookie_len));
  req.header = View(FIELD(request, R, header), FIELD(request, R, header_len));
  req.client_ip =
      View(FIELD(request, R, client_ip), FIELD(request, R, client_ip_len));
  req.now_s = FIELD(request, R, now_s);
  su::Result r;
  edgekit_status s;
  // Only a CloudFront custom policy allocates (its JSON); nothing may throw
  // across the C boundary.
  try {
    s = verifier->impl->Verify(req, &r);
  } catch (const std::bad_alloc&) {
    s = EDGEKIT_E_NO_MEMORY;
  } catch (...) {
    s = EDGEKIT_E_INTERNAL;
  }
  if (result != nullptr) FillResult(r, result);
  return s;
}

}  // extern "C"
