// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzzes the lease client's RESP2 reply parser (bindings/redis/resp.cc): no
// input may crash it or make it read outside the input; a reply it accepts
// uses a non-empty prefix of the input, parses the same on that prefix
// alone, and one byte less of it is only ever incomplete.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "resp.h"

using edgekit::redis::ParseReply;
using edgekit::redis::ParseResult;
using edgekit::redis::Reply;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  Reply reply;
  size_t used = 0;
  const ParseResult r = ParseReply(in, &reply, &used);
  if (r != ParseResult::kOk) {
    if (used != 0) __builtin_trap();
    return 0;
  }
  if (used == 0 || used > size) __builtin_trap();
  Reply again;
  size_t used_again = 0;
  if (ParseReply(in.substr(0, used), &again, &used_again) != ParseResult::kOk ||
      used_again != used || again.type != reply.type) {
    __builtin_trap();
  }
  if (ParseReply(in.substr(0, used - 1), &again, &used_again) !=
      ParseResult::kIncomplete) {
    __builtin_trap();
  }
  return 0;
}
