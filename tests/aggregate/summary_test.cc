// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Summaries: the wire format round-trips and is pinned by committed fixtures;
// every malformed shape is refused with a status; merge obeys its laws.

#include "aggregate/summary.h"

#include <gtest/gtest.h>

#define PICOJSON_USE_INT64
#include <picojson.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "aggregate/hash.h"
#include "test_util.h"

namespace edgekit::aggregate {
namespace {

using testing::AddEvent;
using testing::CounterConfig;
using testing::FullConfig;
using testing::RandomSummary;

// The committed fixtures, read (and, with EDGEKIT_WRITE_GOLDEN=1, rewritten)
// in the source tree.
std::string DataPath(const std::string& name) {
  return std::string(EDGEKIT_SOURCE_DIR) + "/tests/aggregate/data/" + name;
}

// The fixtures: three shapes a node emits, built deterministically.
Summary Golden(int which) {
  std::mt19937_64 rng(1234 + which);
  switch (which) {
    case 0:
      return RandomSummary(rng, CounterConfig(), 50, 2000, 1767225600000);
    case 1:
      return RandomSummary(rng, FullConfig(), 20, 5000, 1767225601000);
    default: {
      SummaryConfig c;
      c.values = true;
      c.hll_lg_k = 8;
      Summary s = RandomSummary(rng, c, 5, 100000, 1767225602000);
      // A key that is not printable text.
      AddEvent(&s, std::string("\x00\xff/bin", 6), -7, Hash64("x"));
      return s;
    }
  }
}

const char* kGoldenFiles[] = {"counters_v1.bin", "full_v1.bin",
                              "values_hll_v1.bin"};

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(SummaryWire, GoldenFixturesPinTheFormat) {
  for (int i = 0; i < 3; ++i) {
    const std::string bytes = SerializeSummary(Golden(i));
    const std::string path = DataPath(kGoldenFiles[i]);
    if (std::getenv("EDGEKIT_WRITE_GOLDEN")) {
      std::ofstream(path, std::ios::binary) << bytes;
    }
    const std::string committed = ReadFile(path);
    ASSERT_FALSE(committed.empty()) << path;
    EXPECT_EQ(bytes, committed) << kGoldenFiles[i];
    auto parsed = ParseSummary(committed);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, Golden(i));
    EXPECT_EQ(SerializeSummary(*parsed), committed);
  }
}

TEST(SummaryWire, RoundTripsEveryShape) {
  std::mt19937_64 rng(99);
  std::vector<SummaryConfig> configs = {CounterConfig(), FullConfig()};
  SummaryConfig lg4;
  lg4.hll_lg_k = 4;
  configs.push_back(lg4);
  SummaryConfig lg16 = FullConfig();
  lg16.hll_lg_k = 16;
  lg16.quantile_alpha_ppm = 500;
  lg16.quantile_buckets = 30000;
  configs.push_back(lg16);
  for (const SummaryConfig& c : configs) {
    for (int keys : {0, 1, 300}) {
      Summary s = RandomSummary(rng, c, std::max(keys, 1), keys * 20, 5000);
      if (keys == 0) s.keys.clear();
      const std::string bytes = SerializeSummary(s);
      auto parsed = ParseSummary(bytes);
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(*parsed, s);
      EXPECT_EQ(SerializeSummary(*parsed), bytes);
    }
  }
  Summary empty;
  auto parsed = ParseSummary(SerializeSummary(empty));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, empty);
}

TEST(SummaryWire, CounterOnlySummaryIsCompact) {
  Summary s;
  for (int i = 0; i < 1000; ++i) {
    AddEvent(&s, "/p/" + std::to_string(i), 0, 0);
  }
  // Preamble and header, then ~1 byte of length, the key, and 1 byte count.
  EXPECT_LT(SerializeSummary(s).size(), 8000u);
}

TEST(SummaryWire, EveryTruncationIsRefused) {
  for (int i = 0; i < 3; ++i) {
    const std::string bytes = SerializeSummary(Golden(i));
    // Every cut of the small fixtures; of the 12 KB one, every cut in its
    // header and first records, then every 7th (still each field kind).
    // Sanitizer builds take every 3rd cut (every one in Release).
    const size_t step = testing::kStreamDivisor > 1 ? 3 : 1;
    for (size_t n = 0; n < bytes.size(); n += (i == 1 && n > 1024) ? 7 : step) {
      auto parsed = ParseSummary(std::string_view(bytes.data(), n));
      ASSERT_FALSE(parsed.ok()) << "prefix " << n << " of " << bytes.size();
    }
  }
}

