// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Runs the C11 host in inventory_c_abi.c.

#include "gtest/gtest.h"

extern "C" const char* edgekit_inventory_c_abi_run(void);

namespace {

TEST(InventoryCAbi, AC11HostSellsOut) {
  const char* failure = edgekit_inventory_c_abi_run();
  EXPECT_EQ(failure, nullptr) << failure;
}

}  // namespace
