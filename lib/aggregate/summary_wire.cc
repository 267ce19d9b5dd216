// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The binary form of a summary, format version 1. Integers are unsigned
// LEB128 varints (at most 10 bytes, no redundant high groups) unless noted;
// signed values are zigzag-encoded first. Layout:
//
//   preamble   "EKSM", u8 format version (1), u8 family (1 = window summary),
//              u16 little-endian flags: 1 VALUES, 2 HLL, 4 QUANTILES, 8 TOPK,
//              16 OVERFLOW; any other bit set is an error
//   header     window_start_ms, window_end_ms (>= start), late_updates,
//              [HLL] u8 lg_k (4..16), [QUANTILES] alpha_ppm, bucket_count,
//              [TOPK] k, num_keys
//   key record key_len (0..4096), key bytes, then the record body
//   body       count (>= 1); [VALUES] sum, min, max (zigzag; min <= max);
//              [HLL] u8 mode: 0 empty, 1 sparse = n (1..m) then n x (index
//              delta, u8 value 1..30), 2 dense = ceil(5m/8) bytes holding
//              register i in bits 5i..5i+4, least significant bit first;
//              [QUANTILES] zero_count, n, n x (index delta, count >= 1)
//   overflow   [OVERFLOW] one body, without key
//   top-k      [TOPK] threshold, n, n x (key_len, key bytes, upper, lower)
//
// Keys (records and top-k) are strictly increasing bytewise, which makes
// them unique; index deltas are strictly positive after the first, which
// makes indexes strictly increasing. Nothing may follow the last field.
// Serialisation is canonical (HLL mode is whichever encoding is smaller), so
// parse then serialise returns the input for anything this code wrote.
//
// Parsing reserves memory only for what the remaining input could hold, so a
// hostile length field costs nothing; decoded memory stays within a constant
// factor (< 100x) of the input size.

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "aggregate/summary.h"

namespace edgekit::aggregate {
namespace {

constexpr char kMagic[4] = {'E', 'K', 'S', 'M'};
constexpr uint8_t kFormatVersion = 1;
constexpr uint8_t kFamilyWindowSummary = 1;
constexpr uint16_t kFlagValues = 1;
constexpr uint16_t kFlagHll = 2;
constexpr uint16_t kFlagQuantiles = 4;
constexpr uint16_t kFlagTopK = 8;
constexpr uint16_t kFlagOverflow = 16;
constexpr uint16_t kKnownFlags = 31;
constexpr uint8_t kHllEmpty = 0;
constexpr uint8_t kHllSparse = 1;
constexpr uint8_t kHllDense = 2;

uint64_t ZigZag(int64_t v) {
  // The sign mask from an unsigned shift: v >> 63 on a signed value is
  // implementation-defined before C++20.
  const uint64_t u = static_cast<uint64_t>(v);
  return (u << 1) ^ (0 - (u >> 63));
}
int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

size_t HllDenseBytes(uint32_t m) { return (size_t{m} * 5 + 7) / 8; }

void PutHll(std::string* out, const HllSketch& hll) {
  if (hll.empty()) {
    out->push_back(static_cast<char>(kHllEmpty));
    return;
  }
  size_t n = 0;
  size_t sparse_bytes = 0;
  uint32_t prev = 0;
  hll.ForEachNonZero([&](uint32_t i, uint8_t) {
    sparse_bytes += VarintSize(n == 0 ? i : i - prev) + 1;
    prev = i;
    ++n;
  });
  sparse_bytes += VarintSize(n);
  const size_t dense_bytes = HllDenseBytes(hll.m());
  if (sparse_bytes < dense_bytes) {
    out->push_back(static_cast<char>(kHllSparse));
    PutVarint(out, n);
    size_t k = 0;
    hll.ForEachNonZero([&](uint32_t i, uint8_t v) {
      PutVarint(out, k++ == 0 ? i : i - prev);
      out->push_back(static_cast<char>(v));
      prev = i;
    });
    return;
  }
  out->push_back(static_cast<char>(kHllDense));
  const size_t start = out->size();
  out->resize(start + dense_bytes, '\0');
  hll.ForEachNonZero([&](uint32_t i, uint8_t v) {
    const size_t bit = size_t{i} * 5;
    const uint32_t shifted = static_cast<uint32_t>(v) << (bit % 8);
    (*out)[start + bit / 8] = static_cast<char>(
        static_cast<uint8_t>((*out)[start + bit / 8]) | (shifted & 0xff));
    if (shifted >> 8) {
      (*out)[start + bit / 8 + 1] = static_cast<char>(
          static_cast<uint8_t>((*out)[start + bit / 8 + 1]) | (shifted >> 8));
    }
  });
}

void PutBody(std::string* out, const SummaryConfig& c, const KeyStats& k) {
  PutVarint(out, k.count);
  if (c.values) {
    PutVarint(out, ZigZag(k.sum));
    PutVarint(out, ZigZag(k.min));
    PutVarint(out, ZigZag(k.max));
  }
  if (c.hll_lg_k != 0) PutHll(out, k.hll);
  if (c.has_quantiles()) {
    PutVarint(out, k.quantiles.zero_count);
    PutVarint(out, k.quantiles.buckets.size());
    uint32_t prev = 0;
    bool first = true;
    for (const auto& [index, count] : k.quantiles.buckets) {
      PutVarint(out, first ? index : index - prev);
      PutVarint(out, count);
      prev = index;
      first = false;
    }
  }
}

void PutBytes(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s.data(), s.size());
}

class Reader {
 public:
  explicit Reader(std::string_view in)
      : p_(in.data()), end_(in.data() + in.size()) {}

  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

