// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include <cstdlib>
#include <fstream>
#include <string>

#include "edgekit.h"
#include "gtest/gtest.h"

namespace {

TEST(Version, HeaderMatchesLibrary) {
  EXPECT_EQ(edgekit_version_number(), unsigned{EDGEKIT_VERSION_NUMBER});
  EXPECT_EQ(std::string(edgekit_version()),
            std::to_string(EDGEKIT_VERSION_MAJOR) + "." +
                std::to_string(EDGEKIT_VERSION_MINOR) + "." +
                std::to_string(EDGEKIT_VERSION_PATCH));
#if defined(EDGEKIT_CRYPTO_OPENSSL)
  EXPECT_STREQ(edgekit_crypto_backend(), "openssl");
#else
  EXPECT_STREQ(edgekit_crypto_backend(), "boringssl");
#endif
}

TEST(Status, UnknownNumbersHaveAName) {
  // Numbers inside the enum's range that no status uses (yet). Wild ints from
  // C callers are covered by the C test in tests/capi.
  for (int n : {1, 99, 199, 555, 899, 999}) {
    EXPECT_STREQ(edgekit_status_name(static_cast<edgekit_status>(n)),
                 "unknown");
  }
}

}  // namespace

namespace {

// The build hands every test both data locations (cmake/edgekit_helpers.cmake):
// the source tree as a macro, the build's data folder in the environment.
TEST(TestEnvironment, BothDataDirectoriesAreSet) {
  const char* data = std::getenv("EDGEKIT_TEST_DATA");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(std::string(data).find(';'), std::string::npos) << data;
  const std::string source = EDGEKIT_SOURCE_DIR;
  std::ifstream design(source + "/tests/common/status_test.cc");
  EXPECT_TRUE(design.good()) << source;
}

}  // namespace
