// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// What every command group of the `edgekit` tool shares: argument parsing,
// reading files and stdin, and the output convention (result on stdout,
// exit 0; a status name on stderr, exit 1; usage errors exit 2).

#ifndef EDGEKIT_TOOLS_CLI_H_
#define EDGEKIT_TOOLS_CLI_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edgekit::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // the operation ran and said no
constexpr int kExitUsage = 2;   // the command line was wrong

// A command line after the group and subcommand names: --name value (or
// --name=value) options, repeatable, and positional arguments.
class Args {
 public:
  // Parse splits |argv|; |flags| names the options that take no value.
  // Returns nullopt (after printing why) for an option not in |known|.
  static std::optional<Args> Parse(const std::vector<std::string>& argv,
                                   const std::vector<std::string>& known,
                                   const std::vector<std::string>& flags = {});

  bool Has(const std::string& name) const { return options_.count(name) != 0; }
  // Last value of |name|, or nullopt.
  std::optional<std::string> Get(const std::string& name) const;
  // Every value of a repeatable option, in order.
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> options_;
  std::vector<std::string> positional_;
};

// ReadFile reads a whole file, or stdin for "-"; nullopt (after printing why)
// if it cannot.
std::optional<std::string> ReadFile(const std::string& path);

// ReadArgument returns |arg| itself, or stdin's contents for "-", without
// trailing whitespace.
std::optional<std::string> ReadArgument(const std::string& arg);

// UsageError prints |message| and a pointer to --help; returns kExitUsage.
int UsageError(const std::string& command, const std::string& message);

// The command groups, each in its own file.
int TokenCommand(const std::vector<std::string>& args);
int UrlCommand(const std::vector<std::string>& args);  // url_cmd.cc

// RunMain calls an entry point written as main(argc, argv) with |args|
// (argv[0] being the subcommand) — the shape some groups keep so their tests
// can call them in-process.
int RunMain(int (*main_fn)(int, char**), const std::vector<std::string>& args);

// `edgekit region inspect FILE` (tools/region_cmd.cc).
int RegionCommand(const std::vector<std::string>& args);

// `edgekit summary show|merge` (tools/summary_cmd.cc).
int SummaryCommand(const std::vector<std::string>& args);

}  // namespace edgekit::cli

#endif  // EDGEKIT_TOOLS_CLI_H_
