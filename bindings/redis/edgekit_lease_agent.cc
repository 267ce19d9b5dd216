// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// edgekit-lease-agent: keeps an edge node's inventory region stocked from a
// flash sale's central stock in Redis. For each configured SKU it leases a
// block when available stock falls below a low-water mark; with --drain it
// gives back every available unit. Each grant and each return reaches the
// region exactly once even if the agent is killed at any instruction or a
// Redis reply is lost, by way of a journal next to the region (README.md
// here has the argument). Only the public C ABI (edgekit.h) is used.
//
// The agent must be the only process that adds or removes stock of the
// SKUs it leases (buyers acquire, confirm, cancel and expire freely): it
// decides whether a step happened from the region's added/removed counters.

#include <fcntl.h>
#include <getopt.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "client.h"
#include "edgekit.h"
#include "lease_scripts.h"

namespace {

using edgekit::redis::Client;
using edgekit::redis::Reply;

constexpr char kUsage[] =
    "usage: edgekit-lease-agent --region FILE --node ID --sale NAME --sku S\n"
    "                           [options]\n"
    "\n"
    "Leases flash-sale stock from Redis into an inventory region in blocks,\n"
    "and gives back what is left with --drain.\n"
    "\n"
    "  -r, --region FILE      the region file (formatted, mmap'd shared)\n"
    "  -j, --journal FILE     the journal (default FILE.journal)\n"
    "  -n, --node ID          this node's id in the sale's ledger (no ':')\n"
    "  -S, --sale NAME        Redis keys are {NAME:SKU}:stock and\n"
    "                         {NAME:SKU}:ledger\n"
    "  -s, --sku SKU          a SKU to keep stocked (repeatable)\n"
    "  -p, --port N           Redis on 127.0.0.1:N (default 6379)\n"
    "  -b, --block N          units per lease (default 50)\n"
    "  -l, --low N            lease when available < N (default block/5)\n"
    "  -i, --interval-ms N    poll period (default 20)\n"
    "  -t, --timeout-ms N     Redis timeout per command (default 1000)\n"
    "  -1, --once             one pass over the SKUs, then exit\n"
    "  -d, --drain            give back every available unit, then exit\n"
    "  -h, --help             this text\n"
    "\n"
    "SIGTERM or SIGINT ends the loop after the step in progress. Exit status:\n"
    "0 done, 1 usage or setup error, 2 the journal and the region disagree\n"
    "(another process added or removed stock of a leased SKU).\n";

struct Options {
  std::string region, journal, node, sale;
  std::vector<std::string> skus;
  uint16_t port = 6379;
  uint64_t block = 50, low = 0;
  int interval_ms = 20, timeout_ms = 1000;
  bool once = false, drain = false;
};

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

uint64_t NowMs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

// Crash injection for the tests: EDGEKIT_LEASE_AGENT_CRASH=grant:K or
// return:K kills the agent with SIGKILL at step K of the first such
// operation (see the Step calls below).
void Step(const char* op, int k) {
  static const char* crash = std::getenv("EDGEKIT_LEASE_AGENT_CRASH");
  if (crash == nullptr) return;
  if (std::string(crash) == std::string(op) + ":" + std::to_string(k)) {
    std::raise(SIGKILL);
  }
}

[[noreturn]] void Fatal(const std::string& why) {
  std::fprintf(stderr, "edgekit-lease-agent: %s\n", why.c_str());
  std::exit(2);
}

// The journal: one line per event, each ending in a checksum, appended and
// fsync'd before the agent acts on it.
//   B <seq> <g|r> <sku hex> <units> <before>   an operation begins
//   E <seq> <units>                            it finished
//   X <seq>                                    a return abandoned unsent
// |before| is the SKU's added (grant) or removed (return) counter before it.
struct Record {
  uint64_t seq = 0;
  char kind = 0;
  std::string sku;
  uint64_t units = 0, before = 0;
};

uint32_t Fnv(std::string_view s) {
  uint32_t h = 2166136261u;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

std::string Hex(std::string_view s) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : s) {
    out.push_back(kDigits[static_cast<unsigned char>(c) >> 4]);
    out.push_back(kDigits[static_cast<unsigned char>(c) & 15]);
  }
  return out;
}

bool Unhex(std::string_view s, std::string* out) {
  if (s.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < s.size(); i += 2) {
    int v = 0;
    for (size_t j = i; j < i + 2; ++j) {
      const char c = s[j];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else return false;
    }
    out->push_back(static_cast<char>(v));
  }
  return true;
}

class Journal {
 public:
  ~Journal() {
    if (fd_ >= 0) close(fd_);
  }

