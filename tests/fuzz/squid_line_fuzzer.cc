// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzzes the Squid helper's request-line parser in every mode (with and
// without channel IDs, header or query parameter) and the kv-pair encoder:
// no input may crash, and what the parser returns must be a part of the
// line or a decoding of one — never longer than the line itself.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "request_line.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  edgekit::squid::RequestLine request;
  for (const bool concurrent : {false, true}) {
    for (const std::string_view query :
         {std::string_view(), std::string_view("token")}) {
      if (edgekit::squid::ParseRequestLine(line, concurrent, query,
                                           &request)) {
        if (request.token.size() > size) __builtin_trap();
        if (!concurrent && !request.channel.empty()) __builtin_trap();
        if (concurrent && request.channel.empty()) __builtin_trap();
      } else if (!concurrent) {
        __builtin_trap();  // without channel IDs every line is answerable
      }
    }
  }
  std::string encoded;
  edgekit::squid::AppendPercentEncoded(line, &encoded);
  if (encoded.size() < size || encoded.size() > 3 * size) __builtin_trap();
  return 0;
}
