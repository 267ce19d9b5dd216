// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit region inspect FILE` (tools/region_cmd.cc) on a real region file,
// on a file that is not a region, and with bad usage.

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "inventory/inventory.h"
#include "picojson.h"
#include "region_cmd.h"

namespace {

using edgekit::inventory::Config;
using edgekit::inventory::Inventory;

int Inspect(const std::string& path) {
  std::string arg0 = "inspect", arg1 = path;
  char* argv[] = {arg0.data(), arg1.data()};
  return RegionInspectMain(2, argv);
}

TEST(RegionInspect, PrintsHeaderAndCountsAsJson) {
  char path[] = "/tmp/edgekit-inspect-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  Config cfg;
  cfg.max_skus = 4;
  cfg.max_holds = 8;
  cfg.hash_seed = 0x5ec7e7;
  const size_t len = *Inventory::RegionSize(cfg);
  ASSERT_EQ(ftruncate(fd, static_cast<off_t>(len)), 0);
  void* mem = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  ASSERT_NE(mem, MAP_FAILED);
  {
    auto inv = Inventory::Format(mem, len, cfg);
    ASSERT_TRUE(inv.ok());
    uint64_t h;
    ASSERT_EQ(inv->SetStock("tv-55", 10), EDGEKIT_OK);
    ASSERT_EQ(inv->SetStock(std::string_view("bin\0\"", 5), 1), EDGEKIT_OK);
    ASSERT_EQ(inv->Acquire("tv-55", "alice", 1, 1000, 100, &h), EDGEKIT_OK);
    ASSERT_EQ(inv->Confirm(h, 1000), EDGEKIT_OK);
    ASSERT_EQ(inv->Acquire("tv-55", "bob", 1, 1000, 100, &h), EDGEKIT_OK);
  }
  msync(mem, len, MS_SYNC);

  testing::internal::CaptureStdout();
  ASSERT_EQ(Inspect(path), 0);
  const std::string out = testing::internal::GetCapturedStdout();
  picojson::value v;
  ASSERT_EQ(picojson::parse(v, out), "") << out;
  EXPECT_EQ(v.get("kind").get<std::string>(), "inventory");
  EXPECT_EQ(v.get("size").get<double>(), static_cast<double>(len));
  EXPECT_EQ(v.get("config").get("max_skus").get<double>(), 4);
  EXPECT_FALSE(v.get("config").contains("hash_seed"));  // may be a secret
  EXPECT_EQ(v.get("holds").get("held").get<double>(), 1);
  const auto& skus = v.get("skus").get<picojson::array>();
  ASSERT_EQ(skus.size(), 2u);
  bool saw_tv = false, saw_bin = false;
  for (const auto& s : skus) {
    if (s.get("sku").get<std::string>() == "tv-55") {
      saw_tv = true;
      EXPECT_EQ(s.get("available").get<double>(), 8);
      EXPECT_EQ(s.get("held").get<double>(), 1);
      EXPECT_EQ(s.get("sold").get<double>(), 1);
      EXPECT_EQ(s.get("added").get<double>(), 10);
      EXPECT_EQ(s.get("removed").get<double>(), 0);
    } else {
      saw_bin = s.get("sku").get<std::string>() == std::string("bin\0\"", 5);
    }
  }
  EXPECT_TRUE(saw_tv);
  EXPECT_TRUE(saw_bin);

  // Inspecting must not have written to the file.
  std::vector<uint8_t> before(static_cast<uint8_t*>(mem),
                              static_cast<uint8_t*>(mem) + len);
  testing::internal::CaptureStdout();
  ASSERT_EQ(Inspect(path), 0);
  testing::internal::GetCapturedStdout();
  EXPECT_EQ(std::memcmp(before.data(), mem, len), 0);

  // Not a region: a corrupted header.
  static_cast<uint8_t*>(mem)[20] ^= 1;
  msync(mem, len, MS_SYNC);
  testing::internal::CaptureStderr();
  EXPECT_EQ(Inspect(path), 1);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("checksum"),
            std::string::npos);
  munmap(mem, len);
  unlink(path);
}

TEST(RegionInspect, UsageAndMissingFile) {
  testing::internal::CaptureStderr();
  char arg0[] = "inspect";
  char* argv[] = {arg0};
  EXPECT_EQ(RegionInspectMain(1, argv), 2);
  EXPECT_EQ(Inspect("/nonexistent/region"), 1);
  char empty[] = "/tmp/edgekit-empty-XXXXXX";
  const int fd = mkstemp(empty);
  close(fd);
  EXPECT_EQ(Inspect(empty), 1);
  unlink(empty);
  testing::internal::GetCapturedStderr();
}

}  // namespace
