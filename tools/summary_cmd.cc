// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit summary show FILE` prints a binary summary as JSON;
// `edgekit summary merge FILE... [--json]` merges summaries (from many nodes
// or windows) and writes the result in binary to stdout, or as JSON.
// Written against the C ABI, like any host. "-" reads stdin.

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli.h"
#include "edgekit/aggregate.h"

namespace edgekit::cli {
namespace {

constexpr char kUsage[] =
    "usage: edgekit summary show FILE\n"
    "       edgekit summary merge FILE... [--json]\n"
    "\n"
    "show   prints a binary summary as JSON\n"
    "merge  merges summaries (any order gives the same result) and writes\n"
    "       the binary form to stdout, or JSON with --json\n";

// Load parses |path| into a summary the caller frees, or prints why not.
edgekit_summary* Load(const std::string& path) {
  std::optional<std::string> bytes = ReadFile(path);
  if (!bytes) return nullptr;
  edgekit_summary* s = nullptr;
  const edgekit_status st =
      edgekit_summary_parse(&s, bytes->data(), bytes->size());
  if (st != EDGEKIT_OK) {
    std::cerr << path << ": " << edgekit_status_name(st) << "\n";
    return nullptr;
  }
  return s;
}

// Write sends |s| to stdout as JSON (with a newline) or binary.
int Write(const edgekit_summary* s, bool json) {
  size_t n = 0;
  auto render = json ? edgekit_summary_to_json : edgekit_summary_serialize;
  if (render(s, nullptr, 0, &n) != EDGEKIT_E_BUFFER_TOO_SMALL && n != 0) {
    return kExitFailed;
  }
  std::string out(n, '\0');
  if (render(s, out.data(), out.size(), &n) != EDGEKIT_OK) return kExitFailed;
  std::fwrite(out.data(), 1, n, stdout);
  if (json) std::fputc('\n', stdout);
  return std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
}

int Merge(const std::vector<std::string>& files, bool json) {
  edgekit_summary* total = Load(files[0]);
  if (total == nullptr) return kExitFailed;
  for (size_t i = 1; i < files.size(); ++i) {
    edgekit_summary* s = Load(files[i]);
    const edgekit_status st =
        s == nullptr ? EDGEKIT_OK : edgekit_summary_merge(total, s);
    edgekit_summary_free(s);
    if (s == nullptr || st != EDGEKIT_OK) {
      if (st != EDGEKIT_OK) {
        std::cerr << files[i] << ": " << edgekit_status_name(st) << "\n";
      }
      edgekit_summary_free(total);
      return kExitFailed;
    }
  }
  const int rc = Write(total, json);
  edgekit_summary_free(total);
  return rc;
}

}  // namespace

int SummaryCommand(const std::vector<std::string>& args) {
  if (args.empty()) return UsageError("summary", "missing command");
  const std::string& command = args[0];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  std::optional<Args> a =
      Args::Parse(std::vector<std::string>(args.begin() + 1, args.end()),
                  {"json"}, {"json"});
  if (!a) return kExitUsage;
  const std::vector<std::string>& files = a->positional();
  if (command == "show") {
    if (files.size() != 1) return UsageError("summary", "show takes one FILE");
    edgekit_summary* s = Load(files[0]);
    if (s == nullptr) return kExitFailed;
    const int rc = Write(s, /*json=*/true);
    edgekit_summary_free(s);
    return rc;
  }
  if (command == "merge") {
    if (files.empty()) return UsageError("summary", "merge needs FILEs");
    return Merge(files, a->Has("json"));
  }
  return UsageError("summary", "unknown command '" + command + "'");
}

}  // namespace edgekit::cli

// SummaryMain runs `edgekit summary ARGS...` (argv[0] is the subcommand), for
// hosts that embed the command without the dispatcher.
int SummaryMain(int argc, char** argv) {
  return edgekit::cli::SummaryCommand(
      std::vector<std::string>(argv, argv + (argc > 0 ? argc : 0)));
}
