// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The lock-free table on one thread: shapes, find/insert, collisions, full,
// key limits, and a claimer that died mid-insert.

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "region/region.h"

namespace edgekit::region {
namespace {

class Mem {
 public:
  explicit Mem(const TableShape& shape) : shape_(shape) {
    EXPECT_TRUE(ValidateShape(shape).ok());
    bytes_ = TableBytes(shape);
    p_ = std::aligned_alloc(64, (bytes_ + 63) & ~size_t{63});
    std::memset(p_, 0xa5, bytes_);  // Format must not rely on zeroed memory
    Table::Format(p_, shape);
    table_ = Table(p_, shape);
  }
  ~Mem() { std::free(p_); }
  Table& table() { return table_; }

 private:
  TableShape shape_;
  size_t bytes_;
  void* p_;
  Table table_;
};

TableShape Small(uint64_t slots, uint32_t key_len = 16, uint32_t words = 2) {
  TableShape s;
  s.num_slots = slots;
  s.max_key_len = key_len;
  s.value_words = words;
  s.max_probes = static_cast<uint32_t>(slots);
  return s;
}

TEST(Shape, ValidatesBounds) {
  EXPECT_TRUE(ValidateShape(Small(1)).ok());
  EXPECT_FALSE(ValidateShape(Small(0)).ok());
  TableShape s = Small(8);
  s.max_probes = 9;
  EXPECT_FALSE(ValidateShape(s).ok());
  s.max_probes = 0;
  EXPECT_FALSE(ValidateShape(s).ok());
  s = Small(8, kMaxKeyLen + 1);
  EXPECT_FALSE(ValidateShape(s).ok());
  s = Small(8, 16, kMaxValueWords + 1);
  EXPECT_FALSE(ValidateShape(s).ok());
  s = Small(kMaxSlots + 1);
  s.max_probes = 1;
  EXPECT_FALSE(ValidateShape(s).ok());
  s = Small(kMaxSlots, kMaxKeyLen, kMaxValueWords);
  s.max_probes = 1024;
  EXPECT_TRUE(ValidateShape(s).ok());  // 2^32 slots of ~4.6 KB fit in size_t
}

TEST(Shape, SlotSizeAndCapacity) {
  // The inventory buyer record: 44 key bytes and one word in 64 bytes.
  EXPECT_EQ(SlotSize(Small(1, 44, 1)), 64u);
  EXPECT_EQ(SlotSize(Small(1, 0, 0)), 16u);
  TableShape s = ShapeFor(1000, 16, 1, 0);
  EXPECT_EQ(s.num_slots, 1250u);
  EXPECT_EQ(s.max_probes, 1024u);
  EXPECT_TRUE(ValidateShape(s).ok());
  EXPECT_EQ(ShapeFor(0, 16, 1, 0).num_slots, 2u);
  EXPECT_FALSE(ValidateShape(ShapeFor(kMaxSlots, 16, 1, 0)).ok());
}

TEST(Table, InsertThenFind) {
  Mem m(ShapeFor(100, 16, 2, 42));
  Table& t = m.table();
  Table::Slot a, b, c;
  EXPECT_EQ(t.Find("apple", &a), Table::Result::kNotFound);
  ASSERT_EQ(t.FindOrInsert("apple", &a), Table::Result::kInserted);
  a.values[0].fetch_add(5);
  ASSERT_EQ(t.FindOrInsert("apple", &b), Table::Result::kFound);
  EXPECT_EQ(a.index, b.index);
  EXPECT_EQ(b.values[0].load(), 5u);
  ASSERT_EQ(t.Find("apple", &c), Table::Result::kFound);
  EXPECT_EQ(c.index, a.index);
  EXPECT_EQ(t.key(a.index), "apple");
  EXPECT_EQ(t.state(a.index), SlotState::kReady);
}

TEST(Table, InitRunsOnlyOnInsert) {
  Mem m(ShapeFor(10, 16, 2, 0));
  int calls = 0;
  auto init = [&](std::atomic<uint64_t>* v) {
    ++calls;
    v[1].store(77);
  };
  Table::Slot s;
  ASSERT_EQ(m.table().FindOrInsert("k", m.table().Hash("k"), &s, init),
            Table::Result::kInserted);
  ASSERT_EQ(m.table().FindOrInsert("k", m.table().Hash("k"), &s, init),
            Table::Result::kFound);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(s.values[1].load(), 77u);
}

TEST(Table, KeysOfEveryLengthAndEmptyKey) {
  Mem m(ShapeFor(64, 40, 1, 0));
  std::vector<std::string> keys;
  for (int len = 0; len <= 40; ++len) keys.push_back(std::string(len, 'k'));
  for (auto& k : keys) {
    Table::Slot s;
    ASSERT_EQ(m.table().FindOrInsert(k, &s), Table::Result::kInserted)
        << k.size();
    s.values[0].store(k.size());
  }
  for (auto& k : keys) {
    Table::Slot s;
    ASSERT_EQ(m.table().Find(k, &s), Table::Result::kFound);
    EXPECT_EQ(s.values[0].load(), k.size());
    EXPECT_EQ(m.table().key(s.index), k);
  }
  Table::Slot s;
  EXPECT_EQ(m.table().FindOrInsert(std::string(41, 'k'), &s),
            Table::Result::kKeyTooLong);
  EXPECT_EQ(m.table().Find(std::string(41, 'k'), &s),
            Table::Result::kKeyTooLong);
}

TEST(Table, BinaryKeysWithEmbeddedZeros) {
  Mem m(ShapeFor(8, 8, 1, 0));
  Table::Slot a, b;
  ASSERT_EQ(m.table().FindOrInsert(std::string_view("\0\0a", 3), &a),
            Table::Result::kInserted);
  ASSERT_EQ(m.table().FindOrInsert(std::string_view("\0\0b", 3), &b),
            Table::Result::kInserted);
  EXPECT_NE(a.index, b.index);
}

TEST(Table, SameHashDifferentKeysGetDifferentSlots) {
  // Forcing one hash for every key exercises the "same hash, other key" path
  // and wrap-around probing.
  Mem m(Small(4));
  Table& t = m.table();
  const uint64_t h = ~uint64_t{0};  // starts at the last slot
  Table::Slot s[4];
  const char* keys[] = {"a", "b", "c", "d"};
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(t.FindOrInsert(keys[i], h, &s[i]), Table::Result::kInserted);
  }
  EXPECT_EQ(s[0].index, 3u);
  EXPECT_EQ(s[1].index, 0u);  // wrapped
  for (int i = 0; i < 4; ++i) {
    Table::Slot f;
    ASSERT_EQ(t.Find(keys[i], h, &f), Table::Result::kFound);
    EXPECT_EQ(f.index, s[i].index);
  }
  Table::Slot f;
  EXPECT_EQ(t.FindOrInsert("e", h, &f), Table::Result::kFull);
  EXPECT_EQ(t.Find("e", h, &f), Table::Result::kNotFound);
  EXPECT_EQ(t.FindOrInsert("a", h, &f), Table::Result::kFound);
}

// Keys are compared in 8-byte words with an overlapping last word (4-byte
// words under 8 bytes, bytes under 4): under one forced hash, keys of every
// length that differ in a single byte, at every position, are different keys.
TEST(Table, SameHashKeysDifferingInOneByteAreDifferentKeys) {
  const uint64_t h = 42;
  for (size_t len : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40}) {
    for (size_t pos = 0; pos < len; ++pos) {
      Mem m(Small(2, 40));
      Table& t = m.table();
      const std::string a(len, 'k');
      std::string b = a;
      b[pos] = 'j';
      Table::Slot sa, sb, f;
      ASSERT_EQ(t.FindOrInsert(a, h, &sa), Table::Result::kInserted);
      EXPECT_EQ(t.Find(b, h, &f), Table::Result::kNotFound)
          << len << " " << pos;
      ASSERT_EQ(t.FindOrInsert(b, h, &sb), Table::Result::kInserted)
          << len << " " << pos;
      EXPECT_NE(sa.index, sb.index);
      ASSERT_EQ(t.Find(a, h, &f), Table::Result::kFound);
      EXPECT_EQ(f.index, sa.index);
    }
  }
}

