// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// A minimal Redis client for the lease agent: one TCP connection to
// 127.0.0.1:port, one command at a time, every send and receive bounded by
// a timeout. Any failure (connect, timeout, malformed reply) closes the
// connection; the next call reconnects. A command whose reply was lost may
// or may not have run — the lease script is idempotent for exactly that
// reason, and callers retry with the same arguments.

#ifndef EDGEKIT_BINDINGS_REDIS_CLIENT_H_
#define EDGEKIT_BINDINGS_REDIS_CLIENT_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "resp.h"

namespace edgekit::redis {

class Client {
 public:
  Client(uint16_t port, int timeout_ms) : port_(port), timeout_ms_(timeout_ms) {}
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Command sends |args| and reads one reply into |*out|. False on a
  // transport or protocol failure, with the reason in |*error|; an error
  // reply from Redis is a successful call with out->type == kError.
  bool Command(const std::vector<std::string_view>& args, Reply* out,
               std::string* error);

  // Eval runs |script| by its SHA1 (EVALSHA), loading it with SCRIPT LOAD
  // the first time and whenever Redis answers NOSCRIPT (a restart, SCRIPT
  // FLUSH); if SCRIPT LOAD itself is refused it falls back to EVAL.
  bool Eval(std::string_view script, const std::vector<std::string_view>& keys,
            const std::vector<std::string_view>& args, Reply* out,
            std::string* error);

 private:
  bool Connect(std::string* error);
  void Close();
  bool SendAll(std::string_view data, std::string* error);

  uint16_t port_;
  int timeout_ms_;
  int fd_ = -1;
  std::string buffer_;  // received bytes not yet parsed
  std::map<std::string, std::string> shas_;  // script -> its SHA1 in Redis
};

}  // namespace edgekit::redis

#endif  // EDGEKIT_BINDINGS_REDIS_CLIENT_H_
