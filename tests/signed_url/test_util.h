// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Helpers shared by the signed-URL tests: data files, generated vectors and
// the mutators that every valid link is run through.

#ifndef EDGEKIT_TESTS_SIGNED_URL_TEST_UTIL_H_
#define EDGEKIT_TESTS_SIGNED_URL_TEST_UTIL_H_

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "picojson.h"

namespace edgekit::signed_url::testing {

inline std::string SourceDir() {
  const char* dir = std::getenv("EDGEKIT_SOURCE_DIR");
  return dir != nullptr ? dir : EDGEKIT_TEST_SOURCE_DIR;
}

inline std::string DataPath(const std::string& name) {
  return SourceDir() + "/tests/signed_url/data/" + name;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// LoadVectors runs |generator| (a node script in tests/signed_url) when node
// and its npm package are present, so the test checks tokens made today by
// the independent signer; otherwise it reads the committed |fallback| that
// the same script wrote. |*source| says which was used.
inline picojson::value LoadVectors(const std::string& generator,
                                   const std::string& fallback,
                                   std::string* source) {
  std::string json;
  const std::string script = SourceDir() + "/tests/signed_url/" + generator;
  const std::string cmd = "node '" + script + "' 2>/dev/null";
  if (std::system("command -v node >/dev/null 2>&1") == 0) {
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[4096];
      size_t n;
      while ((n = fread(buf, 1, sizeof(buf), p)) > 0) json.append(buf, n);
      if (pclose(p) != 0) json.clear();
    }
  }
  if (!json.empty()) {
    *source = "generated now by " + generator;
  } else {
    json = ReadFile(DataPath(fallback));
    *source = "committed " + fallback + " (node or the npm package missing)";
  }
  picojson::value v;
  const std::string err = picojson::parse(v, json);
  EXPECT_TRUE(err.empty()) << err;
  return v;
}

inline const picojson::array& Cases(const picojson::value& v) {
  return v.get("cases").get<picojson::array>();
}

inline std::string Str(const picojson::value& o, const char* name) {
  const picojson::value& v = o.get(name);
  return v.is<std::string>() ? v.get<std::string>() : std::string();
}

inline int64_t Int(const picojson::value& o, const char* name) {
  const picojson::value& v = o.get(name);
  return v.is<double>() ? static_cast<int64_t>(v.get<double>()) : 0;
}

// Mutations of |s| at |pos|: the byte flipped in its low bit, replaced by a
// byte that no dialect's alphabet holds (a case change would be a no-op for
// hex), deleted; and the string truncated there.
inline std::vector<std::string> MutationsAt(const std::string& s, size_t pos) {
  std::vector<std::string> out;
  std::string flip = s;
  flip[pos] = static_cast<char>(flip[pos] ^ 1);
  out.push_back(flip);
  std::string other = s;
  other[pos] = other[pos] == '#' ? '$' : '#';
  out.push_back(other);
  out.push_back(s.substr(0, pos) + s.substr(pos + 1));
  out.push_back(s.substr(0, pos));
  return out;
}

}  // namespace edgekit::signed_url::testing

#endif  // EDGEKIT_TESTS_SIGNED_URL_TEST_UTIL_H_