  absl::Status Byte(uint8_t* v) {
    if (p_ == end_) return Truncated();
    *v = static_cast<uint8_t>(*p_++);
    return absl::OkStatus();
  }

  absl::Status Varint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p_ == end_) return Truncated();
      const uint8_t b = static_cast<uint8_t>(*p_++);
      if (shift == 63 && b > 1) return Malformed("varint overflows 64 bits");
      result |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift != 0) return Malformed("non-canonical varint");
        *v = result;
        return absl::OkStatus();
      }
    }
    return Malformed("varint longer than 10 bytes");
  }

  absl::Status Bytes(size_t n, std::string_view* out) {
    if (remaining() < n) return Truncated();
    *out = std::string_view(p_, n);
    p_ += n;
    return absl::OkStatus();
  }

  static absl::Status Truncated() {
    return absl::OutOfRangeError("truncated summary");
  }
  static absl::Status Malformed(std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed summary: ", std::string(why)));
  }

 private:
  const char* p_;
  const char* end_;
};

#define EDGEKIT_RETURN_IF_ERROR(expr) \
  do {                                \
    absl::Status _st = (expr);        \
    if (!_st.ok()) return _st;        \
  } while (0)

absl::Status ReadKey(Reader& r, std::string* key) {
  uint64_t len = 0;
  EDGEKIT_RETURN_IF_ERROR(r.Varint(&len));
  if (len > kMaxSummaryKeyLen) return Reader::Malformed("key too long");
  std::string_view bytes;
  EDGEKIT_RETURN_IF_ERROR(r.Bytes(static_cast<size_t>(len), &bytes));
  key->assign(bytes.data(), bytes.size());
  return absl::OkStatus();
}

absl::Status ReadHll(Reader& r, int lg_k, HllSketch* hll) {
  *hll = HllSketch(lg_k);
  const uint32_t m = uint32_t{1} << lg_k;
  uint8_t mode = 0;
  EDGEKIT_RETURN_IF_ERROR(r.Byte(&mode));
  if (mode == kHllEmpty) return absl::OkStatus();
  if (mode == kHllSparse) {
    uint64_t n = 0;
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&n));
    if (n == 0 || n > m) return Reader::Malformed("bad hll entry count");
    if (n > r.remaining() / 2) return Reader::Truncated();
    uint64_t index = 0;
    for (uint64_t k = 0; k < n; ++k) {
      uint64_t delta = 0;
      EDGEKIT_RETURN_IF_ERROR(r.Varint(&delta));
      if (k != 0 && delta == 0) return Reader::Malformed("hll index order");
      index += delta;
      if (delta >= m || index >= m) return Reader::Malformed("hll index");
      uint8_t v = 0;
      EDGEKIT_RETURN_IF_ERROR(r.Byte(&v));
      if (v == 0 || v > kHllMaxRegister) {
        return Reader::Malformed("hll register value");
      }
      hll->Raise(static_cast<uint32_t>(index), v);
    }
    return absl::OkStatus();
  }
  if (mode == kHllDense) {
    std::string_view bytes;
    EDGEKIT_RETURN_IF_ERROR(r.Bytes(HllDenseBytes(m), &bytes));
    for (uint32_t i = 0; i < m; ++i) {
      const size_t bit = size_t{i} * 5;
      uint32_t word = static_cast<uint8_t>(bytes[bit / 8]);
      // 5 x 2^lg_k bits fill whole bytes (lg_k >= 4): there is no padding.
      if (bit / 8 + 1 < bytes.size()) {
        word |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[bit / 8 + 1]))
                << 8;
      }
      const uint8_t v = static_cast<uint8_t>((word >> (bit % 8)) & 31);
      if (v > kHllMaxRegister) return Reader::Malformed("hll register value");
      hll->Raise(i, v);
    }
    return absl::OkStatus();
  }
  return Reader::Malformed("unknown hll mode");
}