  // Open locks the journal (one agent per region) and replays it: the
  // highest sequence number used and the operation left unfinished, if any.
  // A last line cut short by a crash is dropped: nothing acted on it.
  bool Open(const std::string& path, std::string* error) {
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      *error = path + ": " + std::strerror(errno);
      return false;
    }
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      *error = path + ": another agent holds it";
      return false;
    }
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd_, buf, sizeof buf)) > 0) text.append(buf, n);
    if (n < 0) {
      *error = path + ": " + std::strerror(errno);
      return false;
    }
    size_t pos = 0, good_end = 0;
    while (pos < text.size()) {
      const size_t nl = text.find('\n', pos);
      const bool last = nl == std::string::npos || nl + 1 == text.size();
      const std::string line = text.substr(pos, nl == std::string::npos
                                                    ? std::string::npos
                                                    : nl - pos);
      if (nl == std::string::npos || !Apply(line)) {
        if (last) break;  // torn tail
        *error = path + ": corrupt line: " + line;
        return false;
      }
      pos = nl + 1;
      good_end = pos;
    }
    fresh_ = text.empty();
    if (good_end != text.size() && ftruncate(fd_, good_end) != 0) {
      *error = path + ": " + std::strerror(errno);
      return false;
    }
    lseek(fd_, 0, SEEK_END);
    return true;
  }

  bool fresh() const { return fresh_; }
  uint64_t max_seq() const { return max_seq_; }
  void RaiseSeq(uint64_t seq) {
    if (seq > max_seq_) max_seq_ = seq;
  }
  bool pending(Record* out) const {
    if (pending_.seq == 0) return false;
    *out = pending_;
    return true;
  }

  void Begin(const Record& r) {
    Write("B " + std::to_string(r.seq) + " " + r.kind + " " + Hex(r.sku) +
          " " + std::to_string(r.units) + " " + std::to_string(r.before));
    pending_ = r;
    RaiseSeq(r.seq);
  }
  void End(uint64_t seq, uint64_t units) {
    Write("E " + std::to_string(seq) + " " + std::to_string(units));
    pending_ = Record();
  }
  void Abandon(uint64_t seq) {
    Write("X " + std::to_string(seq));
    pending_ = Record();
  }

 private:
  void Write(const std::string& body) {
    char sum[16];
    std::snprintf(sum, sizeof sum, " #%08x\n", Fnv(body));
    const std::string line = body + sum;
    size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = write(fd_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) Fatal(std::string("journal write: ") + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    if (fsync(fd_) != 0) Fatal(std::string("journal fsync: ") + std::strerror(errno));
  }

  bool Apply(const std::string& line) {
    const size_t hash = line.rfind(" #");
    if (hash == std::string::npos) return false;
    char sum[16];
    std::snprintf(sum, sizeof sum, "%08x", Fnv(std::string_view(line).substr(0, hash)));
    if (line.compare(hash + 2, std::string::npos, sum) != 0) return false;
    const std::string body = line.substr(0, hash);
    char kind = 0;
    char sku_hex[600] = {0};
    unsigned long long seq = 0, units = 0, before = 0;
    if (body[0] == 'B' &&
        std::sscanf(body.c_str(), "B %llu %c %599s %llu %llu", &seq, &kind,
                    sku_hex, &units, &before) == 5 &&
        (kind == 'g' || kind == 'r') && seq > max_seq_) {
      Record r;
      r.seq = seq;
      r.kind = kind;
      r.units = units;
      r.before = before;
      if (pending_.seq != 0 || !Unhex(sku_hex, &r.sku)) return false;
      pending_ = r;
      max_seq_ = seq;
      return true;
    }
    if (std::sscanf(body.c_str(), "E %llu %llu", &seq, &units) == 2 ||
        std::sscanf(body.c_str(), "X %llu", &seq) == 1) {
      if (seq != pending_.seq || seq == 0) return false;
      pending_ = Record();
      return true;
    }
    return false;
  }

  int fd_ = -1;
  bool fresh_ = false;
  uint64_t max_seq_ = 0;
  Record pending_;
};

class Agent {
 public:
  Agent(const Options& o, edgekit_inventory* inv)
      : o_(o), inv_(inv), redis_(o.port, o.timeout_ms) {}

  bool Init(std::string* error) {
    if (!journal_.Open(o_.journal, error)) return false;
    if (journal_.fresh()) {
      // A new (or lost) journal continues above every sequence number the
      // ledgers have seen from this node, so old grants are never misread.
      for (const std::string& sku : o_.skus) {
        Reply r = Call({"HGET", Key(sku, "ledger"), "hw:" + o_.node});
        if (r.type == Reply::Type::kBulk) {
          journal_.RaiseSeq(std::strtoull(r.str.c_str(), nullptr, 10));
        }
      }
    }
    Record pending;
    if (journal_.pending(&pending)) Finish(pending);
    return true;
  }

