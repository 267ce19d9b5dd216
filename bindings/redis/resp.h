// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// RESP2, the Redis wire protocol, as the lease client needs it: commands go
// out as arrays of bulk strings; replies are parsed strictly. Anything that
// is not exactly RESP2 (a missing CR LF, a sign or digit out of place, a
// length that overflows or exceeds the limits below, nesting deeper than
// kMaxDepth) is an error — the connection is then unusable, since where the
// next reply begins is unknown.

#ifndef EDGEKIT_BINDINGS_REDIS_RESP_H_
#define EDGEKIT_BINDINGS_REDIS_RESP_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edgekit::redis {

// Limits a reply must stay within; the lease script replies with an integer
// or a short error, so these only stop a hostile or broken peer from making
// the client allocate without bound.
inline constexpr int64_t kMaxBulkLen = 1 << 20;
inline constexpr int64_t kMaxArrayLen = 1 << 16;
inline constexpr int kMaxDepth = 8;

struct Reply {
  enum class Type { kSimple, kError, kInteger, kBulk, kNil, kArray };
  Type type = Type::kNil;
  std::string str;         // kSimple, kError, kBulk
  int64_t integer = 0;     // kInteger
  std::vector<Reply> elements;  // kArray
};

enum class ParseResult {
  kOk,          // one reply parsed; *consumed bytes used
  kIncomplete,  // a valid prefix: read more and parse again from the start
  kMalformed,   // not RESP2, or over a limit
};

// ParseReply parses the first reply in |in| into |*out| and sets
// |*consumed| to its length. Never reads outside |in|.
ParseResult ParseReply(std::string_view in, Reply* out, size_t* consumed);

// AppendCommand appends |args| to |out| as a RESP2 array of bulk strings.
void AppendCommand(const std::vector<std::string_view>& args,
                   std::string* out);

}  // namespace edgekit::redis

#endif  // EDGEKIT_BINDINGS_REDIS_RESP_H_
