// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Runs Debian's real nginx (ngx_http_secure_link_module) on 127.0.0.1 with a
// private prefix, configuration and port, asks it about every link of a
// generated set — valid, expired, tampered, wrong secret, bad base64, odd
// arguments and a few hundred random mutations — and checks that edgekit
// gives the same answer for each ("1", "0" or "" for secure_link_md5; the
// link or "" for secure_link_secret). nginx is started once per test program
// and stopped at the end. The test skips only if there is no nginx binary.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/base64url.h"
#include "crypto/crypto.h"
#include "gtest/gtest.h"
#include "signed_url/internal.h"
#include "signed_url/signed_url.h"

namespace edgekit::signed_url {
namespace {

std::string FindNginx() {
  for (const char* p : {"/usr/sbin/nginx", "/usr/local/sbin/nginx",
                        "/usr/local/nginx/sbin/nginx"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return "";
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = {};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    return -1;
  }
  close(fd);
  return ntohs(a.sin_port);
}

// Get sends one HTTP/1.0 request and returns "<status> <body>", or "" if
// nothing answered.
std::string Get(int port, const std::string& target) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = {};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return "";
  }
  const std::string req =
      "GET " + target + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
  if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) {
    close(fd);
    return "";
  }
  std::string resp;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) resp.append(buf, n);
  close(fd);
  const size_t body = resp.find("\r\n\r\n");
  if (resp.size() < 12 || body == std::string::npos) return "";
  return resp.substr(9, 3) + " " + resp.substr(body + 4);
}

class NginxInterop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string nginx = FindNginx();
    if (nginx.empty()) return;
    char tmpl[] = "/tmp/edgekit-nginx-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return;
    prefix_ = new std::string(tmpl);
    std::filesystem::create_directories(*prefix_ + "/logs");
    port_ = FreePort();
    const std::string conf = *prefix_ + "/nginx.conf";
    std::ofstream(conf) << "daemon off;\nmaster_process off;\n"
                        << "pid " << *prefix_ << "/nginx.pid;\n"
                        << "error_log " << *prefix_ << "/logs/error.log;\n"
                        << R"(events { worker_connections 64; }
