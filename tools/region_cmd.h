// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit region ...`: inspection of region files (nginx zones backed by a
// file, or any mmap'd region).

#ifndef EDGEKIT_TOOLS_REGION_CMD_H_
#define EDGEKIT_TOOLS_REGION_CMD_H_

// RegionInspectMain runs `edgekit region inspect FILE`: argv[0] is "inspect"
// and argv[1] the file. It maps FILE privately (never writes to it), attaches
// and prints the region's header and per-SKU counts as one JSON object on
// stdout. Returns 0, 1 if the file cannot be read or is not an inventory
// region (message on stderr), 2 on a usage error.
int RegionInspectMain(int argc, char** argv);

#endif  // EDGEKIT_TOOLS_REGION_CMD_H_