TEST(SummaryWire, BitFlipsNeverCrashAndReSerialiseCanonically) {
  // The two small fixtures cover every field kind; the larger one's HLL
  // registers are sampled at every 3rd byte past its first records.
  for (int which : {0, 2}) {
    const std::string bytes = SerializeSummary(Golden(which));
    int accepted = 0;
    const size_t step = testing::kStreamDivisor > 1 ? 3 : 1;
    for (size_t i = 0; i < bytes.size();
         i += (which == 2 && i > 256) ? 3 : step) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string m = bytes;
        m[i] = static_cast<char>(m[i] ^ (1 << bit));
        auto parsed = ParseSummary(m);
        if (!parsed.ok()) continue;
        ++accepted;  // a flipped count or register is still a valid summary
        auto again = ParseSummary(SerializeSummary(*parsed));
        ASSERT_TRUE(again.ok());
        EXPECT_EQ(*again, *parsed);
      }
    }
    EXPECT_GT(accepted, 0);
  }
}

// Hand-built inputs for each malformed shape.
class Bytes {
 public:
  Bytes& Raw(std::string_view s) {
    out_.append(s.data(), s.size());
    return *this;
  }
  Bytes& U8(uint8_t v) {
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  Bytes& V(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  Bytes& Preamble(uint16_t flags) {
    return Raw("EKSM").U8(1).U8(1).U8(flags & 0xff).U8(flags >> 8);
  }
  std::string str() const { return out_; }

 private:
  std::string out_;
};

absl::StatusCode Code(const std::string& b) {
  return ParseSummary(b).status().code();
}

constexpr auto kMalformed = absl::StatusCode::kInvalidArgument;
constexpr auto kTruncated = absl::StatusCode::kOutOfRange;

TEST(SummaryWire, MinimalCounterSummaryParses) {
  // window [1000, 2000), no late updates, one key "a" seen 3 times.
  auto s = ParseSummary(
      Bytes().Preamble(0).V(1000).V(2000).V(0).V(1).V(1).Raw("a").V(3).str());
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->keys.size(), 1u);
  EXPECT_EQ(s->keys[0].count, 3u);
}

TEST(SummaryWire, RefusesEachMalformedShape) {
  auto header = [](uint16_t flags) {
    return Bytes().Preamble(flags).V(1000).V(2000).V(0);
  };
  EXPECT_EQ(Code(""), kTruncated);
  EXPECT_EQ(Code("EKS"), kTruncated);
  EXPECT_EQ(Code(Bytes().Raw("XKSM").U8(1).U8(1).U8(0).U8(0).str()),
            kMalformed);
  EXPECT_EQ(Code(Bytes().Raw("EKSM").U8(2).U8(1).U8(0).U8(0).str()),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(Code(Bytes().Raw("EKSM").U8(1).U8(9).U8(0).U8(0).str()),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(Code(Bytes().Preamble(32).V(0).V(0).V(0).V(0).str()), kMalformed);
  EXPECT_EQ(Code(Bytes().Preamble(0).V(2000).V(1000).V(0).V(0).str()),
            kMalformed);  // window ends before it starts
  // Varints: 11 bytes, beyond 64 bits, redundant zero group.
  EXPECT_EQ(Code(Bytes().Preamble(0).Raw(std::string(10, '\x80')).U8(0).str()),
            kMalformed);
  EXPECT_EQ(Code(Bytes().Preamble(0).Raw(std::string(9, '\xff')).U8(2).str()),
            kMalformed);
  EXPECT_EQ(Code(Bytes().Preamble(0).U8(0x81).U8(0).str()), kMalformed);
  // A key count no input of this size could hold: refused before reserving.
  EXPECT_EQ(Code(header(0).V(uint64_t{1} << 60).str()), kTruncated);
  // Keys out of order, repeated, empty record, key too long.
  EXPECT_EQ(Code(header(0).V(2).V(1).Raw("b").V(1).V(1).Raw("a").V(1).str()),
            kMalformed);
  EXPECT_EQ(Code(header(0).V(2).V(1).Raw("a").V(1).V(1).Raw("a").V(1).str()),
            kMalformed);
  EXPECT_EQ(Code(header(0).V(1).V(1).Raw("a").V(0).str()), kMalformed);
  EXPECT_EQ(Code(header(0).V(1).V(5000).Raw(std::string(5000, 'k')).V(1).str()),
            kMalformed);
  EXPECT_EQ(Code(header(0).V(1).V(3).Raw("a").str()), kTruncated);
  // Values: min above max.
  EXPECT_EQ(Code(header(1).V(1).V(1).Raw("a").V(1).V(0).V(10).V(2).str()),
            kMalformed);
  // HLL: lg_k out of range, unknown mode, register too high, index out of
  // range, indexes not increasing, dense padding bits set.
  auto hll = [&](uint8_t lg_k) {
    return header(2).U8(lg_k).V(1).V(1).Raw("a").V(1);
  };
  EXPECT_EQ(Code(header(2).U8(17).V(0).str()), kMalformed);
  EXPECT_EQ(Code(header(2).U8(3).V(0).str()), kMalformed);
  EXPECT_EQ(Code(hll(4).U8(3).str()), kMalformed);
  EXPECT_EQ(Code(hll(4).U8(1).V(1).V(2).U8(31).str()), kMalformed);
  EXPECT_EQ(Code(hll(4).U8(1).V(1).V(2).U8(0).str()), kMalformed);
  EXPECT_EQ(Code(hll(4).U8(1).V(1).V(16).U8(1).str()), kMalformed);
  EXPECT_EQ(Code(hll(4).U8(1).V(2).V(3).U8(1).V(0).U8(1).str()), kMalformed);
  EXPECT_EQ(Code(hll(4).U8(1).V(0).str()), kMalformed);
  EXPECT_TRUE(
      ParseSummary(hll(4).U8(1).V(2).V(3).U8(1).V(1).U8(30).str()).ok());
  EXPECT_TRUE(ParseSummary(hll(4).U8(2).Raw(std::string(10, '\0')).str()).ok());
  EXPECT_EQ(Code(hll(4).U8(2).Raw(std::string(9, '\0')).str()), kTruncated);
  EXPECT_EQ(Code(hll(4).U8(2).Raw(std::string(9, '\0')).U8(0xff).str()),
            kMalformed);  // a dense register of 31
  // Quantiles: configuration, bucket index, order, empty bucket.
  auto q = [&]() {
    return header(5).V(10000).V(100).V(1).V(1).Raw("a").V(1).V(0).V(5).V(5);
  };
  EXPECT_EQ(Code(header(5).V(0).V(100).V(0).str()), kMalformed);
  EXPECT_EQ(Code(header(4).V(10000).V(100).V(0).str()),
            kMalformed);  // no values
  EXPECT_EQ(Code(header(5).V(10000).V(1000000).V(0).str()), kMalformed);
  EXPECT_EQ(Code(q().V(0).V(1).V(100).V(1).str()), kMalformed);
  EXPECT_EQ(Code(q().V(0).V(2).V(5).V(1).V(0).V(1).str()), kMalformed);
  EXPECT_EQ(Code(q().V(0).V(1).V(5).V(0).str()), kMalformed);
  EXPECT_EQ(Code(q().V(0).V(101).str()), kMalformed);
  EXPECT_TRUE(ParseSummary(q().V(0).V(2).V(5).V(1).V(3).V(1).str()).ok());
  // Top-k: k of zero, lower above upper, keys out of order, huge count.
  auto top = [&]() { return header(8).V(3).V(0); };
  EXPECT_EQ(Code(header(8).V(0).V(0).str()), kMalformed);
  EXPECT_EQ(Code(top().V(0).V(1).V(1).Raw("a").V(1).V(2).str()), kMalformed);
  EXPECT_EQ(Code(top()
                     .V(0)
                     .V(2)
                     .V(1)
                     .Raw("b")
                     .V(1)
                     .V(1)
                     .V(1)
                     .Raw("a")
                     .V(1)
                     .V(1)
                     .str()),
            kMalformed);
  EXPECT_EQ(Code(top().V(0).V(uint64_t{1} << 40).str()), kTruncated);
  EXPECT_TRUE(ParseSummary(top().V(0).V(1).V(1).Raw("a").V(2).V(1).str()).ok());
  // Overflow record must be present when flagged; nothing may trail.
  EXPECT_EQ(Code(header(16).V(0).str()), kTruncated);
  EXPECT_TRUE(ParseSummary(header(16).V(0).V(4).str()).ok());
  EXPECT_EQ(Code(header(0).V(0).U8(0).str()), kMalformed);
}

TEST(SummaryMerge, CommutativeAssociativeAndExact) {
  std::mt19937_64 rng(7);
  for (const SummaryConfig& c : {FullConfig(), CounterConfig()}) {
    for (int trial = 0; trial < 10; ++trial) {
      Summary a = RandomSummary(rng, c, 40, 800, 1000);
      Summary b = RandomSummary(rng, c, 60, 1500, 2000);
      Summary d = RandomSummary(rng, c, 10, 300, 500);
      Summary ab = a;
      ASSERT_TRUE(MergeSummaries(&ab, b).ok());
      Summary ba = b;
      ASSERT_TRUE(MergeSummaries(&ba, a).ok());
      EXPECT_EQ(ab, ba);
      Summary ab_d = ab;
      ASSERT_TRUE(MergeSummaries(&ab_d, d).ok());
      Summary bd = b;
      ASSERT_TRUE(MergeSummaries(&bd, d).ok());
      Summary a_bd = a;
      ASSERT_TRUE(MergeSummaries(&a_bd, bd).ok());
      EXPECT_EQ(ab_d, a_bd);
      // Exact parts.
      uint64_t total = 0, merged_total = 0;
      for (const Summary* s : {&a, &b, &d}) {
        for (const auto& k : s->keys) total += k.count;
        total += s->overflow.count;
      }
      for (const auto& k : ab_d.keys) merged_total += k.count;
      merged_total += ab_d.overflow.count;
      EXPECT_EQ(merged_total, total);
      EXPECT_EQ(ab_d.window_start_ms, 500u);
      EXPECT_EQ(ab_d.window_end_ms, 3000u);
      // Identity.
      Summary id;
      id.config = c;
      Summary a_id = a;
      ASSERT_TRUE(MergeSummaries(&a_id, id).ok());
      EXPECT_EQ(a_id, a);
      // Through the wire.
      auto wire = ParseSummary(SerializeSummary(ab_d));
      ASSERT_TRUE(wire.ok());
      EXPECT_EQ(*wire, ab_d);
    }
  }
}

TEST(SummaryMerge, KeyStatsCombineExactly) {
  Summary a, b;
  a.config = b.config = FullConfig();
  AddEvent(&a, "k", 10, Hash64("u1"));
  AddEvent(&a, "k", 30, Hash64("u2"));
  AddEvent(&b, "k", -4, Hash64("u1"));
  AddEvent(&b, "other", 7, Hash64("u3"));
  ASSERT_TRUE(MergeSummaries(&a, b).ok());
  const KeyStats* k = a.Find("k");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->count, 3u);
  EXPECT_EQ(k->sum, 36);
  EXPECT_EQ(k->min, -4);
  EXPECT_EQ(k->max, 30);
  EXPECT_NEAR(k->hll.Estimate(), 2.0, 0.01);
  EXPECT_EQ(k->quantiles.total(), 3u);
  EXPECT_NE(a.Find("other"), nullptr);
}

TEST(SummaryMerge, RefusesDifferentConfigurations) {
  Summary a, b;
  a.config = FullConfig();
  b.config = FullConfig();
  b.config.hll_lg_k = 11;
  AddEvent(&a, "k", 1, 1);
  const Summary before = a;
  EXPECT_EQ(MergeSummaries(&a, b).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(a, before);
}

TEST(SummaryJson, CarriesCountsSketchesAndTopK) {
  Summary s;
  s.config = FullConfig();
  s.window_start_ms = 1000;
  s.window_end_ms = 2000;
  for (int i = 0; i < 1000; ++i) {
    AddEvent(&s, "/a", i + 1, Hash64("u" + std::to_string(i % 100)));
  }
  AddEvent(&s, std::string("\x01\x02", 2), 5, 1);
  AddEvent(&s, "", 5, 1, /*overflow=*/true);
  testing::ExactTopK(&s);
  picojson::value v;
  const std::string err = picojson::parse(v, SummaryToJson(s));
  ASSERT_TRUE(err.empty()) << err;
  const auto& root = v.get<picojson::object>();
  EXPECT_EQ(root.at("window_end_ms").get<int64_t>(), 2000);
  const auto& keys = root.at("keys").get<picojson::array>();
  ASSERT_EQ(keys.size(), 2u);
  const auto& a = keys[1].get<picojson::object>();
  EXPECT_EQ(a.at("key").get<std::string>(), "/a");
  EXPECT_EQ(a.at("count").get<int64_t>(), 1000);
  EXPECT_EQ(a.at("sum").get<int64_t>(), 500500);
  EXPECT_NEAR(a.at("distinct").get<double>(), 100, 5);
  const auto& q = a.at("quantiles").get<picojson::object>();
  EXPECT_NEAR(q.at("p50").get<double>(), 500, 500 * 0.01 + 1);
  EXPECT_NEAR(q.at("p999").get<double>(), 999, 999 * 0.01 + 1);
  EXPECT_EQ(keys[0].get<picojson::object>().at("key_b64").get<std::string>(),
            "AQI");
  EXPECT_EQ(
      root.at("overflow").get<picojson::object>().at("count").get<int64_t>(),
      1);
  const auto& top = root.at("top").get<picojson::array>();
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].get<picojson::object>().at("key").get<std::string>(), "/a");
}

}  // namespace
}  // namespace edgekit::aggregate
