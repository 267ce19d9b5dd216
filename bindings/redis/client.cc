// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace edgekit::redis {
namespace {

bool WaitFor(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int r;
  do {
    r = poll(&p, 1, timeout_ms);
  } while (r < 0 && errno == EINTR);
  return r > 0;
}

}  // namespace

Client::~Client() { Close(); }

void Client::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool Client::Connect(std::string* error) {
  if (fd_ >= 0) return true;
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS || !WaitFor(fd_, POLLOUT, timeout_ms_)) {
      *error = std::string("connect: ") +
               (errno == EINPROGRESS ? "timed out" : std::strerror(errno));
      Close();
      return false;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
      *error = std::string("connect: ") + std::strerror(err);
      Close();
      return false;
    }
  }
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

bool Client::SendAll(std::string_view data, std::string* error) {
  while (!data.empty()) {
    const ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      if (!WaitFor(fd_, POLLOUT, timeout_ms_)) {
        *error = "send: timed out";
        return false;
      }
    } else {
      *error = std::string("send: ") + std::strerror(errno);
      return false;
    }
  }
  return true;
}

bool Client::Command(const std::vector<std::string_view>& args, Reply* out,
                     std::string* error) {
  if (!Connect(error)) return false;
  std::string request;
  AppendCommand(args, &request);
  if (!SendAll(request, error)) {
    Close();
    return false;
  }
  // One timeout for the whole reply, however it is split into packets.
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(timeout_ms_);
  for (;;) {
    size_t used = 0;
    switch (ParseReply(buffer_, out, &used)) {
      case ParseResult::kOk:
        buffer_.erase(0, used);
        return true;
      case ParseResult::kMalformed:
        *error = "malformed reply";
        Close();
        return false;
      case ParseResult::kIncomplete:
        break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0 || !WaitFor(fd_, POLLIN, static_cast<int>(left))) {
      *error = "reply: timed out";
      Close();
      return false;
    }
    char chunk[4096];
    const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
    } else if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
      continue;
    } else {
      *error = n == 0 ? "connection closed" : std::strerror(errno);
      Close();
      return false;
    }
  }
}

bool Client::Eval(std::string_view script,
                  const std::vector<std::string_view>& keys,
                  const std::vector<std::string_view>& args, Reply* out,
                  std::string* error) {
  const std::string nkeys = std::to_string(keys.size());
  auto call = [&](std::string_view verb, std::string_view body) {
    std::vector<std::string_view> argv = {verb, body, nkeys};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    return Command(argv, out, error);
  };
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string& sha = shas_[std::string(script)];
    if (sha.empty()) {
      Reply loaded;
      if (!Command({"SCRIPT", "LOAD", script}, &loaded, error)) return false;
      if (loaded.type != Reply::Type::kBulk || loaded.str.size() != 40) {
        // Some proxies refuse SCRIPT; EVAL carries the script itself.
        return call("EVAL", script);
      }
      sha = loaded.str;
    }
    if (!call("EVALSHA", sha)) return false;
    if (out->type != Reply::Type::kError ||
        out->str.compare(0, 8, "NOSCRIPT") != 0) {
      return true;
    }
    sha.clear();  // NOSCRIPT means nothing ran: load it and ask again
  }
  return call("EVAL", script);
}

}  // namespace edgekit::redis
