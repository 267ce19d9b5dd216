// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit url verify`: checks one signed URL from the command line.

#ifndef EDGEKIT_TOOLS_URL_CMD_H_
#define EDGEKIT_TOOLS_URL_CMD_H_

#include <string>
#include <vector>

namespace edgekit::cli {

// UrlMain runs `edgekit url ...`; argv[0] is the group name ("url"), argv[1]
// the command. Exit 0 with a JSON result on stdout; 1 with the status name on
// stderr when the link is refused; 2 for a usage error.
int UrlMain(int argc, char** argv);

// UrlCommand is UrlMain for a dispatcher that passes the arguments after the
// group name.
int UrlCommand(const std::vector<std::string>& args);

}  // namespace edgekit::cli

#endif  // EDGEKIT_TOOLS_URL_CMD_H_
