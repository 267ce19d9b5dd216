// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The lease protocol against a real redis-server (tests/redis/run.sh starts
// one and passes its port in EDGEKIT_REDIS_PORT): the Lua script's
// idempotency, refusals and sale invariant; three nodes with three agents
// selling one sale to concurrent buyers; and the agent killed (SIGKILL) at
// every step of a lease and of a return, then restarted.

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "client.h"
#include "edgekit.h"
#include "gtest/gtest.h"
#include "lease_scripts.h"

namespace edgekit::redis {
namespace {

uint16_t Port() {
  const char* p = std::getenv("EDGEKIT_REDIS_PORT");
  return p == nullptr ? 0 : static_cast<uint16_t>(std::atoi(p));
}

std::string Tmp() {
  const char* t = std::getenv("EDGEKIT_LEASE_TMP");
  return t == nullptr ? "/tmp" : t;
}

uint64_t NowMs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

class LeaseTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(Port(), 0) << "run through tests/redis/run.sh";
    sale_ = std::string(
        testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  std::string Key(const std::string& sku, const char* what) const {
    return "{" + sale_ + ":" + sku + "}:" + what;
  }

  Reply Cmd(const std::vector<std::string>& args) {
    std::vector<std::string_view> v(args.begin(), args.end());
    Reply r;
    std::string error;
    EXPECT_TRUE(client_.Command(v, &r, &error)) << error;
    return r;
  }

  int64_t Int(const std::vector<std::string>& args) {
    const Reply r = Cmd(args);
    if (r.type == Reply::Type::kNil) return 0;
    return std::atoll(r.str.c_str());
  }

  // Runs operation |op| of lease.lua and returns Redis's reply.
  Reply Lease(const std::string& op, const std::string& sku,
              const std::string& node, const std::string& seq,
              const std::string& units) {
    Reply r;
    std::string error;
    const std::string stock = Key(sku, "stock"), ledger = Key(sku, "ledger");
    EXPECT_TRUE(client_.Eval(kLeaseScript, {stock, ledger},
                             {op, node, seq, units}, &r, &error))
        << error;
    return r;
  }

  // Lease's integer, or -1 for an error reply.
  int64_t Script(const std::string& op, const std::string& sku,
                 const std::string& node, const std::string& seq,
                 const std::string& units) {
    const Reply r = Lease(op, sku, node, seq, units);
    if (r.type == Reply::Type::kError) return -1;
    EXPECT_EQ(r.type, Reply::Type::kInteger);
    return r.integer;
  }

  // Lease's error text, or "" if it did not refuse.
  std::string Refusal(const std::string& op, const std::string& sku,
                      const std::string& node, const std::string& seq,
                      const std::string& units) {
    const Reply r = Lease(op, sku, node, seq, units);
    return r.type == Reply::Type::kError ? r.str : "";
  }

  // The sale invariant, from the ledger's own records.
 public:
  void ExpectSaleConservesFor(const std::string& sku, int64_t initial) {
    ExpectSaleConserves(sku, initial);
  }

 protected:
  void ExpectSaleConserves(const std::string& sku, int64_t initial) {
    const Reply all = Cmd({"HGETALL", Key(sku, "ledger")});
    int64_t grants = 0, returns = 0;
    for (size_t i = 0; i + 1 < all.elements.size(); i += 2) {
      const std::string& f = all.elements[i].str;
      const int64_t v = std::atoll(all.elements[i + 1].str.c_str());
      if (f.rfind("g:", 0) == 0) grants += v;
      if (f.rfind("r:", 0) == 0) returns += v;
    }
    EXPECT_EQ(grants, Int({"HGET", Key(sku, "ledger"), "granted"}));
    EXPECT_EQ(returns, Int({"HGET", Key(sku, "ledger"), "returned"}));
    const int64_t remaining = Int({"GET", Key(sku, "stock")});
    EXPECT_GE(remaining, 0);
    EXPECT_EQ(initial, remaining + grants - returns);
  }

  std::string sale_;
  Client client_{Port(), 2000};
};

TEST_F(LeaseTest, GrantIsIdempotentAndBounded) {
  Cmd({"SET", Key("a", "stock"), "100"});
  EXPECT_EQ(Script("grant", "a", "n1", "1", "30"), 30);
  EXPECT_EQ(Script("grant", "a", "n1", "1", "30"), 30);  // retry
  EXPECT_EQ(Script("grant", "a", "n1", "1", "99"), 30);  // recorded wins
  EXPECT_EQ(Int({"GET", Key("a", "stock")}), 70);
  EXPECT_EQ(Script("grant", "a", "n2", "1", "50"), 50);  // other node
  EXPECT_EQ(Script("grant", "a", "n1", "2", "50"), 20);  // what is left
  EXPECT_EQ(Script("grant", "a", "n1", "3", "50"), 0);   // sold out
  EXPECT_EQ(Script("grant", "a", "n1", "3", "50"), 0);
  EXPECT_EQ(Int({"GET", Key("a", "stock")}), 0);
  EXPECT_EQ(Int({"HGET", Key("a", "ledger"), "ng:n1"}), 50);
  ExpectSaleConserves("a", 100);
}

TEST_F(LeaseTest, ReturnIsIdempotentAndCapped) {
  Cmd({"SET", Key("a", "stock"), "100"});
  EXPECT_EQ(Script("grant", "a", "n1", "1", "40"), 40);
  EXPECT_EQ(Script("return", "a", "n1", "2", "15"), 15);
  EXPECT_EQ(Script("return", "a", "n1", "2", "15"), 15);  // retry
  EXPECT_EQ(Int({"GET", Key("a", "stock")}), 75);
  // n1 holds 25 now: more is refused and changes nothing.
  EXPECT_EQ(Script("return", "a", "n1", "3", "26"), -1);
  EXPECT_EQ(Script("return", "a", "n2", "1", "1"), -1);  // holds none
  EXPECT_EQ(Int({"GET", Key("a", "stock")}), 75);
  EXPECT_EQ(Script("return", "a", "n1", "3", "25"), 25);
  EXPECT_EQ(Int({"GET", Key("a", "stock")}), 100);
  ExpectSaleConserves("a", 100);
}

TEST_F(LeaseTest, RefusesBadArgumentsAndStaleSequences) {
  Cmd({"SET", Key("a", "stock"), "100"});
  EXPECT_EQ(Script("grant", "a", "n1", "5", "10"), 10);
  EXPECT_EQ(Script("grant", "a", "n1", "4", "10"), -1);  // below hw
  EXPECT_EQ(Script("return", "a", "n1", "5", "1"), -1);  // at hw, new
  for (const char* seq :
       {"0", "01", "-1", "1.5", "x", "", "99999999999999999"}) {
    EXPECT_EQ(Script("grant", "a", "n1", seq, "10"), -1) << seq;
  }
  for (const char* n : {"0", "-5", "4294967296", "1e3", " 1"}) {
    EXPECT_EQ(Script("grant", "a", "n1", "9", n), -1) << n;
    EXPECT_EQ(Script("return", "a", "n1", "9", n), -1) << n;
  }
  EXPECT_EQ(Script("grant", "a", "", "9", "10"), -1);
  EXPECT_EQ(Script("grant", "a", "n:1", "9", "10"), -1);
  Cmd({"SET", Key("b", "stock"), "lots"});
  EXPECT_EQ(Script("grant", "b", "n1", "1", "10"), -1);
  EXPECT_EQ(Int({"GET", Key("a", "stock")}), 90);
  ExpectSaleConserves("a", 100);
}

// Each refusal names its operation ("lease" for a grant, as the agent's
// logs always have), whichever check refused it.
TEST_F(LeaseTest, RefusesNamingTheOperation) {
  Cmd({"SET", Key("a", "stock"), "100"});
  EXPECT_EQ(Script("grant", "a", "n1", "5", "10"), 10);
  EXPECT_EQ(Refusal("grant", "a", "n1", "4", "10"),
            "ERR edgekit lease: stale sequence number");
  EXPECT_EQ(Refusal("return", "a", "n1", "5", "1"),
            "ERR edgekit return: stale sequence number");
  EXPECT_EQ(Refusal("grant", "a", "n:1", "9", "10"),
            "ERR edgekit lease: bad node id");
  EXPECT_EQ(Refusal("return", "a", "", "9", "1"),
            "ERR edgekit return: bad node id");
  EXPECT_EQ(Refusal("grant", "a", "n1", "0", "10"),
            "ERR edgekit lease: bad sequence number");
  EXPECT_EQ(Refusal("return", "a", "n1", "x", "1"),
            "ERR edgekit return: bad sequence number");
  EXPECT_EQ(Refusal("grant", "a", "n1", "9", "0"),
            "ERR edgekit lease: bad block size");
  EXPECT_EQ(Refusal("return", "a", "n1", "9", "0"),
            "ERR edgekit return: bad unit count");
  EXPECT_EQ(Refusal("return", "a", "n1", "9", "11"),
            "ERR edgekit return: more units than the node holds");
  Cmd({"SET", Key("b", "stock"), "lots"});
  EXPECT_EQ(Refusal("grant", "b", "n1", "1", "10"),
            "ERR edgekit lease: sale stock is not a count");
  EXPECT_EQ(Int({"GET", Key("a", "stock")}), 90);
  ExpectSaleConserves("a", 100);
}

TEST_F(LeaseTest, RefusesUnknownOperations) {
  Cmd({"SET", Key("a", "stock"), "100"});
  for (const char* op : {"", "lease", "GRANT", "grant ", "returns", "g"}) {
    EXPECT_EQ(Refusal(op, "a", "n1", "1", "10"),
              "ERR edgekit: unknown operation (grant or return)")
        << op;
  }
  EXPECT_EQ(Int({"GET", Key("a", "stock")}), 100);
  EXPECT_EQ(Cmd({"EXISTS", Key("a", "ledger")}).integer, 0);
}

TEST_F(LeaseTest, ReloadsScriptsAfterFlush) {
  Cmd({"SET", Key("a", "stock"), "10"});
  EXPECT_EQ(Script("grant", "a", "n1", "1", "3"), 3);
  Cmd({"SCRIPT", "FLUSH"});
  EXPECT_EQ(Script("grant", "a", "n1", "2", "3"), 3);  // NOSCRIPT, reload
  EXPECT_EQ(Script("return", "a", "n1", "3", "2"), 2);
  // Both operations ran the one script, loaded once.
  EXPECT_NE(Cmd({"INFO", "memory"}).str.find("number_of_cached_scripts:1\r\n"),
            std::string::npos);
  ExpectSaleConserves("a", 10);
}

// A region in a file, mapped shared as the agent maps it.
class RegionFile {
 public:
  explicit RegionFile(const std::string& path) : path_(path) {
    edgekit_inventory_config cfg{};
    cfg.struct_size = sizeof cfg;
    len_ = edgekit_inventory_region_size(&cfg);
    unlink(path.c_str());
    unlink((path + ".journal").c_str());
    fd_ = open(path.c_str(), O_RDWR | O_CREAT, 0644);
    EXPECT_EQ(ftruncate(fd_, static_cast<off_t>(len_)), 0);
    mem_ = mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    EXPECT_NE(mem_, MAP_FAILED);
    EXPECT_EQ(edgekit_inventory_format(&inv_, mem_, len_, &cfg), EDGEKIT_OK);
  }
  ~RegionFile() {
    edgekit_inventory_free(inv_);
    munmap(mem_, len_);
    close(fd_);
  }
  edgekit_inventory* inv() { return inv_; }
  const std::string& path() const { return path_; }

