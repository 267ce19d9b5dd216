// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The C ABI of lib/aggregate: converts types and statuses, catches
// allocation failure, nothing else.

#include <cstring>
#include <new>
#include <string>

#include "aggregate/aggregator.h"
#include "aggregate/summary.h"
#include "edgekit/aggregate.h"

struct edgekit_aggregator {
  edgekit::aggregate::Aggregator agg;
};

struct edgekit_summary {
  edgekit::aggregate::Summary summary;
};

namespace {

using edgekit::aggregate::Aggregator;
using edgekit::aggregate::AggregatorOptions;

// Copies a caller's options struct, which may be older (shorter) or newer
// (longer, with the extra fields zero) than ours.
bool ReadOptions(const edgekit_aggregator_options* in, AggregatorOptions* out) {
  edgekit_aggregator_options o;
  std::memset(&o, 0, sizeof o);
  if (in != nullptr) {
    if (in->struct_size < sizeof(size_t)) return false;
    const size_t n = in->struct_size < sizeof o ? in->struct_size : sizeof o;
    std::memcpy(&o, in, n);
    const auto* extra = reinterpret_cast<const unsigned char*>(in);
    for (size_t i = sizeof o; i < in->struct_size; ++i) {
      if (extra[i] != 0) return false;
    }
  }
  out->key_capacity = o.key_capacity;
  out->max_key_len = o.max_key_len;
  out->window_ms = o.window_ms;
  out->features = o.features;
  out->hll_lg_k = o.hll_lg_k;
  out->quantile_alpha_ppm = o.quantile_alpha_ppm;
  out->quantile_buckets = o.quantile_buckets;
  out->topk_k = o.topk_k;
  out->topk_slots = o.topk_slots;
  out->seed = o.seed;
  return true;
}

edgekit_status ParseStatus(const absl::Status& st) {
  switch (st.code()) {
    case absl::StatusCode::kOutOfRange:
      return EDGEKIT_E_SUMMARY_TRUNCATED;
    case absl::StatusCode::kUnimplemented:
      return EDGEKIT_E_SUMMARY_VERSION;
    default:
      return EDGEKIT_E_SUMMARY_MALFORMED;
  }
}

edgekit_status CopyOut(const std::string& bytes, char* buf, size_t cap,
                       size_t* out_len) {
  *out_len = bytes.size();
  if (cap < bytes.size() || (buf == nullptr && !bytes.empty())) {
    return EDGEKIT_E_BUFFER_TOO_SMALL;
  }
  if (!bytes.empty()) std::memcpy(buf, bytes.data(), bytes.size());
  return EDGEKIT_OK;
}

}  // namespace

