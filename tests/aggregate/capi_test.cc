// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include <gtest/gtest.h>

extern "C" int aggregate_c_round_trip(void);

namespace {

TEST(AggregateCApi, RoundTripFromC) { EXPECT_EQ(aggregate_c_round_trip(), 0); }

}  // namespace
