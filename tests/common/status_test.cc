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
  EXPECT_STREQ(edgekit_status_name(static_cast<edgekit_status>(12345)), "unknown");
  EXPECT_STREQ(edgekit_status_name(static_cast<edgekit_status>(-1)), "unknown");
}

}  // namespace
