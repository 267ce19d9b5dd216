// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

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
    EXPECT_STREQ(edgekit_status_name(static_cast<edgekit_status>(n)), "unknown");
  }
}

}  // namespace