  edgekit_stock_stats Stats(const std::string& sku) {
    edgekit_stock_stats s{};
    const edgekit_status st =
        edgekit_inventory_stats(inv_, &s, sku.data(), sku.size());
    EXPECT_TRUE(st == EDGEKIT_OK || st == EDGEKIT_E_UNKNOWN_SKU);
    return s;
  }
  void ExpectConserves(const std::string& sku) {
    const edgekit_stock_stats s = Stats(sku);
    EXPECT_EQ(s.added - s.removed, s.available + s.held + s.sold) << path_;
  }
  // Buy sells |n| units to new buyers; returns how many it could.
  uint64_t Buy(const std::string& sku, uint64_t n, const std::string& tag) {
    uint64_t sold = 0;
    for (uint64_t i = 0; i < n; ++i) {
      const std::string buyer = tag + std::to_string(i);
      uint64_t hold;
      if (edgekit_inventory_acquire(inv_, &hold, sku.data(), sku.size(),
                                    buyer.data(), buyer.size(), 1, NowMs(),
                                    60000) != EDGEKIT_OK) {
        continue;
      }
      if (edgekit_inventory_confirm(inv_, hold, NowMs()) == EDGEKIT_OK) ++sold;
    }
    return sold;
  }

 private:
  std::string path_;
  size_t len_ = 0;
  int fd_ = -1;
  void* mem_ = nullptr;
  edgekit_inventory* inv_ = nullptr;
};

// Starts the agent; |crash| sets EDGEKIT_LEASE_AGENT_CRASH in its
// environment.
pid_t StartAgent(const std::vector<std::string>& args,
                 const std::string& crash = "") {
  const char* agent = std::getenv("EDGEKIT_LEASE_AGENT");
  EXPECT_NE(agent, nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    if (!crash.empty()) setenv("EDGEKIT_LEASE_AGENT_CRASH", crash.c_str(), 1);
    std::vector<char*> argv = {const_cast<char*>(agent)};
    for (const std::string& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(agent, argv.data());
    _exit(127);
  }
  return pid;
}

// Wait returns the exit status, or 128 + the signal that ended it.
int Wait(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

std::vector<std::string> AgentArgs(const RegionFile& r, const std::string& node,
                                   const std::string& sale,
                                   std::vector<std::string> extra) {
  std::vector<std::string> a = {
      "--region", r.path(), "--node", node,     "--sale",
      sale,       "--sku",  "sku",    "--port", std::to_string(Port())};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// Three nodes share 1000 units in blocks of 50 while buyers on every node
// buy until the sale is sold out (or, with |stop_at|, stop early); then
// every node drains.
void RunSale(LeaseTest* t, const std::string& sale, uint64_t stop_at) {
  Client redis(Port(), 2000);
  Reply r;
  std::string error;
  const std::string stock = "{" + sale + ":sku}:stock";
  ASSERT_TRUE(redis.Command({"SET", stock, "1000"}, &r, &error)) << error;
  std::vector<std::unique_ptr<RegionFile>> nodes;
  std::vector<pid_t> agents;
  for (int i = 0; i < 3; ++i) {
    nodes.push_back(std::make_unique<RegionFile>(Tmp() + "/" + sale + "-node" +
                                                 std::to_string(i)));
    agents.push_back(StartAgent(
        AgentArgs(*nodes.back(), "node" + std::to_string(i), sale,
                  {"--block", "50", "--low", "10", "--interval-ms", "2"})));
  }
  // Every agent takes its first block (3 x 50 of the 1000) before anyone
  // buys, so "every node took part" below does not hang on scheduling: under
  // ASan two nodes could otherwise sell the whole sale first.
  const auto lease_deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool all_leased = true;
  for (const auto& node : nodes) {
    while (node->Stats("sku").added == 0 &&
           std::chrono::steady_clock::now() < lease_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    all_leased &= node->Stats("sku").added > 0;
  }
  if (!all_leased) {
    for (pid_t pid : agents) kill(pid, SIGKILL);
    for (pid_t pid : agents) Wait(pid);
    FAIL() << "an agent never leased its first block";
  }
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> total{0};
  std::vector<std::thread> buyers;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 2; ++j) {
      buyers.emplace_back([&, i, j] {
        RegionFile& node = *nodes[i];
        for (uint64_t k = 0; !stop.load(); ++k) {
          const std::string buyer = "b" + std::to_string(i) + "." +
                                    std::to_string(j) + "." + std::to_string(k);
          uint64_t hold;
          const edgekit_status s = edgekit_inventory_acquire(
              node.inv(), &hold, "sku", 3, buyer.data(), buyer.size(), 1,
              NowMs(), 60000);
          if (s != EDGEKIT_OK) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            continue;
          }
          ASSERT_EQ(edgekit_inventory_confirm(node.inv(), hold, NowMs()),
                    EDGEKIT_OK);
          total.fetch_add(1);
        }
      });
    }
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(120);
  const uint64_t target = stop_at == 0 ? 1000 : stop_at;
  while (total.load() < target && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (stop_at == 0) {
    // Sold out: nothing more may sell however long buyers keep trying.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  stop = true;
  for (std::thread& b : buyers) b.join();
  for (pid_t pid : agents) {
    kill(pid, SIGTERM);
    EXPECT_EQ(Wait(pid), 0);
  }
  uint64_t sold = 0;
  for (auto& n : nodes) sold += n->Stats("sku").sold;
  EXPECT_EQ(sold, total.load());
  if (stop_at == 0) {
    EXPECT_EQ(sold, 1000u);
  } else {
    EXPECT_GE(sold, stop_at);
    EXPECT_LE(sold, 1000u);
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Wait(StartAgent(AgentArgs(*nodes[i], "node" + std::to_string(i),
                                        sale, {"--drain"}))),
              0);
  }
  ASSERT_TRUE(redis.Command({"GET", stock}, &r, &error)) << error;
  const uint64_t remaining = std::strtoull(r.str.c_str(), nullptr, 10);
  EXPECT_EQ(remaining + sold, 1000u);
  for (int i = 0; i < 3; ++i) {
    RegionFile& n = *nodes[i];
    n.ExpectConserves("sku");
    const edgekit_stock_stats s = n.Stats("sku");
    EXPECT_EQ(s.available, 0u);
    EXPECT_EQ(s.held, 0u);
    EXPECT_GT(s.added, 0u);  // every node took part
    // The node's ledger agrees with its region.
    const std::string ledger = "{" + sale + ":sku}:ledger";
    const std::string node = "node" + std::to_string(i);
    ASSERT_TRUE(redis.Command({"HGET", ledger, "ng:" + node}, &r, &error));
    EXPECT_EQ(std::strtoull(r.str.c_str(), nullptr, 10), s.added);
    ASSERT_TRUE(redis.Command({"HGET", ledger, "nr:" + node}, &r, &error));
    EXPECT_EQ(std::strtoull(r.str.c_str(), nullptr, 10), s.removed);
  }
  t->ExpectSaleConservesFor("sku", 1000);
}

TEST_F(LeaseTest, ThreeNodesSellOutExactly) { RunSale(this, sale_, 0); }

TEST_F(LeaseTest, ThreeNodesStopEarlyAndDrain) { RunSale(this, sale_, 600); }

// The agent killed at step K of a lease, then restarted: the grant is in
// the region exactly once and Redis agrees.
TEST_F(LeaseTest, CrashDuringLease) {
  for (int k = 1; k <= 4; ++k) {
    const std::string sale = sale_ + std::to_string(k);
    sale_ = sale;
    Cmd({"SET", Key("sku", "stock"), "120"});
    RegionFile node(Tmp() + "/" + sale);
    const auto args = AgentArgs(node, "n", sale, {"--once", "--block", "50"});
    EXPECT_EQ(Wait(StartAgent(args, "grant:" + std::to_string(k))),
              128 + SIGKILL)
        << k;
    EXPECT_EQ(Wait(StartAgent(args)), 0) << k;
    EXPECT_EQ(Wait(StartAgent(args)), 0) << k;  // nothing more to do
    const edgekit_stock_stats s = node.Stats("sku");
    EXPECT_EQ(s.added, 50u) << k;
    EXPECT_EQ(s.available, 50u) << k;
    EXPECT_EQ(Int({"GET", Key("sku", "stock")}), 70) << k;
    EXPECT_EQ(Int({"HGET", Key("sku", "ledger"), "ng:n"}), 50) << k;
    ExpectSaleConserves("sku", 120);
    node.ExpectConserves("sku");
  }
}

// The agent killed at step K of a return, then restarted: the units leave
// the region exactly once and Redis takes them back exactly once.
TEST_F(LeaseTest, CrashDuringReturn) {
  for (int k = 1; k <= 4; ++k) {
    const std::string sale = sale_ + std::to_string(k);
    sale_ = sale;
    Cmd({"SET", Key("sku", "stock"), "120"});
    RegionFile node(Tmp() + "/" + sale);
    EXPECT_EQ(Wait(StartAgent(AgentArgs(node, "n", sale, {"--once"}))), 0);
    EXPECT_EQ(node.Buy("sku", 7, "buyer"), 7u);
    const auto drain = AgentArgs(node, "n", sale, {"--drain"});
    EXPECT_EQ(Wait(StartAgent(drain, "return:" + std::to_string(k))),
              128 + SIGKILL)
        << k;
    EXPECT_EQ(Wait(StartAgent(drain)), 0) << k;
    EXPECT_EQ(Wait(StartAgent(drain)), 0) << k;
    const edgekit_stock_stats s = node.Stats("sku");
    EXPECT_EQ(s.available, 0u) << k;
    EXPECT_EQ(s.sold, 7u) << k;
    EXPECT_EQ(s.removed, 43u) << k;
    EXPECT_EQ(Int({"GET", Key("sku", "stock")}), 113) << k;
    EXPECT_EQ(Int({"HGET", Key("sku", "ledger"), "nr:n"}), 43) << k;
    ExpectSaleConserves("sku", 120);
    node.ExpectConserves("sku");
  }
}

// Crashes in a row at different steps of one lease still apply it once.
TEST_F(LeaseTest, RepeatedCrashesApplyOnce) {
  Cmd({"SET", Key("sku", "stock"), "120"});
  RegionFile node(Tmp() + "/" + sale_);
  const auto args = AgentArgs(node, "n", sale_, {"--once", "--block", "50"});
  for (const char* at : {"grant:2", "grant:2", "grant:3"}) {
    EXPECT_EQ(Wait(StartAgent(args, at)), 128 + SIGKILL) << at;
  }
  EXPECT_EQ(Wait(StartAgent(args)), 0);
  EXPECT_EQ(node.Stats("sku").added, 50u);
  EXPECT_EQ(Int({"GET", Key("sku", "stock")}), 70);
  ExpectSaleConserves("sku", 120);
}

// Redis stalls past the agent's timeout (CLIENT PAUSE): the agent gives up
// on the reply, reconnects and asks again with the same seq, and the grant
// still lands once.
TEST_F(LeaseTest, SlowRedisIsRetriedOnce) {
  Cmd({"SET", Key("sku", "stock"), "120"});
  RegionFile node(Tmp() + "/" + sale_);
  Cmd({"CLIENT", "PAUSE", "800", "ALL"});
  const auto args = AgentArgs(
      node, "n", sale_, {"--once", "--block", "50", "--timeout-ms", "100"});
  EXPECT_EQ(Wait(StartAgent(args)), 0);
  EXPECT_EQ(node.Stats("sku").added, 50u);
  EXPECT_EQ(Int({"GET", Key("sku", "stock")}), 70);
  ExpectSaleConserves("sku", 120);
}

// A journal line cut short by a crash is dropped (nothing acted on it); a
// corrupt line before the end stops the agent.
TEST_F(LeaseTest, TornJournalTailIsDroppedCorruptLineIsNot) {
  Cmd({"SET", Key("sku", "stock"), "120"});
  RegionFile node(Tmp() + "/" + sale_);
  const auto args = AgentArgs(node, "n", sale_, {"--once", "--block", "50"});
  EXPECT_EQ(Wait(StartAgent(args, "grant:3")), 128 + SIGKILL);
  const std::string journal = node.path() + ".journal";
  {
    FILE* f = std::fopen(journal.c_str(), "a");
    std::fputs("E 1 50 #0000", f);  // torn: no newline
    std::fclose(f);
  }
  EXPECT_EQ(Wait(StartAgent(args)), 0);
  EXPECT_EQ(node.Stats("sku").added, 50u);
  EXPECT_EQ(Int({"GET", Key("sku", "stock")}), 70);
  {
    FILE* f = std::fopen(journal.c_str(), "r+");
    std::fputs("Z", f);  // the first line no longer checks
    std::fclose(f);
  }
  EXPECT_EQ(Wait(StartAgent(args)), 1);
  EXPECT_EQ(node.Stats("sku").added, 50u);
  ExpectSaleConserves("sku", 120);
}

// Stock added behind the agent's back breaks the single-adder assumption:
// the agent stops rather than guess.
TEST_F(LeaseTest, AnotherAdderStopsTheAgent) {
  Cmd({"SET", Key("sku", "stock"), "120"});
  RegionFile node(Tmp() + "/" + sale_);
  const auto args = AgentArgs(node, "n", sale_, {"--once", "--block", "50"});
  EXPECT_EQ(Wait(StartAgent(args, "grant:2")), 128 + SIGKILL);
  ASSERT_EQ(edgekit_inventory_add_stock(node.inv(), "sku", 3, 5), EDGEKIT_OK);
  EXPECT_EQ(Wait(StartAgent(args)), 2);
  EXPECT_EQ(node.Stats("sku").added, 5u);  // nothing applied on a guess
}

}  // namespace
}  // namespace edgekit::redis
