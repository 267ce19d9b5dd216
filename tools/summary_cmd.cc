// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit summary show FILE` prints a binary summary as JSON;
// `edgekit summary merge FILE... [--json]` merges summaries (from many nodes
// or windows) and writes the result in binary to stdout, or as JSON.
// Written against the C ABI, like any host. "-" reads stdin.
// Exit codes: 0 ok, 1 a summary was refused (status name on stderr), 2 usage.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "edgekit/aggregate.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int Usage() {
  std::cerr << "usage: edgekit summary show FILE\n"
               "       edgekit summary merge FILE... [--json]\n";
  return kExitUsage;
}

std::optional<std::string> ReadAll(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::cerr << "edgekit summary: cannot read " << path << "\n";
    return std::nullopt;
  }
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// Load parses |path| into a summary the caller frees, or prints why not.
edgekit_summary* Load(const std::string& path) {
  std::optional<std::string> bytes = ReadAll(path);
  if (!bytes) return nullptr;
  edgekit_summary* s = nullptr;
  const edgekit_status st =
      edgekit_summary_parse(&s, bytes->data(), bytes->size());
  if (st != EDGEKIT_OK) {
    std::cerr << "edgekit summary: " << path << ": " << edgekit_status_name(st)
              << "\n";
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

}  // namespace

// SummaryMain runs `edgekit summary ARGS...`: argv[0] is the subcommand.
int SummaryMain(int argc, char** argv) {
  if (argc < 1) return Usage();
  const std::string command = argv[0];
  bool json = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      json = true;
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      std::cerr << "edgekit summary: unknown option " << arg << "\n";
      return Usage();
    } else {
      files.push_back(arg);
    }
  }
  if (command == "show") {
    if (files.size() != 1) return Usage();
    edgekit_summary* s = Load(files[0]);
    if (s == nullptr) return kExitFailed;
    const int rc = Write(s, /*json=*/true);
    edgekit_summary_free(s);
    return rc;
  }
  if (command == "merge") {
    if (files.empty()) return Usage();
    edgekit_summary* total = Load(files[0]);
    if (total == nullptr) return kExitFailed;
    for (size_t i = 1; i < files.size(); ++i) {
      edgekit_summary* s = Load(files[i]);
      if (s == nullptr) {
        edgekit_summary_free(total);
        return kExitFailed;
      }
      const edgekit_status st = edgekit_summary_merge(total, s);
      edgekit_summary_free(s);
      if (st != EDGEKIT_OK) {
        std::cerr << "edgekit summary: " << files[i] << ": "
                  << edgekit_status_name(st) << "\n";
        edgekit_summary_free(total);
        return kExitFailed;
      }
    }
    const int rc = Write(total, json);
    edgekit_summary_free(total);
    return rc;
  }
  return Usage();
}
