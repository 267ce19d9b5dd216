// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit summary show|merge` (tools/summary_cmd.cc), driven in-process
// with files in a temporary directory.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "aggregate/summary.h"
#include "test_util.h"

int SummaryMain(int argc, char** argv);

namespace edgekit::aggregate {
namespace {

struct Captured {
  int rc;
  std::string out;
};

Captured RunCommand(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  char path[] = "/tmp/summary_cmd_outXXXXXX";
  const int fd = mkstemp(path);
  std::fflush(stdout);
  const int saved = dup(1);
  dup2(fd, 1);
  const int rc = SummaryMain(static_cast<int>(argv.size()), argv.data());
  std::fflush(stdout);
  dup2(saved, 1);
  close(saved);
  close(fd);
  std::ifstream f(path, std::ios::binary);
  std::string out(std::istreambuf_iterator<char>(f), {});
  unlink(path);
  return {rc, out};
}

std::string WriteTemp(const std::string& bytes) {
  char path[] = "/tmp/summary_cmd_inXXXXXX";
  const int fd = mkstemp(path);
  close(fd);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(SummaryCommand, MergeAddsUpAndShowPrintsJson) {
  std::mt19937_64 rng(3);
  const Summary a =
      testing::RandomSummary(rng, testing::FullConfig(), 20, 500, 1000);
  const Summary b =
      testing::RandomSummary(rng, testing::FullConfig(), 20, 700, 2000);
  const std::string fa = WriteTemp(SerializeSummary(a));
  const std::string fb = WriteTemp(SerializeSummary(b));
  Captured merged = RunCommand({"merge", fa, fb});
  ASSERT_EQ(merged.rc, 0);
  auto parsed = ParseSummary(merged.out);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  Summary want = a;
  ASSERT_TRUE(MergeSummaries(&want, b).ok());
  EXPECT_EQ(*parsed, want);

  Captured json = RunCommand({"merge", fa, fb, "--json"});
  ASSERT_EQ(json.rc, 0);
  EXPECT_NE(json.out.find("\"window_start_ms\":1000"), std::string::npos);
  Captured show = RunCommand({"show", fa});
  ASSERT_EQ(show.rc, 0);
  EXPECT_EQ(show.out, SummaryToJson(a) + "\n");
  unlink(fa.c_str());
  unlink(fb.c_str());
}

TEST(SummaryCommand, RefusesBadInputAndUsage) {
  const std::string bad = WriteTemp("EKSM\x01\x01");
  EXPECT_EQ(RunCommand({"show", bad}).rc, 1);
  EXPECT_EQ(RunCommand({"show", "/nonexistent/summary"}).rc, 1);
  EXPECT_EQ(RunCommand({"show"}).rc, 2);
  EXPECT_EQ(RunCommand({"merge"}).rc, 2);
  EXPECT_EQ(RunCommand({"frobnicate", bad}).rc, 2);
  EXPECT_EQ(RunCommand({"merge", bad, "--bogus"}).rc, 2);
  Summary counters;
  Summary full;
  full.config = testing::FullConfig();
  const std::string fc = WriteTemp(SerializeSummary(counters));
  const std::string ff = WriteTemp(SerializeSummary(full));
  EXPECT_EQ(RunCommand({"merge", fc, ff}).rc, 1);  // summary_incompatible
  unlink(bad.c_str());
  unlink(fc.c_str());
  unlink(ff.c_str());
}

}  // namespace
}  // namespace edgekit::aggregate
