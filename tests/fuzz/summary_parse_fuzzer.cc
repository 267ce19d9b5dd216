// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Summary parsing on hostile bytes: never a crash, never unbounded memory;
// whatever parses must serialize, re-parse to the same summary, merge with
// itself and render as JSON.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "aggregate/summary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using edgekit::aggregate::Summary;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<Summary> s = edgekit::aggregate::ParseSummary(in);
  if (!s.ok()) return 0;
  const std::string bytes = edgekit::aggregate::SerializeSummary(*s);
  absl::StatusOr<Summary> again = edgekit::aggregate::ParseSummary(bytes);
  if (!again.ok() || !(*again == *s)) std::abort();
  Summary doubled = *s;
  if (!edgekit::aggregate::MergeSummaries(&doubled, *s).ok()) std::abort();
  (void)edgekit::aggregate::SummaryToJson(doubled);
  return 0;
}