  // Pass leases a block for every SKU below the low-water mark.
  void Pass() {
    for (const std::string& sku : o_.skus) {
      if (g_stop) return;
      if (NowMs() < empty_until_[sku]) continue;
      const edgekit_stock_stats s = Stats(sku);
      if (s.available >= o_.low) continue;
      const Record r{journal_.max_seq() + 1, 'g', sku, o_.block, s.added};
      journal_.Begin(r);
      Step("grant", 1);
      if (Finish(r) == 0) empty_until_[sku] = NowMs() + 1000;
    }
  }

  // Drain gives back every available unit of every SKU. Expired holds are
  // returned first, so their units go back too.
  void Drain() {
    edgekit_inventory_expire(inv_, nullptr, NowMs());
    for (const std::string& sku : o_.skus) {
      // A buyer may take a unit between the count and the removal; the
      // removal then fails without effect and is tried again.
      for (int attempt = 0; attempt < 100; ++attempt) {
        const edgekit_stock_stats s = Stats(sku);
        if (s.available == 0) break;
        const Record r{journal_.max_seq() + 1, 'r', sku, s.available,
                       s.removed};
        journal_.Begin(r);
        Step("return", 1);
        if (Finish(r) == s.available) break;
      }
    }
  }

 private:
  std::string Key(const std::string& sku, const char* what) const {
    return "{" + o_.sale + ":" + sku + "}:" + what;
  }

  edgekit_stock_stats Stats(const std::string& sku) {
    edgekit_stock_stats s{};
    const edgekit_status st =
        edgekit_inventory_stats(inv_, &s, sku.data(), sku.size());
    if (st == EDGEKIT_E_UNKNOWN_SKU) return edgekit_stock_stats{};
    if (st != EDGEKIT_OK) Fatal(std::string("stats: ") + edgekit_status_name(st));
    return s;
  }

  // Call retries a command until Redis answers (a lost reply is asked
  // again: every command sent here is idempotent).
  Reply Call(const std::vector<std::string>& args) {
    std::vector<std::string_view> views(args.begin(), args.end());
    for (int wait_ms = 10;; wait_ms = std::min(wait_ms * 2, 1000)) {
      Reply r;
      std::string error;
      if (redis_.Command(views, &r, &error)) return r;
      Complain(error);
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    }
  }

  // Script runs |op| ("grant" or "return") of lease.lua for |r|.
  uint64_t Script(std::string_view op, const Record& r) {
    const std::string stock = Key(r.sku, "stock"), ledger = Key(r.sku, "ledger");
    const std::string seq = std::to_string(r.seq), units = std::to_string(r.units);
    for (int wait_ms = 10;; wait_ms = std::min(wait_ms * 2, 1000)) {
      Reply reply;
      std::string error;
      if (redis_.Eval(kLeaseScript, {stock, ledger}, {op, o_.node, seq, units},
                      &reply, &error)) {
        if (reply.type == Reply::Type::kInteger && reply.integer >= 0) {
          return static_cast<uint64_t>(reply.integer);
        }
        // A refusal is not transient: retrying cannot change the answer.
        Fatal("redis refused seq " + seq + ": " + reply.str);
      }
      Complain(error);
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    }
  }

  void Complain(const std::string& error) {
    std::fprintf(stderr, "edgekit-lease-agent: redis: %s (retrying)\n",
                 error.c_str());
  }

  // Finish completes a journaled operation from wherever it stopped and
  // returns the units it moved. It is the recovery path and the normal
  // path alike.
  uint64_t Finish(const Record& r) {
    if (r.kind == 'g') {
      const uint64_t granted = Script("grant", r);  // same seq: same grant
      Step("grant", 2);
      const uint64_t added = Stats(r.sku).added;
      if (added == r.before && granted > 0) {
        const edgekit_status st = edgekit_inventory_add_stock(
            inv_, r.sku.data(), r.sku.size(), static_cast<int64_t>(granted));
        if (st != EDGEKIT_OK) {
          Fatal("add_stock +" + std::to_string(granted) + ": " +
                edgekit_status_name(st));
        }
      } else if (added != r.before + granted) {
        Fatal("SKU " + r.sku + ": added is " + std::to_string(added) +
              ", journal says " + std::to_string(r.before) + " + " +
              std::to_string(granted) + " (another process adds stock?)");
      }
      Step("grant", 3);
      journal_.End(r.seq, granted);
      Step("grant", 4);
      return granted;
    }
    const uint64_t removed = Stats(r.sku).removed;
    if (removed == r.before) {
      const edgekit_status st = edgekit_inventory_add_stock(
          inv_, r.sku.data(), r.sku.size(), -static_cast<int64_t>(r.units));
      if (st == EDGEKIT_E_STOCK_RANGE) {
        // Buyers took some since the count; Redis never saw this seq.
        journal_.Abandon(r.seq);
        return 0;
      }
      if (st != EDGEKIT_OK) {
        Fatal(std::string("add_stock -: ") + edgekit_status_name(st));
      }
    } else if (removed != r.before + r.units) {
      Fatal("SKU " + r.sku + ": removed is " + std::to_string(removed) +
            ", journal says " + std::to_string(r.before) + " + " +
            std::to_string(r.units) + " (another process removes stock?)");
    }
    Step("return", 2);
    const uint64_t taken = Script("return", r);
    Step("return", 3);
    if (taken != r.units) Fatal("redis took back a different count");
    journal_.End(r.seq, taken);
    Step("return", 4);
    return taken;
  }