absl::Status ReadBody(Reader& r, const SummaryConfig& c, KeyStats* k) {
  EDGEKIT_RETURN_IF_ERROR(r.Varint(&k->count));
  if (k->count == 0) return Reader::Malformed("empty record");
  if (c.values) {
    uint64_t sum = 0, min = 0, max = 0;
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&sum));
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&min));
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&max));
    k->sum = UnZigZag(sum);
    k->min = UnZigZag(min);
    k->max = UnZigZag(max);
    if (k->min > k->max) return Reader::Malformed("min above max");
  }
  if (c.hll_lg_k != 0) {
    EDGEKIT_RETURN_IF_ERROR(ReadHll(r, c.hll_lg_k, &k->hll));
  }
  if (c.has_quantiles()) {
    uint64_t n = 0;
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&k->quantiles.zero_count));
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&n));
    if (n > c.quantile_buckets) return Reader::Malformed("bucket count");
    if (n > r.remaining() / 2) return Reader::Truncated();
    k->quantiles.buckets.reserve(static_cast<size_t>(n));
    uint64_t index = 0;
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t delta = 0, count = 0;
      EDGEKIT_RETURN_IF_ERROR(r.Varint(&delta));
      EDGEKIT_RETURN_IF_ERROR(r.Varint(&count));
      if (i != 0 && delta == 0) return Reader::Malformed("bucket order");
      index += delta;
      if (delta >= c.quantile_buckets || index >= c.quantile_buckets) {
        return Reader::Malformed("bucket index");
      }
      if (count == 0) return Reader::Malformed("empty bucket");
      k->quantiles.buckets.emplace_back(static_cast<uint32_t>(index), count);
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string SerializeSummary(const Summary& s) {
  const SummaryConfig& c = s.config;
  std::string out(kMagic, sizeof kMagic);
  out.push_back(static_cast<char>(kFormatVersion));
  out.push_back(static_cast<char>(kFamilyWindowSummary));
  uint16_t flags = 0;
  if (c.values) flags |= kFlagValues;
  if (c.hll_lg_k != 0) flags |= kFlagHll;
  if (c.has_quantiles()) flags |= kFlagQuantiles;
  if (c.topk_k != 0) flags |= kFlagTopK;
  if (s.has_overflow) flags |= kFlagOverflow;
  out.push_back(static_cast<char>(flags & 0xff));
  out.push_back(static_cast<char>(flags >> 8));
  PutVarint(&out, s.window_start_ms);
  PutVarint(&out, s.window_end_ms);
  PutVarint(&out, s.late_updates);
  if (c.hll_lg_k != 0) out.push_back(static_cast<char>(c.hll_lg_k));
  if (c.has_quantiles()) {
    PutVarint(&out, c.quantile_alpha_ppm);
    PutVarint(&out, c.quantile_buckets);
  }
  if (c.topk_k != 0) PutVarint(&out, c.topk_k);
  PutVarint(&out, s.keys.size());
  for (const KeyStats& k : s.keys) {
    PutBytes(&out, k.key);
    PutBody(&out, c, k);
  }
  if (s.has_overflow) PutBody(&out, c, s.overflow);
  if (c.topk_k != 0) {
    PutVarint(&out, s.topk.threshold);
    PutVarint(&out, s.topk.entries.size());
    for (const TopKEntry& e : s.topk.entries) {
      PutBytes(&out, e.key);
      PutVarint(&out, e.upper);
      PutVarint(&out, e.lower);
    }
  }
  return out;
}

