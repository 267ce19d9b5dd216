// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The RESP2 reply parser on every reply shape and every malformed one, and
// the client against fake servers that misbehave (garbage, silence, a
// closed connection): errors, never a crash or a hang.

#include "resp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "client.h"
#include "gtest/gtest.h"

namespace edgekit::redis {
namespace {

ParseResult Parse(std::string_view in, Reply* out, size_t* used) {
  return ParseReply(in, out, used);
}

TEST(Resp, ParsesEveryType) {
  Reply r;
  size_t used;
  ASSERT_EQ(Parse("+OK\r\n", &r, &used), ParseResult::kOk);
  EXPECT_EQ(r.type, Reply::Type::kSimple);
  EXPECT_EQ(r.str, "OK");
  EXPECT_EQ(used, 5u);
  ASSERT_EQ(Parse("-ERR no\r\n", &r, &used), ParseResult::kOk);
  EXPECT_EQ(r.type, Reply::Type::kError);
  EXPECT_EQ(r.str, "ERR no");
  ASSERT_EQ(Parse(":-42\r\n", &r, &used), ParseResult::kOk);
  EXPECT_EQ(r.integer, -42);
  ASSERT_EQ(Parse(":9223372036854775807\r\n", &r, &used), ParseResult::kOk);
  EXPECT_EQ(r.integer, INT64_MAX);
  ASSERT_EQ(Parse(":-9223372036854775808\r\n", &r, &used), ParseResult::kOk);
  EXPECT_EQ(r.integer, INT64_MIN);
  ASSERT_EQ(Parse("$5\r\na\r\nb!\r\n", &r, &used), ParseResult::kOk);
  EXPECT_EQ(r.type, Reply::Type::kBulk);
  EXPECT_EQ(r.str, "a\r\nb!");
  ASSERT_EQ(Parse("$0\r\n\r\n", &r, &used), ParseResult::kOk);
  EXPECT_EQ(r.str, "");
  ASSERT_EQ(Parse("$-1\r\n", &r, &used), ParseResult::kOk);
  EXPECT_EQ(r.type, Reply::Type::kNil);
  ASSERT_EQ(Parse("*-1\r\n", &r, &used), ParseResult::kOk);
  EXPECT_EQ(r.type, Reply::Type::kNil);
  ASSERT_EQ(Parse("*3\r\n:1\r\n*1\r\n$1\r\nx\r\n$-1\r\n+rest", &r, &used),
            ParseResult::kOk);
  ASSERT_EQ(r.type, Reply::Type::kArray);
  ASSERT_EQ(r.elements.size(), 3u);
  EXPECT_EQ(r.elements[1].elements[0].str, "x");
  EXPECT_EQ(r.elements[2].type, Reply::Type::kNil);
  EXPECT_EQ(used, 24u);  // stops before the next reply
  ASSERT_EQ(Parse("*0\r\n", &r, &used), ParseResult::kOk);
  EXPECT_TRUE(r.elements.empty());
}

TEST(Resp, EveryPrefixIsIncomplete) {
  const std::string full = "*2\r\n$3\r\nabc\r\n:12\r\n";
  Reply r;
  size_t used;
  for (size_t n = 0; n < full.size(); ++n) {
    EXPECT_EQ(Parse(full.substr(0, n), &r, &used), ParseResult::kIncomplete)
        << n;
  }
  EXPECT_EQ(Parse(full, &r, &used), ParseResult::kOk);
}

TEST(Resp, RefusesMalformedReplies) {
  const char* bad[] = {
      "?x\r\n",                     // unknown type
      "+OK\n",                      // LF without CR
      "+O\rK\r\n",                  // bare CR
      ":\r\n",                      // empty integer
      ":+1\r\n",                    // plus sign
      ":01\r\n",                    // leading zero
      ":-0\r\n",                    // negative zero
      ": 1\r\n",                    // space
      ":1a\r\n",                    // trailing garbage
      ":9223372036854775808\r\n",   // overflow
      ":-9223372036854775809\r\n",  // underflow
      ":12345678901234567890\r\n",  // 20 digits
      "$-2\r\n",                    // negative length
      "$3\r\nabcd\r\n",             // body longer than announced
      "$3\r\nab\r\n:1",             // body shorter
      "$3\r\nabcXY",                // no CR LF after the body
      "$1048577\r\n",               // over kMaxBulkLen
      "*-2\r\n",
      "*65537\r\n",   // over kMaxArrayLen
      "*1\r\n?\r\n",  // bad element
  };
  for (const char* in : bad) {
    Reply r;
    size_t used = 99;
    EXPECT_EQ(Parse(in, &r, &used), ParseResult::kMalformed) << in;
    EXPECT_EQ(used, 0u);
  }
  std::string deep;
  for (int i = 0; i <= kMaxDepth + 1; ++i) deep += "*1\r\n";
  deep += ":1\r\n";
  Reply r;
  size_t used;
  EXPECT_EQ(Parse(deep, &r, &used), ParseResult::kMalformed);
  EXPECT_EQ(Parse(std::string(70000, 'x').insert(0, ":"), &r, &used),
            ParseResult::kMalformed);  // a header line without end
}

TEST(Resp, EncodesCommands) {
  std::string out;
  AppendCommand({"GET", std::string_view("a\0b", 3), ""}, &out);
  EXPECT_EQ(out,
            std::string("*3\r\n$3\r\nGET\r\n$3\r\na\0b\r\n$0\r\n\r\n", 28));
}

// A one-connection fake server answering each command with |reply|.
class FakeServer {
 public:
  explicit FakeServer(std::string reply, bool close_after = false) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len), 0);
    EXPECT_EQ(listen(listen_fd_, 4), 0);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, reply, close_after] {
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      char buf[4096];
      if (read(fd, buf, sizeof buf) > 0 && !reply.empty()) {
        EXPECT_EQ(write(fd, reply.data(), reply.size()),
                  static_cast<ssize_t>(reply.size()));
      }
      if (!close_after) {
        // Hold the connection until the client gives up.
        while (read(fd, buf, sizeof buf) > 0) {
        }
      }
      close(fd);
    });
  }
  ~FakeServer() {
    shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    close(listen_fd_);
  }
  uint16_t port() const { return port_; }

 private:
  int listen_fd_;
  uint16_t port_;
  std::thread thread_;
};

