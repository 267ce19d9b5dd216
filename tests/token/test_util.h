// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Test data access: committed known answers under tests/token/data and the
// vectors gen_vectors.py makes at build time (EDGEKIT_TEST_DATA).

#ifndef EDGEKIT_TESTS_TOKEN_TEST_UTIL_H_
#define EDGEKIT_TESTS_TOKEN_TEST_UTIL_H_

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace edgekit::testing {

inline std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Committed data: tests/token/data/<name> (edgekit_test compiles the source
// tree in, so the tests run from any directory).
inline std::string SourceData(const std::string& name) {
  return ReadFileOrDie(std::string(EDGEKIT_SOURCE_DIR) + "/tests/token/data/" +
                       name);
}

inline std::string GeneratedPath(const std::string& name) {
  const char* dir = std::getenv("EDGEKIT_TEST_DATA");
  return std::string(dir ? dir : "data") + "/" + name;
}

// Generated data: the build's data/<name>.
inline std::string GeneratedData(const std::string& name) {
  return ReadFileOrDie(GeneratedPath(name));
}

inline std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

struct Vector {
  std::string name;
  std::string expect;  // a status name
  std::string token;
};

// Vectors reads data/vectors.txt: name TAB status TAB token per line.
inline std::vector<Vector> Vectors() {
  std::vector<Vector> out;
  std::istringstream in(GeneratedData("vectors.txt"));
  std::string line;
  while (std::getline(in, line)) {
    const size_t a = line.find('\t'), b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    out.push_back(
        {line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  EXPECT_GE(out.size(), 13u);
  return out;
}

}  // namespace edgekit::testing

#endif  // EDGEKIT_TESTS_TOKEN_TEST_UTIL_H_