// KeyIs checks a slot index kept outside the region: only a ready slot
// holding exactly that key answers true.
TEST(Table, KeyIsChecksACachedSlotIndex) {
  Mem m(Small(4, 40));
  Table& t = m.table();
  Table::Slot a;
  const std::string key = "sku-0123456789abcdef";
  ASSERT_EQ(t.FindOrInsert(key, 7, &a), Table::Result::kInserted);
  EXPECT_TRUE(t.KeyIs(a.index, key));
  EXPECT_FALSE(t.KeyIs(a.index, key.substr(0, key.size() - 1)));
  EXPECT_FALSE(t.KeyIs(a.index, key + "x"));
  EXPECT_FALSE(t.KeyIs(a.index, "sku-0123456789abcdeF"));
  EXPECT_FALSE(t.KeyIs(a.index, std::string(41, 's')));  // over max_key_len
  const uint64_t other = (a.index + 1) % 4;
  EXPECT_EQ(t.state(other), SlotState::kEmpty);
  EXPECT_FALSE(t.KeyIs(other, ""));  // an empty slot holds no key
  // A slot whose claimer is still writing its key is not ready.
  t.state_word(other)->store(Table::EncodeState(SlotState::kClaiming, 7));
  EXPECT_FALSE(t.KeyIs(other, ""));
}