extern "C" {

edgekit_status edgekit_aggregator_region_size(
    size_t* out_len, const edgekit_aggregator_options* options) {
  if (out_len == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  AggregatorOptions o;
  if (!ReadOptions(options, &o)) return EDGEKIT_E_INVALID_ARGUMENT;
  absl::StatusOr<size_t> n = Aggregator::RegionSize(o);
  if (!n.ok()) return EDGEKIT_E_INVALID_ARGUMENT;
  *out_len = *n;
  return EDGEKIT_OK;
}

edgekit_status edgekit_aggregator_format(
    edgekit_aggregator** out, void* base, size_t len,
    const edgekit_aggregator_options* options) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  AggregatorOptions o;
  if (!ReadOptions(options, &o)) return EDGEKIT_E_INVALID_ARGUMENT;
  absl::StatusOr<Aggregator> a = Aggregator::Format(base, len, o);
  if (!a.ok()) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = new (std::nothrow) edgekit_aggregator{*a};
  return *out ? EDGEKIT_OK : EDGEKIT_E_NO_MEMORY;
}

edgekit_status edgekit_aggregator_attach(edgekit_aggregator** out, void* base,
                                         size_t len) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (base == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  absl::StatusOr<Aggregator> a = Aggregator::Attach(base, len);
  if (!a.ok()) {
    return a.status().code() == absl::StatusCode::kInvalidArgument
               ? EDGEKIT_E_INVALID_ARGUMENT
               : EDGEKIT_E_BAD_REGION;
  }
  *out = new (std::nothrow) edgekit_aggregator{*a};
  return *out ? EDGEKIT_OK : EDGEKIT_E_NO_MEMORY;
}

void edgekit_aggregator_free(edgekit_aggregator* agg) { delete agg; }

edgekit_status edgekit_aggregator_update(edgekit_aggregator* agg,
                                         const char* key, size_t key_len,
                                         int64_t now_ms, int64_t value,
                                         const char* item, size_t item_len) {
  if (agg == nullptr || (key == nullptr && key_len != 0) ||
      (item == nullptr && item_len != 0)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  switch (agg->agg.Update(std::string_view(key, key_len), now_ms, value,
                          std::string_view(item, item_len))) {
    case Aggregator::Result::kCounted:
    case Aggregator::Result::kOverflow:
      return EDGEKIT_OK;
    case Aggregator::Result::kKeyTooLong:
      return EDGEKIT_E_AGG_KEY_TOO_LONG;
    case Aggregator::Result::kBadTime:
      return EDGEKIT_E_AGG_BAD_TIME;
  }
  return EDGEKIT_E_INTERNAL;
}

edgekit_status edgekit_aggregator_flush(edgekit_aggregator* agg,
                                        edgekit_summary** out, int64_t now_ms) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (agg == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  if (now_ms < 0) return EDGEKIT_E_AGG_BAD_TIME;
  try {
    std::optional<edgekit::aggregate::Summary> s = agg->agg.FlushOne(now_ms);
    if (s) *out = new edgekit_summary{std::move(*s)};
    return EDGEKIT_OK;
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  }
}

edgekit_status edgekit_summary_parse(edgekit_summary** out, const char* p,
                                     size_t len) {
  if (out == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  *out = nullptr;
  if (p == nullptr && len != 0) return EDGEKIT_E_INVALID_ARGUMENT;
  try {
    absl::StatusOr<edgekit::aggregate::Summary> s =
        edgekit::aggregate::ParseSummary(std::string_view(p, len));
    if (!s.ok()) return ParseStatus(s.status());
    *out = new edgekit_summary{std::move(*s)};
    return EDGEKIT_OK;
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  }
}

edgekit_status edgekit_summary_serialize(const edgekit_summary* summary,
                                         char* buf, size_t cap,
                                         size_t* out_len) {
  if (summary == nullptr || out_len == nullptr)
    return EDGEKIT_E_INVALID_ARGUMENT;
  try {
    return CopyOut(edgekit::aggregate::SerializeSummary(summary->summary), buf,
                   cap, out_len);
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  }
}

edgekit_status edgekit_summary_to_json(const edgekit_summary* summary,
                                       char* buf, size_t cap, size_t* out_len) {
  if (summary == nullptr || out_len == nullptr)
    return EDGEKIT_E_INVALID_ARGUMENT;
  try {
    return CopyOut(edgekit::aggregate::SummaryToJson(summary->summary), buf,
                   cap, out_len);
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  }
}

edgekit_status edgekit_summary_merge(edgekit_summary* dst,
                                     const edgekit_summary* src) {
  if (dst == nullptr || src == nullptr) return EDGEKIT_E_INVALID_ARGUMENT;
  try {
    if (dst == src) {  // merging with itself: work on a copy of the source
      const edgekit::aggregate::Summary copy = src->summary;
      return edgekit::aggregate::MergeSummaries(&dst->summary, copy).ok()
                 ? EDGEKIT_OK
                 : EDGEKIT_E_SUMMARY_INCOMPATIBLE;
    }
    return edgekit::aggregate::MergeSummaries(&dst->summary, src->summary).ok()
               ? EDGEKIT_OK
               : EDGEKIT_E_SUMMARY_INCOMPATIBLE;
  } catch (const std::bad_alloc&) {
    return EDGEKIT_E_NO_MEMORY;
  }
}

edgekit_status edgekit_summary_window(const edgekit_summary* summary,
                                      uint64_t* out_start_ms,
                                      uint64_t* out_end_ms) {
  if (summary == nullptr || out_start_ms == nullptr || out_end_ms == nullptr) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  *out_start_ms = summary->summary.window_start_ms;
  *out_end_ms = summary->summary.window_end_ms;
  return EDGEKIT_OK;
}

edgekit_status edgekit_summary_total_count(const edgekit_summary* summary,
                                           uint64_t* out_count) {
  if (summary == nullptr || out_count == nullptr)
    return EDGEKIT_E_INVALID_ARGUMENT;
  uint64_t n =
      summary->summary.has_overflow ? summary->summary.overflow.count : 0;
  for (const auto& k : summary->summary.keys) n += k.count;
  *out_count = n;
  return EDGEKIT_OK;
}

edgekit_status edgekit_summary_key_count(const edgekit_summary* summary,
                                         uint64_t* out_count, const char* key,
                                         size_t key_len) {
  if (summary == nullptr || out_count == nullptr ||
      (key == nullptr && key_len != 0)) {
    return EDGEKIT_E_INVALID_ARGUMENT;
  }
  const auto* k = summary->summary.Find(std::string_view(key, key_len));
  *out_count = k ? k->count : 0;
  return EDGEKIT_OK;
}

void edgekit_summary_free(edgekit_summary* summary) { delete summary; }

}  // extern "C"