  const Options& o_;
  edgekit_inventory* inv_;
  Client redis_;
  Journal journal_;
  std::map<std::string, uint64_t> empty_until_;
};

bool Number(const char* s, uint64_t max, uint64_t* out) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v > max) {
    return false;
  }
  *out = v;
  return true;
}

bool ParseOptions(int argc, char** argv, Options* o) {
  static const option kLong[] = {
      {"region", required_argument, nullptr, 'r'},
      {"journal", required_argument, nullptr, 'j'},
      {"node", required_argument, nullptr, 'n'},
      {"sale", required_argument, nullptr, 'S'},
      {"sku", required_argument, nullptr, 's'},
      {"port", required_argument, nullptr, 'p'},
      {"block", required_argument, nullptr, 'b'},
      {"low", required_argument, nullptr, 'l'},
      {"interval-ms", required_argument, nullptr, 'i'},
      {"timeout-ms", required_argument, nullptr, 't'},
      {"once", no_argument, nullptr, '1'},
      {"drain", no_argument, nullptr, 'd'},
      {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0}};
  int c;
  uint64_t v;
  bool have_low = false;
  while ((c = getopt_long(argc, argv, "r:j:n:S:s:p:b:l:i:t:1dh", kLong,
                          nullptr)) != -1) {
    switch (c) {
      case 'r': o->region = optarg; break;
      case 'j': o->journal = optarg; break;
      case 'n': o->node = optarg; break;
      case 'S': o->sale = optarg; break;
      case 's': o->skus.emplace_back(optarg); break;
      case 'p':
        if (!Number(optarg, 65535, &v) || v == 0) return false;
        o->port = static_cast<uint16_t>(v);
        break;
      case 'b':
        if (!Number(optarg, 1u << 30, &v) || v == 0) return false;
        o->block = v;
        break;
      case 'l':
        if (!Number(optarg, 1u << 30, &v)) return false;
        o->low = v;
        have_low = true;
        break;
      case 'i':
        if (!Number(optarg, 60000, &v) || v == 0) return false;
        o->interval_ms = static_cast<int>(v);
        break;
      case 't':
        if (!Number(optarg, 600000, &v) || v == 0) return false;
        o->timeout_ms = static_cast<int>(v);
        break;
      case '1': o->once = true; break;
      case 'd': o->drain = true; break;
      default: return false;
    }
  }
  if (!have_low) o->low = o->block / 5 > 0 ? o->block / 5 : 1;
  if (o->journal.empty()) o->journal = o->region + ".journal";
  return optind == argc && !o->region.empty() && !o->node.empty() &&
         o->node.find(':') == std::string::npos && !o->sale.empty() &&
         !o->skus.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseOptions(argc, argv, &o)) {
    std::fputs(kUsage, stderr);
    return 1;
  }
  const int fd = open(o.region.c_str(), O_RDWR | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    std::fprintf(stderr, "edgekit-lease-agent: %s: %s\n", o.region.c_str(),
                 std::strerror(errno));
    return 1;
  }
  const size_t len = static_cast<size_t>(st.st_size);
  void* mem = len == 0 ? MAP_FAILED
                       : mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  edgekit_inventory* inv = nullptr;
  if (mem == MAP_FAILED || edgekit_inventory_attach(&inv, mem, len) != EDGEKIT_OK) {
    std::fprintf(stderr, "edgekit-lease-agent: %s: not an inventory region\n",
                 o.region.c_str());
    return 1;
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  Agent agent(o, inv);
  std::string error;
  if (!agent.Init(&error)) {
    std::fprintf(stderr, "edgekit-lease-agent: %s\n", error.c_str());
    return 1;
  }
  if (o.drain) {
    agent.Drain();
  } else {
    while (!g_stop) {
      agent.Pass();
      if (o.once) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(o.interval_ms));
    }
  }
  edgekit_inventory_free(inv);
  munmap(mem, len);
  close(fd);
  return 0;
}
