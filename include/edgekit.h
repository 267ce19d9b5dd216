/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* edgekit.h — the whole stable C ABI of edgekit. A C host includes this and
 * links libedgekit. See each header for its part. */
#ifndef EDGEKIT_H
#define EDGEKIT_H

#include "edgekit/base.h"
#include "edgekit/status.h"
#include "edgekit/token.h"
#include "edgekit/aggregate.h"
#include "edgekit/inventory.h"
#include "edgekit/signed_url.h"

#endif /* EDGEKIT_H */
