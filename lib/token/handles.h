// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// What the token capability's C handles hold, for the C shims that accept
// them: token_c.cc, and inventory_c.cc, which signs win tickets with a key set.

#ifndef EDGEKIT_LIB_TOKEN_HANDLES_H_
#define EDGEKIT_LIB_TOKEN_HANDLES_H_

#include <memory>

#include "edgekit/token.h"
#include "keys/keys.h"

struct edgekit_keyset {
  std::shared_ptr<const edgekit::keys::KeySet> set;
};

#endif  // EDGEKIT_LIB_TOKEN_HANDLES_H_
