// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit GROUP SUBCOMMAND ...`: dispatches to one file per command group.
// tools/ may read files and the clock; lib/ never does.

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "edgekit/base.h"

namespace {

struct Group {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

// One line per command group; each group lives in tools/<group>_cmd.cc and
// declares its entry point in cli.h.
constexpr Group kGroups[] = {
    {"token", "verify, sign and inspect JWS/JWT tokens",
     edgekit::cli::TokenCommand},
    {"region", "inspect an inventory region file (read-only)",
     edgekit::cli::RegionCommand},
    {"url", "verify nginx, Akamai, CloudFront and timed-HMAC signed URLs",
     edgekit::cli::UrlCommand},
    {"summary", "show and merge aggregation summaries",
     edgekit::cli::SummaryCommand},
};

void Usage(std::ostream& out) {
  out << "usage: edgekit GROUP COMMAND [options]\n\ngroups:\n";
  for (const Group& g : kGroups) {
    out << "  " << g.name << std::string(10 - std::strlen(g.name), ' ')
        << g.summary << "\n";
  }
  out << "\n'edgekit GROUP --help' lists a group's commands. edgekit "
      << edgekit_version() << " (" << edgekit_crypto_backend() << ")\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage(std::cerr);
    return edgekit::cli::kExitUsage;
  }
  const std::string group = argv[1];
  if (group == "--help" || group == "-h" || group == "help") {
    Usage(std::cout);
    return edgekit::cli::kExitOk;
  }
  if (group == "--version") {
    std::cout << edgekit_version() << "\n";
    return edgekit::cli::kExitOk;
  }
  for (const Group& g : kGroups) {
    if (group == g.name) {
      return g.run(std::vector<std::string>(argv + 2, argv + argc));
    }
  }
  std::cerr << "edgekit: unknown command group '" << group << "'\n";
  Usage(std::cerr);
  return edgekit::cli::kExitUsage;
}