absl::StatusOr<Summary> ParseSummary(std::string_view bytes) {
  Reader r(bytes);
  std::string_view magic;
  EDGEKIT_RETURN_IF_ERROR(r.Bytes(4, &magic));
  if (std::memcmp(magic.data(), kMagic, 4) != 0) {
    return Reader::Malformed("not a summary (bad magic)");
  }
  uint8_t version = 0, family = 0, flags_lo = 0, flags_hi = 0;
  EDGEKIT_RETURN_IF_ERROR(r.Byte(&version));
  EDGEKIT_RETURN_IF_ERROR(r.Byte(&family));
  if (version != kFormatVersion || family != kFamilyWindowSummary) {
    return absl::UnimplementedError(absl::StrCat("summary format version ",
                                                 version, " family ", family,
                                                 " is not supported"));
  }
  EDGEKIT_RETURN_IF_ERROR(r.Byte(&flags_lo));
  EDGEKIT_RETURN_IF_ERROR(r.Byte(&flags_hi));
  const uint16_t flags = static_cast<uint16_t>(flags_lo | (flags_hi << 8));
  if (flags & ~kKnownFlags) return Reader::Malformed("unknown flags");

  Summary s;
  SummaryConfig& c = s.config;
  c.values = flags & kFlagValues;
  EDGEKIT_RETURN_IF_ERROR(r.Varint(&s.window_start_ms));
  EDGEKIT_RETURN_IF_ERROR(r.Varint(&s.window_end_ms));
  if (s.window_end_ms < s.window_start_ms) return Reader::Malformed("window");
  EDGEKIT_RETURN_IF_ERROR(r.Varint(&s.late_updates));
  if (flags & kFlagHll) {
    uint8_t lg_k = 0;
    EDGEKIT_RETURN_IF_ERROR(r.Byte(&lg_k));
    if (lg_k == 0) return Reader::Malformed("hll lg_k");
    c.hll_lg_k = lg_k;
  }
  if (flags & kFlagQuantiles) {
    uint64_t alpha = 0, buckets = 0;
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&alpha));
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&buckets));
    if (alpha == 0 || alpha > kQuantileMaxAlphaPpm || buckets == 0 ||
        buckets > kQuantileMaxBuckets) {
      return Reader::Malformed("quantile configuration");
    }
    c.quantile_alpha_ppm = static_cast<uint32_t>(alpha);
    c.quantile_buckets = static_cast<uint32_t>(buckets);
  }
  if (flags & kFlagTopK) {
    uint64_t k = 0;
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&k));
    if (k == 0 || k > 65535) return Reader::Malformed("top-k k");
    c.topk_k = static_cast<uint32_t>(k);
  }
  if (!ValidateSummaryConfig(c).ok()) {
    return Reader::Malformed("configuration out of range");
  }

  uint64_t num_keys = 0;
  EDGEKIT_RETURN_IF_ERROR(r.Varint(&num_keys));
  // A record takes at least two bytes (key length and count).
  if (num_keys > r.remaining() / 2) return Reader::Truncated();
  s.keys.reserve(static_cast<size_t>(num_keys));
  for (uint64_t i = 0; i < num_keys; ++i) {
    KeyStats k;
    EDGEKIT_RETURN_IF_ERROR(ReadKey(r, &k.key));
    if (i != 0 && !(s.keys.back().key < k.key)) {
      return Reader::Malformed("keys out of order or repeated");
    }
    EDGEKIT_RETURN_IF_ERROR(ReadBody(r, c, &k));
    s.keys.push_back(std::move(k));
  }
  if (flags & kFlagOverflow) {
    s.has_overflow = true;
    EDGEKIT_RETURN_IF_ERROR(ReadBody(r, c, &s.overflow));
  }
  if (c.topk_k != 0) {
    uint64_t n = 0;
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&s.topk.threshold));
    EDGEKIT_RETURN_IF_ERROR(r.Varint(&n));
    if (n > r.remaining() / 3) return Reader::Truncated();
    s.topk.entries.reserve(static_cast<size_t>(n));
    for (uint64_t i = 0; i < n; ++i) {
      TopKEntry e;
      EDGEKIT_RETURN_IF_ERROR(ReadKey(r, &e.key));
      if (i != 0 && !(s.topk.entries.back().key < e.key)) {
        return Reader::Malformed("top-k keys out of order or repeated");
      }
      EDGEKIT_RETURN_IF_ERROR(r.Varint(&e.upper));
      EDGEKIT_RETURN_IF_ERROR(r.Varint(&e.lower));
      if (e.lower > e.upper) return Reader::Malformed("top-k bounds");
      s.topk.entries.push_back(std::move(e));
    }
  }
  if (r.remaining() != 0) return Reader::Malformed("trailing bytes");
  return s;
}

}  // namespace edgekit::aggregate
