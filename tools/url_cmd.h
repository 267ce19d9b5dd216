// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit url verify`: checks one signed URL from the command line.

#ifndef EDGEKIT_TOOLS_URL_CMD_H_
#define EDGEKIT_TOOLS_URL_CMD_H_

namespace edgekit::cli {

// UrlMain runs `edgekit url ...` from a main()-shaped argument list: argv[0]
// is the group name ("url"), argv[1] the command. Exit 0 with a JSON result on
// stdout; 1 with the status name on stderr when the link is refused; 2 for a
// usage error. tools/main.cc dispatches to UrlCommand (cli.h), the same
// function for the arguments after the group name.
int UrlMain(int argc, char** argv);

}  // namespace edgekit::cli

#endif  // EDGEKIT_TOOLS_URL_CMD_H_
