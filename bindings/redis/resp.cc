// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0

#include "resp.h"

namespace edgekit::redis {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  ParseResult Parse(Reply* out, int depth) {
    if (depth > kMaxDepth) return ParseResult::kMalformed;
    if (pos_ >= in_.size()) return ParseResult::kIncomplete;
    const char kind = in_[pos_++];
    std::string_view line;
    ParseResult r = Line(&line);
    if (r != ParseResult::kOk) return r;
    switch (kind) {
      case '+':
      case '-':
        out->type = kind == '+' ? Reply::Type::kSimple : Reply::Type::kError;
        out->str.assign(line.data(), line.size());
        return ParseResult::kOk;
      case ':':
        out->type = Reply::Type::kInteger;
        return Integer(line, &out->integer) ? ParseResult::kOk
                                            : ParseResult::kMalformed;
      case '$': {
        int64_t len;
        if (!Integer(line, &len) || len < -1 || len > kMaxBulkLen) {
          return ParseResult::kMalformed;
        }
        if (len == -1) {
          out->type = Reply::Type::kNil;
          return ParseResult::kOk;
        }
        const size_t n = static_cast<size_t>(len);
        if (in_.size() - pos_ < n + 2) {
          // Check what is there already, so garbage fails early.
          if (in_.size() - pos_ > n && in_[pos_ + n] != '\r') {
            return ParseResult::kMalformed;
          }
          return ParseResult::kIncomplete;
        }
        if (in_[pos_ + n] != '\r' || in_[pos_ + n + 1] != '\n') {
          return ParseResult::kMalformed;
        }
        out->type = Reply::Type::kBulk;
        out->str.assign(in_.data() + pos_, n);
        pos_ += n + 2;
        return ParseResult::kOk;
      }
      case '*': {
        int64_t len;
        if (!Integer(line, &len) || len < -1 || len > kMaxArrayLen) {
          return ParseResult::kMalformed;
        }
        if (len == -1) {
          out->type = Reply::Type::kNil;
          return ParseResult::kOk;
        }
        out->type = Reply::Type::kArray;
        out->elements.clear();
        for (int64_t i = 0; i < len; ++i) {
          // Elements are allocated one at a time as they parse, so a large
          // announced length costs nothing until its bytes arrive.
          out->elements.emplace_back();
          r = Parse(&out->elements.back(), depth + 1);
          if (r != ParseResult::kOk) return r;
        }
        return ParseResult::kOk;
      }
      default:
        return ParseResult::kMalformed;
    }
  }

  size_t pos() const { return pos_; }

 private:
  // Line takes the bytes up to CR LF; a bare CR or LF inside is malformed.
  ParseResult Line(std::string_view* line) {
    for (size_t i = pos_; i < in_.size(); ++i) {
      if (in_[i] == '\n') return ParseResult::kMalformed;
      if (in_[i] == '\r') {
        if (i + 1 == in_.size()) return ParseResult::kIncomplete;
        if (in_[i + 1] != '\n') return ParseResult::kMalformed;
        *line = in_.substr(pos_, i - pos_);
        pos_ = i + 2;
        return ParseResult::kOk;
      }
    }
    // Integers and lengths are short; a header line this long is garbage.
    if (in_.size() - pos_ > kMaxLine) return ParseResult::kMalformed;
    return ParseResult::kIncomplete;
  }

  // Integer accepts an optional '-' then 1..19 digits without a leading
  // zero (except "0" itself), within int64_t; "-0" is refused.
  static bool Integer(std::string_view s, int64_t* out) {
    bool negative = false;
    if (!s.empty() && s[0] == '-') {
      negative = true;
      s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 19) return false;
    if (s[0] == '0' && (s.size() > 1 || negative)) return false;
    uint64_t v = 0;
    for (const char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    if (v > limit) return false;
    *out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
    return true;
  }

  static constexpr size_t kMaxLine = 64 * 1024;
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

ParseResult ParseReply(std::string_view in, Reply* out, size_t* consumed) {
  Parser p(in);
  *out = Reply();
  const ParseResult r = p.Parse(out, 0);
  *consumed = r == ParseResult::kOk ? p.pos() : 0;
  return r;
}

void AppendCommand(const std::vector<std::string_view>& args,
                   std::string* out) {
  out->append("*").append(std::to_string(args.size())).append("\r\n");
  for (const std::string_view a : args) {
    out->append("$").append(std::to_string(a.size())).append("\r\n");
    out->append(a.data(), a.size()).append("\r\n");
  }
}

}  // namespace edgekit::redis