http {
  access_log off;
  default_type text/plain;
  server {
    listen 127.0.0.1:)" << port_
                        << R"(;
    location /s/ {
      secure_link $arg_md5,$arg_expires;
      secure_link_md5 "$secure_link_expires$uri$remote_addr secret";
      return 200 "[$secure_link]";
    }
    location /n/ {
      secure_link $arg_md5;
      secure_link_md5 "$uri secret";
      return 200 "[$secure_link]";
    }
    location /p/ {
      secure_link_secret word;
      return 200 "[$secure_link]";
    }
  }
}
)";
    pid_ = fork();
    if (pid_ == 0) {
      const std::string err = *prefix_ + "/logs/error.log";
      execl(nginx.c_str(), "nginx", "-p", prefix_->c_str(), "-c", conf.c_str(),
            "-e", err.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100; ++i) {
      if (!Get(port_, "/").empty()) return;
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  static void TearDownTestSuite() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (prefix_ != nullptr) {
      std::error_code ec;
      std::filesystem::remove_all(*prefix_, ec);
      delete prefix_;
      prefix_ = nullptr;
    }
  }

  void SetUp() override {
    if (FindNginx().empty()) {
      GTEST_SKIP() << "nginx is not installed (scripts/install-deps.sh test "
                      "installs Debian's nginx); interop with it is unproven";
    }
    ASSERT_GT(pid_, 0) << "nginx did not start; its log:\n"
                       << (prefix_ ? ReadLog() : std::string());
  }

  static std::string ReadLog() {
    std::ifstream in(*prefix_ + "/logs/error.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  static std::string* prefix_;
  static int port_;
  static pid_t pid_;
};
std::string* NginxInterop::prefix_ = nullptr;
int NginxInterop::port_ = 0;
pid_t NginxInterop::pid_ = -1;

std::string Md5B64(const std::string& msg) {
  uint8_t md5[16];
  crypto::Digest(crypto::Hash::kMd5, msg, md5);
  std::string out;
  Base64UrlAppend(std::string_view(reinterpret_cast<char*>(md5), 16), &out);
  return out;
}

std::string Md5Hex(const std::string& msg) {
  uint8_t md5[16];
  crypto::Digest(crypto::Hash::kMd5, msg, md5);
  return internal::EncodeHex(
      std::string_view(reinterpret_cast<char*>(md5), 16));
}

// Link is one request: what goes on the wire, and the $uri nginx derives.
struct Link {
  std::string target;
  std::string uri;
};

std::string Query(const std::string& target) {
  const size_t q = target.find('?');
  return q == std::string::npos ? "" : target.substr(q + 1);
}

// RandomMutations changes 1–3 bytes of |target| after |from| to bytes that
// travel unescaped in a request line.
std::vector<std::string> RandomMutations(const std::string& target, size_t from,
                                         int count) {
  static constexpr char kSafe[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=,&+/.";
  std::mt19937 rng(12345);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    std::string m = target;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && m.size() > from; ++e) {
      const size_t pos = from + rng() % (m.size() - from);
      switch (rng() % 3) {
        case 0:
          m[pos] = kSafe[rng() % (sizeof(kSafe) - 1)];
          break;
        case 1:
          m.erase(pos, 1);
          break;
        default:
          m.insert(pos, 1, kSafe[rng() % (sizeof(kSafe) - 1)]);
      }
    }
    out.push_back(m);
  }
  return out;
}

const char* Md5Verdict(edgekit_status s) {
  switch (s) {
    case EDGEKIT_OK:
      return "1";
    case EDGEKIT_E_EXPIRED:
      return "0";
    default:
      return "";
  }
}

TEST_F(NginxInterop, SecureLinkMd5WithExpiry) {
  NginxMd5Options o;
  o.message = "$secure_link_expires$uri$remote_addr secret";
  auto v = NewNginxMd5Verifier(o);
  ASSERT_TRUE(v.ok());
  const int64_t now = std::time(nullptr);
  const std::string uri = "/s/file.txt";
  auto sign = [&](const std::string& exp, const std::string& path,
                  const std::string& secret = "secret") {
    return Md5B64(exp + path + "127.0.0.1 " + secret);
  };
  const std::string exp = std::to_string(now + 3600);
  const std::string old = std::to_string(now - 3600);
  const std::string good = sign(exp, uri);
  std::string low_bits = good;
  low_bits.back() = static_cast<char>(low_bits.back() ^ 1);
  std::string tampered = good;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  std::vector<Link> links = {
      {uri + "?md5=" + good + "&expires=" + exp, uri},
      {uri + "?md5=" + sign(old, uri) + "&expires=" + old, uri},
      {uri + "?md5=" + sign("4102444800", uri) + "&expires=4102444800", uri},
      {uri + "?md5=" + tampered + "&expires=" + exp, uri},
      {uri + "?md5=" + sign(exp, uri, "wrong") + "&expires=" + exp, uri},
      {uri + "?md5=" + good + "&expires=" + std::to_string(now + 3601), uri},
      {"/s/other.txt?md5=" + good + "&expires=" + exp, "/s/other.txt"},
      {uri + "?md5=" + good.substr(0, 10) + "+" + good.substr(11) +
           "&expires=" + exp,
       uri},
      {uri + "?md5=" + good.substr(0, 10) + "/" + good.substr(11) +
           "&expires=" + exp,
       uri},
      {uri + "?md5=" + good.substr(0, 10) + "." + good.substr(11) +
           "&expires=" + exp,
       uri},
      {uri + "?md5=" + good + "==&expires=" + exp, uri},
      {uri + "?md5=" + good + "=x&expires=" + exp, uri},
      {uri + "?md5=" + good + "=xyz&expires=" + exp, uri},
      {uri + "?md5=" + low_bits + "&expires=" + exp, uri},
      {uri + "?md5=" + good + "A&expires=" + exp, uri},
      {uri + "?md5=" + good.substr(0, 21) + "&expires=" + exp, uri},
      {uri + "?md5=" + good.substr(0, 20) + "&expires=" + exp, uri},
      {uri + "?md5=" + good + "AAA&expires=" + exp, uri},
      {uri + "?md5=&expires=" + exp, uri},
      {uri + "?expires=" + exp, uri},
      {uri + "?md5=" + good, uri},
      {uri + "?md5=" + good + "&expires=", uri},
      {uri + "?md5=" + sign("0", uri) + "&expires=0", uri},
      {uri + "?md5=" + sign("-1", uri) + "&expires=-1", uri},
      {uri + "?md5=" + sign(exp + "a", uri) + "&expires=" + exp + "a", uri},
      {uri + "?md5=" + sign("99999999999999999999", uri) +
           "&expires=99999999999999999999",
       uri},
      {uri + "?md5=" + sign("0" + exp, uri) + "&expires=0" + exp, uri},
      {uri + "?MD5=" + good + "&EXPIRES=" + exp, uri},
      {uri + "?md5=" + tampered + "&md5=" + good + "&expires=" + exp, uri},
      {uri + "?md5=" + good + "&md5=" + tampered + "&expires=" + exp, uri},
      {uri + "?xmd5=" + tampered + "&md5=" + good + "&expires=" + exp, uri},
      {uri + "?md5=" + good + ",1&expires=" + exp, uri},
      {uri + "?a=1&md5=" + good + "&b=2&expires=" + exp + "&c", uri},
      {"/s/a%20b.txt?md5=" + sign(exp, "/s/a b.txt") + "&expires=" + exp,
       "/s/a b.txt"},
      {"", ""},
  };
  links.pop_back();
  const std::string base = links[0].target;
  for (const std::string& m : RandomMutations(base, uri.size() + 1, 300)) {
    links.push_back({m, uri});
  }

  int ok = 0, expired = 0, refused = 0;
  for (const Link& l : links) {
    const std::string nginx = Get(port_, l.target);
    ASSERT_EQ(nginx.substr(0, 4), "200 ") << l.target << " → " << nginx;
    const std::string query = Query(l.target);
    Request req;
    req.path = l.uri;
    req.query = query;
    req.client_ip = "127.0.0.1";
    req.now_s = std::time(nullptr);
    const edgekit_status s = (*v)->Verify(req, nullptr);
    EXPECT_EQ(nginx.substr(4), "[" + std::string(Md5Verdict(s)) + "]")
        << l.target << " edgekit: " << edgekit_status_name(s);
    (s == EDGEKIT_OK ? ok : s == EDGEKIT_E_EXPIRED ? expired : refused)++;
  }
  std::printf(
      "secure_link_md5: %zu links, nginx and edgekit agree on all: "
      "%d valid, %d expired, %d refused\n",
      links.size(), ok, expired, refused);
  EXPECT_GE(ok, 6);
  EXPECT_GE(expired, 1);
}

TEST_F(NginxInterop, SecureLinkMd5WithoutExpiry) {
  NginxMd5Options o;
  o.message = "$uri secret";
  o.no_expiry = true;
  auto v = NewNginxMd5Verifier(o);
  ASSERT_TRUE(v.ok());
  const std::string uri = "/n/x.bin";
  const std::string good = Md5B64(uri + " secret");
  std::vector<Link> links = {
      {uri + "?md5=" + good, uri},
      {uri + "?md5=" + good + "&expires=1", uri},
      {uri + "?md5=" + good + ",1", uri},
      {uri + "?md5=" + good + ",", uri},
      {uri + "?md5=" + good + ",4102444800", uri},  // a comma in the value
      {uri + "?md5=" + Md5B64(uri + " other"), uri},
      {uri, uri},
      {uri + "?md5=", uri},
  };
  for (const std::string& m :
       RandomMutations(links[0].target, uri.size() + 1, 200)) {
    links.push_back({m, uri});
  }
  int ok = 0;
  for (const Link& l : links) {
    const std::string nginx = Get(port_, l.target);
    ASSERT_EQ(nginx.substr(0, 4), "200 ") << l.target << " → " << nginx;
    const std::string query = Query(l.target);
    Request req;
    req.path = l.uri;
    req.query = query;
    req.now_s = std::time(nullptr);
    const edgekit_status s = (*v)->Verify(req, nullptr);
    EXPECT_EQ(nginx.substr(4), "[" + std::string(Md5Verdict(s)) + "]")
        << l.target << " edgekit: " << edgekit_status_name(s);
    ok += s == EDGEKIT_OK;
  }
  std::printf("secure_link_md5 without expiry: %zu links agree, %d valid\n",
              links.size(), ok);
  EXPECT_GE(ok, 2);
}

TEST_F(NginxInterop, SecureLinkSecret) {
  auto v = NewNginxSecretVerifier("word");
  ASSERT_TRUE(v.ok());
  const std::string hex = Md5Hex("f.txtword");
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  std::vector<std::string> targets = {
      "/p/" + hex + "/f.txt",
      "/p/" + upper + "/f.txt",
      "/p/" + Md5Hex("f.txt?a=1word") + "/f.txt?a=1",
      "/p/" + hex + "/f.txt?a=1",
      "/p/" + Md5Hex("dir/f.txtword") + "/dir/f.txt",
      "/p/" + Md5Hex("a/../bword") + "/a/../b",
      "/p/" + Md5Hex("f.txtother") + "/f.txt",
      "/p/" + hex.substr(0, 31) + "/f.txt",
      "/p/" + hex + "0/f.txt",
      "/p/" + hex.substr(0, 31) + "g/f.txt",
      "/p/" + hex + "/",
      "/p/" + hex,
      "/p/",
      "/p//" + hex + "/f.txt",
  };
  const size_t n = targets.size();
  for (size_t i = 0; i < 3 && i < n; ++i) {
    for (const std::string& m : RandomMutations(targets[i], 3, 100)) {
      if (m.find("/.") == std::string::npos) targets.push_back(m);
    }
  }
  int ok = 0;
  for (const std::string& t : targets) {
    const std::string nginx = Get(port_, t);
    if (nginx.substr(0, 4) != "200 ") {
      // A mutation that left the /p/ location is nginx's 404, not a verdict.
      EXPECT_EQ(nginx.substr(0, 4), "404 ") << t;
      continue;
    }
    Request req;
    req.path = t;
    Result r;
    const edgekit_status s = (*v)->Verify(req, &r);
    const std::string mine =
        s == EDGEKIT_OK ? "[" + std::string(r.scope) + "]" : "[]";
    EXPECT_EQ(nginx.substr(4), mine)
        << t << " edgekit: " << edgekit_status_name(s);
    ok += s == EDGEKIT_OK;
  }
  std::printf("secure_link_secret: %zu links agree, %d valid\n", targets.size(),
              ok);
  EXPECT_GE(ok, 5);
}

}  // namespace
}  // namespace edgekit::signed_url