TEST(Client, MalformedReplyIsAnError) {
  FakeServer server("+OK\r\n:12x\r\n");
  Client client(server.port(), 2000);
  Reply r;
  std::string error;
  ASSERT_TRUE(client.Command({"PING"}, &r, &error)) << error;
  EXPECT_EQ(r.str, "OK");
  // The bytes after the first reply answer the second command.
  EXPECT_FALSE(client.Command({"PING"}, &r, &error));
  EXPECT_EQ(error, "malformed reply");
}

TEST(Client, GarbageIsAnError) {
  FakeServer server(":12x\r\n");
  Client client(server.port(), 2000);
  Reply r;
  std::string error;
  EXPECT_FALSE(client.Command({"PING"}, &r, &error));
  EXPECT_EQ(error, "malformed reply");
}

TEST(Client, SilenceTimesOut) {
  FakeServer server("");
  Client client(server.port(), 200);
  Reply r;
  std::string error;
  EXPECT_FALSE(client.Command({"PING"}, &r, &error));
  EXPECT_EQ(error, "reply: timed out");
}

TEST(Client, HalfAReplyThenCloseIsAnError) {
  FakeServer server("$10\r\nabc", /*close_after=*/true);
  Client client(server.port(), 2000);
  Reply r;
  std::string error;
  EXPECT_FALSE(client.Command({"PING"}, &r, &error));
  EXPECT_EQ(error, "connection closed");
}

TEST(Client, RefusedConnectionIsAnError) {
  uint16_t port;
  {
    FakeServer server("");
    port = server.port();
    Client c(port, 500);  // let the fake's accept return
    Reply r;
    std::string e;
    (void)c.Command({"PING"}, &r, &e);
  }
  Client client(port, 500);
  Reply r;
  std::string error;
  EXPECT_FALSE(client.Command({"PING"}, &r, &error));
  EXPECT_NE(error.find("connect"), std::string::npos) << error;
}

}  // namespace
}  // namespace edgekit::redis
