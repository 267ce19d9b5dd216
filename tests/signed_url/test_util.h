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

// The source tree, compiled in by edgekit_test().
inline std::string SourceDir() { return EDGEKIT_SOURCE_DIR; }

inline std::string DataPath(const std::string& name) {
  return SourceDir() + "/tests/signed_url/data/" + name;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// VectorSet is one set of vectors and where it came from.
struct VectorSet {
  std::string source;
  picojson::value json;
};

// LoadVectors returns the committed |fallback| (written by |generator|) and,
// when node and the npm package are present, a set |generator| makes now, so
// tokens signed today by the independent signer are checked too.
inline std::vector<VectorSet> LoadVectors(const std::string& generator,
                                          const std::string& fallback) {
  std::vector<std::pair<std::string, std::string>> texts;
  texts.emplace_back("committed " + fallback, ReadFile(DataPath(fallback)));
  const std::string script = SourceDir() + "/tests/signed_url/" + generator;
  const std::string cmd = "node '" + script + "' 2>/dev/null";
  std::string json;
  if (std::system("command -v node >/dev/null 2>&1") == 0) {
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[4096];
      size_t n;
      while ((n = fread(buf, 1, sizeof(buf), p)) > 0) json.append(buf, n);
      if (pclose(p) != 0) json.clear();
    }
  }
  if (!json.empty()) {
    texts.emplace_back("generated now by " + generator, json);
  } else {
    std::printf(
        "%s: node or its npm package is missing (npm ci in "
        "tests/signed_url); committed vectors only\n",
        generator.c_str());
  }
  std::vector<VectorSet> sets;
  for (const auto& [source, text] : texts) {
    picojson::value v;
    const std::string err = picojson::parse(v, text);
    EXPECT_TRUE(err.empty()) << source << ": " << err;
    std::printf("vectors: %s\n", source.c_str());
    sets.push_back({source, v});
  }
  return sets;
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
