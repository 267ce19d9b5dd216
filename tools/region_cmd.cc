// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// `edgekit region inspect FILE`: a region's header, hold census and per-SKU
// counts as JSON, for operators and scripts. The file is mapped privately
// (copy-on-write), so inspecting a live zone can never disturb it.

#include "region_cmd.h"

#include "cli.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "inventory/inventory.h"

namespace {

// JSON string of arbitrary bytes: printable ASCII as is, everything else
// escaped, so binary SKU ids survive.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    }
  }
  return out + "\"";
}

}  // namespace

int RegionInspectMain(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: edgekit region inspect FILE\n");
    return 2;
  }
  const char* path = argv[1];
  const int fd = open(path, O_RDONLY);
  if (fd < 0) {
    std::perror(path);
    return 1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size <= 0) {
    std::fprintf(stderr, "%s: empty or unreadable\n", path);
    close(fd);
    return 1;
  }
  const size_t len = static_cast<size_t>(st.st_size);
  void* mem = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  close(fd);
  if (mem == MAP_FAILED) {
    std::perror(path);
    return 1;
  }
  auto inv = edgekit::inventory::Inventory::Attach(mem, len);
  if (!inv.ok()) {
    std::fprintf(stderr, "%s: %s\n", path,
                 std::string(inv.status().message()).c_str());
    munmap(mem, len);
    return 1;
  }
  const auto& c = inv->config();
  const edgekit_hold_census census = inv->Census();
  // The hash seed is deliberately not printed: it may be a secret.
  std::printf(
      "{\"kind\":\"inventory\",\"layout_version\":%u,\"size\":%zu,"
      "\"config\":{\"max_skus\":%u,\"max_buyers\":%u,\"max_holds\":%u,"
      "\"max_sku_len\":%u,\"max_buyer_len\":%u,\"default_buyer_limit\":%u,"
      "\"max_rate_keys\":%u,\"max_rate_key_len\":%u},"
      "\"holds\":{\"free\":%llu,\"held\":%llu,\"held_units\":%llu,"
      "\"in_flight\":%llu,\"stranded\":%llu},\"skus\":[",
      edgekit::inventory::kLayoutVersion, inv->region_size(), c.max_skus,
      c.max_buyers, c.max_holds, c.max_sku_len, c.max_buyer_len,
      c.default_buyer_limit, c.max_rate_keys, c.max_rate_key_len,
      static_cast<unsigned long long>(census.free),
      static_cast<unsigned long long>(census.held),
      static_cast<unsigned long long>(census.held_units),
      static_cast<unsigned long long>(census.in_flight),
      static_cast<unsigned long long>(census.stranded));
  bool first = true;
  inv->ForEachSku([&](std::string_view sku, const edgekit_stock_stats& s) {
    std::printf(
        "%s{\"sku\":%s,\"available\":%llu,\"held\":%llu,\"sold\":%llu,"
        "\"added\":%llu,\"removed\":%llu}",
        first ? "" : ",", Quote(sku).c_str(),
        static_cast<unsigned long long>(s.available),
        static_cast<unsigned long long>(s.held),
        static_cast<unsigned long long>(s.sold),
        static_cast<unsigned long long>(s.added),
        static_cast<unsigned long long>(s.removed));
    first = false;
  });
  std::printf("]}\n");
  munmap(mem, len);
  return 0;
}

namespace edgekit::cli {

int RegionCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "inspect") {
    std::fprintf(args.empty() || args[0] == "--help" ? stdout : stderr,
                 "usage: edgekit region inspect FILE\n"
                 "  prints the header, hold census and per-SKU counts of an "
                 "inventory region as JSON\n");
    return !args.empty() && args[0] == "--help" ? kExitOk : kExitUsage;
  }
  return RunMain(RegionInspectMain, args);
}

}  // namespace edgekit::cli
