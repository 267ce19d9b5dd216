// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "cli.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace edgekit::cli {

std::optional<Args> Args::Parse(const std::vector<std::string>& argv,
                                const std::vector<std::string>& known,
                                const std::vector<std::string>& flags) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() < 3 || a.compare(0, 2, "--") != 0) {
      args.positional_.push_back(a);  // includes "-" for stdin
      continue;
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const bool is_flag =
        std::find(flags.begin(), flags.end(), name) != flags.end();
    if (!is_flag &&
        std::find(known.begin(), known.end(), name) == known.end()) {
      std::cerr << "unknown option --" << name << "\n";
      return std::nullopt;
    }
    if (!is_flag && !inline_value) {
      if (i + 1 >= argv.size()) {
        std::cerr << "option --" << name << " needs a value\n";
        return std::nullopt;
      }
      value = argv[++i];
    }
    args.options_[name].push_back(value);
  }
  return args;
}

std::optional<std::string> Args::Get(const std::string& name) const {
  const auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::GetAll(const std::string& name) const {
  const auto it = options_.find(name);
  return it == options_.end() ? std::vector<std::string>() : it->second;
}

std::optional<std::string> ReadFile(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin),
                       std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return std::nullopt;
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<std::string> ReadArgument(const std::string& arg) {
  if (arg != "-") return arg;
  auto text = ReadFile("-");
  if (!text) return text;
  while (!text->empty() &&
         std::isspace(static_cast<unsigned char>(text->back()))) {
    text->pop_back();
  }
  return text;
}

int UsageError(const std::string& command, const std::string& message) {
  std::cerr << "edgekit " << command << ": " << message << "\n"
            << "Try 'edgekit " << command << " --help'.\n";
  return kExitUsage;
}

int RunMain(int (*main_fn)(int, char**), const std::vector<std::string>& args) {
  std::vector<std::string> owned = args;
  std::vector<char*> argv;
  for (std::string& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);
  return main_fn(static_cast<int>(owned.size()), argv.data());
}

}  // namespace edgekit::cli
