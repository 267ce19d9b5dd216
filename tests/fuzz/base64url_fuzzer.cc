// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzzes base64url decoding differentially: Base64UrlDecode (32-character
// vector blocks where the CPU has AVX2, then the scalar loop) must agree with
// the scalar loop alone on every input, and whatever decodes must encode
// back to exactly the input (one decoding per string, no bit unseen).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base64url.h"

namespace {

constexpr edgekit::Base64Alphabet kUrl = edgekit::MakeBase64Alphabet(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t cap = edgekit::Base64UrlDecodedMaxSize(size);
  std::string fast(cap, '\0');
  std::string scalar(cap, '\0');
  size_t fast_len = 0;
  size_t scalar_len = 0;
  const bool fast_ok = edgekit::Base64UrlDecode(
      in, reinterpret_cast<uint8_t*>(fast.data()), &fast_len);
  const bool scalar_ok = edgekit::Base64DecodeUnpadded(
      in, kUrl, /*strict_bits=*/true, reinterpret_cast<uint8_t*>(scalar.data()),
      cap, &scalar_len);
  if (fast_ok != scalar_ok) __builtin_trap();
  if (!fast_ok) return 0;
  fast.resize(fast_len);
  scalar.resize(scalar_len);
  if (fast != scalar) __builtin_trap();
  std::string again;
  edgekit::Base64UrlAppend(fast, &again);
  if (again != in) __builtin_trap();
  return 0;
}