TEST(Table, ProbeLimitBoundsTheSearch) {
  TableShape shape = Small(16);
  shape.max_probes = 2;
  Mem m(shape);
  Table::Slot s;
  ASSERT_EQ(m.table().FindOrInsert("a", 0, &s), Table::Result::kInserted);
  ASSERT_EQ(m.table().FindOrInsert("b", 0, &s), Table::Result::kInserted);
  EXPECT_EQ(m.table().FindOrInsert("c", 0, &s), Table::Result::kFull);
  EXPECT_EQ(m.table().Find("c", 0, &s), Table::Result::kNotFound);
}

TEST(Table, FillsToCapacityThenReportsFull) {
  TableShape shape = ShapeFor(1000, 16, 1, 7);
  Mem m(shape);
  Table::Slot s;
  uint64_t inserted = 0;
  for (int i = 0; i < 2000; ++i) {
    auto r = m.table().FindOrInsert("key-" + std::to_string(i), &s);
    if (r == Table::Result::kFull) break;
    ASSERT_EQ(r, Table::Result::kInserted);
    ++inserted;
  }
  EXPECT_GE(inserted, 1000u);
  EXPECT_LE(inserted, shape.num_slots);
  for (uint64_t i = 0; i < inserted; ++i) {
    ASSERT_EQ(m.table().Find("key-" + std::to_string(i), &s),
              Table::Result::kFound);
  }
  uint64_t ready = 0;
  m.table().ForEach(
      [&](uint64_t, std::string_view, std::atomic<uint64_t>*) { ++ready; });
  EXPECT_EQ(ready, inserted);
}

TEST(Table, DeadClaimOfAnotherHashIsSkipped) {
  Mem m(Small(4));
  Table& t = m.table();
  // A process died claiming slot 0 for hash 5; our key starts there too.
  t.state_word(0)->store(Table::EncodeState(SlotState::kClaiming, 5));
  Table::Slot s;
  ASSERT_EQ(t.FindOrInsert("x", 0, &s), Table::Result::kInserted);
  EXPECT_EQ(s.index, 1u);
  EXPECT_EQ(t.state(0), SlotState::kClaiming);  // untouched: not our hash
}

TEST(Table, DeadClaimOfTheSameHashIsRetiredAfterTheWait) {
  Mem m(Small(4));
  Table& t = m.table();
  t.state_word(0)->store(Table::EncodeState(SlotState::kClaiming, 0));
  Table::Slot s;
  ASSERT_EQ(t.FindOrInsert("x", 0, &s), Table::Result::kInserted);
  EXPECT_EQ(s.index, 1u);
  EXPECT_EQ(t.state(0), SlotState::kDead);
  EXPECT_EQ(t.key(0), "");
  ASSERT_EQ(t.FindOrInsert("x", 0, &s), Table::Result::kFound);
  EXPECT_EQ(s.index, 1u);
}

TEST(Table, ResetEmptiesTheTable) {
  Mem m(ShapeFor(10, 8, 1, 0));
  Table::Slot s;
  ASSERT_EQ(m.table().FindOrInsert("a", &s), Table::Result::kInserted);
  s.values[0].store(9);
  m.table().Reset();
  EXPECT_EQ(m.table().Find("a", &s), Table::Result::kNotFound);
  ASSERT_EQ(m.table().FindOrInsert("a", &s), Table::Result::kInserted);
  EXPECT_EQ(s.values[0].load(), 0u);
}

TEST(Table, HostileKeyLengthIsClamped) {
  Mem m(Small(2, 8, 0));
  Table::Slot s;
  ASSERT_EQ(m.table().FindOrInsert("abc", &s), Table::Result::kInserted);
  // Simulate a corrupted region: a key length beyond the key area.
  auto* raw = reinterpret_cast<uint8_t*>(m.table().state_word(s.index));
  const uint32_t bad = 0xffffffff;
  std::memcpy(raw + 8, &bad, 4);
  EXPECT_EQ(m.table().key(s.index).size(), 8u);
  EXPECT_EQ(m.table().Find("abc", &s), Table::Result::kNotFound);
}

}  // namespace
}  // namespace edgekit::region
