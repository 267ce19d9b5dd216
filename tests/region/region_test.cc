// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Header and layout: every way attach can be handed the wrong memory.

#include "region/region.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "gtest/gtest.h"

namespace edgekit::region {
namespace {

struct Aligned {
  explicit Aligned(size_t n)
      : p(static_cast<uint8_t*>(
            std::aligned_alloc(kRegionAlign, (n + 63) & ~size_t{63}))),
        len(n) {
    std::memset(p, 0, len);
  }
  ~Aligned() { std::free(p); }
  uint8_t* p;
  size_t len;
};

Descriptor Sample(uint64_t size) {
  Descriptor d;
  d.kind = kKindInventory;
  d.kind_version = 7;
  d.total_size = size;
  for (size_t i = 0; i < kNumParams; ++i) d.params[i] = 1000 + i;
  return d;
}

TEST(Header, RoundTrips) {
  Aligned m(4096);
  WriteHeader(m.p, Sample(4096));
  auto d = ReadHeader(m.p, m.len, kKindInventory, 7);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->total_size, 4096u);
  EXPECT_EQ(d->params[0], 1000u);
  EXPECT_EQ(d->params[kNumParams - 1], 1000u + kNumParams - 1);
}

TEST(Header, RefusesNullMisalignedAndShortMemory) {
  Aligned m(4096);
  WriteHeader(m.p, Sample(4096));
  EXPECT_EQ(ReadHeader(nullptr, 4096, kKindInventory, 7).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadHeader(m.p + 8, 4000, kKindInventory, 7).status().code(),
            absl::StatusCode::kInvalidArgument);
  for (size_t len : {size_t{0}, size_t{1}, kHeaderSize - 1}) {
    EXPECT_EQ(ReadHeader(m.p, len, kKindInventory, 7).status().code(),
              absl::StatusCode::kFailedPrecondition)
        << len;
  }
}

TEST(Header, RefusesZeroedMemory) {
  Aligned m(4096);
  EXPECT_EQ(ReadHeader(m.p, m.len, kKindInventory, 7).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(Header, RefusesOtherKindAndVersion) {
  Aligned m(4096);
  WriteHeader(m.p, Sample(4096));
  EXPECT_FALSE(ReadHeader(m.p, m.len, kKindAggregate, 7).ok());
  EXPECT_FALSE(ReadHeader(m.p, m.len, kKindInventory, 8).ok());
  // Another header version, with a checksum that matches it.
  Header h;
  std::memcpy(&h, m.p, sizeof(h));
  h.header_version = kHeaderVersion + 1;
  h.checksum = HashBytes(std::string_view(reinterpret_cast<const char*>(&h),
                                          offsetof(Header, checksum)),
                         kMagic);
  std::memcpy(m.p, &h, sizeof(h));
  auto s = ReadHeader(m.p, m.len, kKindInventory, 7).status();
  EXPECT_NE(std::string(s.message()).find("version"), std::string::npos) << s;
}

TEST(Header, RefusesSizeLargerThanMapping) {
  Aligned m(4096);
  WriteHeader(m.p, Sample(8192));
  EXPECT_FALSE(ReadHeader(m.p, m.len, kKindInventory, 7).ok());
  WriteHeader(m.p, Sample(kHeaderSize - 1));
  EXPECT_FALSE(ReadHeader(m.p, m.len, kKindInventory, 7).ok());
  WriteHeader(m.p, Sample(4096));
  EXPECT_TRUE(ReadHeader(m.p, m.len, kKindInventory, 7).ok());
}

TEST(Header, EveryBitFlipIsCaught) {
  Aligned m(4096);
  WriteHeader(m.p, Sample(4096));
  for (size_t bit = 0; bit < kHeaderSize * 8; ++bit) {
    m.p[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(ReadHeader(m.p, m.len, kKindInventory, 7).ok())
        << "bit " << bit;
    m.p[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  }
  EXPECT_TRUE(ReadHeader(m.p, m.len, kKindInventory, 7).ok());
}

TEST(Header, ReadDoesNotWrite) {
  Aligned m(4096);
  for (size_t i = 0; i < m.len; ++i) m.p[i] = static_cast<uint8_t>(i * 7 + 3);
  std::unique_ptr<uint8_t[]> copy(new uint8_t[m.len]);
  std::memcpy(copy.get(), m.p, m.len);
  EXPECT_FALSE(ReadHeader(m.p, m.len, kKindInventory, 7).ok());
  EXPECT_EQ(std::memcmp(copy.get(), m.p, m.len), 0);
}

TEST(Header, InvalidateMakesAttachFail) {
  Aligned m(4096);
  WriteHeader(m.p, Sample(4096));
  InvalidateHeader(m.p);
  EXPECT_FALSE(ReadHeader(m.p, m.len, kKindInventory, 7).ok());
}

TEST(Layout, AlignsAndDetectsOverflow) {
  Layout l;
  EXPECT_EQ(l.Add(1), kHeaderSize);
  EXPECT_EQ(l.Add(65), kHeaderSize + 64);
  EXPECT_EQ(l.size(), kHeaderSize + 64 + 128);
  EXPECT_TRUE(l.ok());
  l.AddArray(SIZE_MAX / 2, 3);
  EXPECT_FALSE(l.ok());
  Layout l2;
  l2.Add(SIZE_MAX - 10);
  EXPECT_FALSE(l2.ok());
}

TEST(Hash, IsFixedAcrossBuildsAndSpreads) {
  // Pinned values: the hash is part of the memory format.
  EXPECT_EQ(HashBytes("", 0), 0x87dbf1be86c8f838u);
  EXPECT_EQ(HashBytes("sku-0001", 0), 0x99115acc30f31d00u);
  EXPECT_EQ(HashBytes("a longer key of more than 16 bytes", 7),
            0x3f833534a7a8c7adu);
  EXPECT_EQ(HashBytes("abcde", 0), 0x6607dd8c4f9fe6bcu);
  EXPECT_EQ(HashBytes("ab", 0), 0xc654a8773c469575u);
  EXPECT_NE(HashBytes("sku-0001", 0), HashBytes("sku-0001", 1));
  EXPECT_NE(HashBytes(std::string_view("a\0", 2), 0), HashBytes("a", 0));
  std::set<uint64_t> seen;
  std::string key(40, 'x');
  for (int i = 0; i < 20000; ++i) {
    std::memcpy(key.data(), &i, sizeof(i));
    key.resize(4 + i % 37);
    seen.insert(HashBytes(key, 0) >> 44);  // top 20 bits
    key.resize(40, 'x');
  }
  // 20000 keys into 2^20 buckets: a good hash collides ~190 times.
  EXPECT_GT(seen.size(), 19500u);
}

}  // namespace
}  // namespace edgekit::region
