// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// A hand-written, iterative (so a deep document cannot exhaust the stack)
// validator for the few hundred bytes of a JWS header or payload. Strings are
// validated on the way but unescaped only when a caller asks for a value.

#include "token/json.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

#include "absl/strings/charconv.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace edgekit::token {
namespace {

inline bool IsWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the four hex digits at |p| (bounds checked by the caller).
inline int Hex4(const char* p) {
  const int a = HexValue(p[0]), b = HexValue(p[1]), c = HexValue(p[2]),
            d = HexValue(p[3]);
  if ((a | b | c | d) < 0) return -1;
  return a << 12 | b << 8 | c << 4 | d;
}

constexpr std::array<bool, 256> MakePlainStringBytes() {
  std::array<bool, 256> table{};
  for (int c = 0x20; c < 0x80; ++c) table[c] = c != '"' && c != '\\';
  return table;
}
// The bytes a string may hold as they are: not a quote, backslash, control
// character or the start of a multi-byte sequence.
constexpr std::array<bool, 256> kPlainStringByte = MakePlainStringBytes();

// Validates the UTF-8 sequence starting at doc[i] (a byte >= 0x80) and
// returns its length, or 0 if it is not well-formed (overlong forms,
// surrogates and code points above U+10FFFF are not), per RFC 3629.
size_t Utf8SequenceLength(std::string_view doc, size_t i) {
  const auto* s = reinterpret_cast<const unsigned char*>(doc.data());
  const size_t n = doc.size();
  const unsigned char c = s[i];
  auto cont = [&](size_t k, unsigned char lo, unsigned char hi) {
    return i + k < n && s[i + k] >= lo && s[i + k] <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) return cont(1, 0x80, 0xbf) ? 2 : 0;
  if (c == 0xe0) return cont(1, 0xa0, 0xbf) && cont(2, 0x80, 0xbf) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) {
    return cont(1, 0x80, 0xbf) && cont(2, 0x80, 0xbf) ? 3 : 0;
  }
  if (c == 0xed) return cont(1, 0x80, 0x9f) && cont(2, 0x80, 0xbf) ? 3 : 0;
  if (c == 0xf0) {
    return cont(1, 0x90, 0xbf) && cont(2, 0x80, 0xbf) && cont(3, 0x80, 0xbf)
               ? 4
               : 0;
  }
  if (c >= 0xf1 && c <= 0xf3) {
    return cont(1, 0x80, 0xbf) && cont(2, 0x80, 0xbf) && cont(3, 0x80, 0xbf)
               ? 4
               : 0;
  }
  if (c == 0xf4) {
    return cont(1, 0x80, 0x8f) && cont(2, 0x80, 0xbf) && cont(3, 0x80, 0xbf)
               ? 4
               : 0;
  }
  return 0;
}

// Scans the string whose opening quote is at doc[*pos] and leaves *pos just
// past the closing quote. Escapes must be valid and \u escapes must not leave
// a surrogate unpaired, so that every accepted string unescapes to UTF-8.
// Sets *escaped if the string holds any escape. Forced inline: a JWT payload
// is mostly short strings, and the call cost 12% of a parse.
__attribute__((always_inline)) inline bool ScanString(std::string_view doc,
                                                      size_t* pos,
                                                      bool* escaped) {
  const size_t n = doc.size();
  size_t i = *pos + 1;
  const auto* bytes = reinterpret_cast<const unsigned char*>(doc.data());
  while (i < n) {
    // Most bytes are printable ASCII that needs no attention: skip them 16 at
    // a time (SSE2 is part of x86-64), then one by one.
#if defined(__SSE2__)
    while (i + 16 <= n) {
      const __m128i c =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
      // Signed: bytes >= 0x80 are negative, so one compare finds control
      // characters and multi-byte sequences alike.
      const __m128i stop = _mm_or_si128(
          _mm_cmplt_epi8(c, _mm_set1_epi8(0x20)),
          _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('"')),
                       _mm_cmpeq_epi8(c, _mm_set1_epi8('\\'))));
      const int mask = _mm_movemask_epi8(stop);
      if (mask != 0) {
        i += static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
        break;
      }
      i += 16;
    }
#endif
    while (i < n && kPlainStringByte[bytes[i]]) ++i;
    if (i >= n) break;
    const unsigned char c = bytes[i];
    if (c == '"') {
      *pos = i + 1;
      return true;
    }
    if (c < 0x20) return false;
    if (c == '\\') {
      *escaped = true;
      if (i + 1 >= n) return false;
      switch (doc[i + 1]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          i += 2;
          break;
        case 'u': {
          if (i + 6 > n) return false;
          const int unit = Hex4(doc.data() + i + 2);
          if (unit < 0) return false;
          i += 6;
          if (unit >= 0xdc00 && unit <= 0xdfff) return false;
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (i + 6 > n || doc[i] != '\\' || doc[i + 1] != 'u') return false;
            const int low = Hex4(doc.data() + i + 2);
            if (low < 0xdc00 || low > 0xdfff) return false;
            i += 6;
          }
          break;
        }
        default:
          return false;
      }
    } else if (c >= 0x80) {
      const size_t len = Utf8SequenceLength(doc, i);
      if (len == 0) return false;
      i += len;
    } else {
      ++i;
    }
  }
  return false;
}

// Scans a number per RFC 8259 §6 starting at doc[*pos].
bool ScanNumber(std::string_view doc, size_t* pos) {
  const size_t n = doc.size();
  size_t i = *pos;
  if (i < n && doc[i] == '-') ++i;
  if (i >= n) return false;
  if (doc[i] == '0') {
    ++i;
  } else if (doc[i] >= '1' && doc[i] <= '9') {
    while (i < n && IsDigit(doc[i])) ++i;
  } else {
    return false;
  }
  if (i < n && doc[i] == '.') {
    ++i;
    if (i >= n || !IsDigit(doc[i])) return false;
    while (i < n && IsDigit(doc[i])) ++i;
  }
  if (i < n && (doc[i] == 'e' || doc[i] == 'E')) {
    ++i;
    if (i < n && (doc[i] == '+' || doc[i] == '-')) ++i;
    if (i >= n || !IsDigit(doc[i])) return false;
    while (i < n && IsDigit(doc[i])) ++i;
  }
  *pos = i;
  return true;
}

bool ScanLiteral(std::string_view doc, size_t* pos, std::string_view word) {
  if (doc.substr(*pos, word.size()) != word) return false;
  *pos += word.size();
  return true;
}

// Yields the unescaped bytes of a validated raw string content one by one.
class Unescaper {
 public:
  explicit Unescaper(std::string_view raw) : raw_(raw) {}

  // Next returns the next byte, or -1 at the end.
  int Next() {
    if (pending_pos_ < pending_len_) {
      return static_cast<unsigned char>(pending_[pending_pos_++]);
    }
    if (pos_ >= raw_.size()) return -1;
    const char c = raw_[pos_];
    if (c != '\\') {
      ++pos_;
      return static_cast<unsigned char>(c);
    }
    const char e = raw_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        break;
      default:
        return static_cast<unsigned char>(e);  // " \ /
    }
    uint32_t cp = static_cast<uint32_t>(Hex4(raw_.data() + pos_));
    pos_ += 4;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const uint32_t low = static_cast<uint32_t>(Hex4(raw_.data() + pos_ + 2));
      pos_ += 6;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    pending_pos_ = 0;
    if (cp < 0x80) {
      pending_len_ = 1;
      pending_[0] = static_cast<char>(cp);
    } else if (cp < 0x800) {
      pending_len_ = 2;
      pending_[0] = static_cast<char>(0xc0 | cp >> 6);
      pending_[1] = static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      pending_len_ = 3;
      pending_[0] = static_cast<char>(0xe0 | cp >> 12);
      pending_[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      pending_[2] = static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      pending_len_ = 4;
      pending_[0] = static_cast<char>(0xf0 | cp >> 18);
      pending_[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      pending_[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      pending_[3] = static_cast<char>(0x80 | (cp & 0x3f));
    }
    return static_cast<unsigned char>(pending_[pending_pos_++]);
  }

 private:
  std::string_view raw_;
  size_t pos_ = 0;
  char pending_[4] = {};
  int pending_len_ = 0;
  int pending_pos_ = 0;
};

inline bool HasEscape(std::string_view raw) {
  return std::memchr(raw.data(), '\\', raw.size()) != nullptr;
}

}  // namespace

bool JsonReader::HasDuplicateNames(size_t first) {
  const size_t count = names_.size() - first;
  if (count < 2) return false;
  bool any_escaped = false;
  for (size_t i = first; i < names_.size(); ++i) {
    any_escaped |= names_[i].escaped;
  }
  auto same = [](const Name& a, const Name& b) {
    return a.raw.size() == b.raw.size() &&
           std::memcmp(a.raw.data(), b.raw.data(), a.raw.size()) == 0;
  };
  if (!any_escaped && count <= 32) {
    // The usual case, a handful of plain names: a 64-bit filter on length and
    // first and last byte leaves almost no pair to compare.
    uint64_t seen = 0;
    for (size_t i = first; i < names_.size(); ++i) {
      const std::string_view raw = names_[i].raw;
      const unsigned h = raw.empty()
                             ? 0
                             : (static_cast<unsigned>(raw.size()) * 31u +
                                static_cast<unsigned char>(raw.front()) * 7u +
                                static_cast<unsigned char>(raw.back())) &
                                   63u;
      if (seen >> h & 1) {
        for (size_t j = first; j < i; ++j) {
          if (same(names_[j], names_[i])) return true;
        }
      }
      seen |= uint64_t{1} << h;
    }
    return false;
  }
  // Otherwise sort: O(k log k) and no allocation, where pairwise comparison
  // would let a 16 KiB payload of distinct names cost milliseconds. Any
  // strict order finds duplicates; escapes need the unescaped order.
  auto compare = [any_escaped](const Name& a, const Name& b) {
    if (any_escaped) return JsonStringCompare(a.raw, b.raw);
    if (a.raw.size() != b.raw.size()) {
      return a.raw.size() < b.raw.size() ? -1 : 1;
    }
    return a.raw.empty()
               ? 0
               : std::memcmp(a.raw.data(), b.raw.data(), a.raw.size());
  };
  const auto begin = names_.begin() + static_cast<std::ptrdiff_t>(first);
  std::sort(begin, names_.end(),
            [&](const Name& a, const Name& b) { return compare(a, b) < 0; });
  for (auto it = begin; it + 1 != names_.end(); ++it) {
    if (compare(*it, *(it + 1)) == 0) return true;
  }
  return false;
}

bool JsonReader::ParseObject(std::string_view doc, uint32_t max_depth,
                             std::vector<JsonMember>* members) {
  members->clear();
  frames_.clear();
  names_.clear();
  // Offsets are stored in 32 bits; tokens are far smaller.
  if (doc.size() > std::numeric_limits<uint32_t>::max()) return false;
  const size_t n = doc.size();
  size_t p = 0;
  auto skip_ws = [&] {
    while (p < n && IsWhitespace(doc[p])) ++p;
  };
  skip_ws();
  if (p >= n || doc[p] != '{') return false;

  enum class Expect { kValue, kAfterValue, kMemberName };
  Expect expect = Expect::kValue;
  // Records a top-level member. Its name is the last in names_: a nested
  // object's names are gone again by the time its value ends.
  auto record = [&](size_t start, size_t end, JsonType type,
                    bool value_escaped) {
    const Name& name = names_.back();
    JsonMember& m = members->emplace_back();
    m.name = name.raw;
    m.value = doc.substr(start, end - start);
    m.type = type;
    m.name_escaped = name.escaped;
    m.value_escaped = value_escaped;
  };
  for (;;) {
    switch (expect) {
      case Expect::kValue: {
        if (p >= n) return false;
        const size_t start = p;
        JsonType type;
        bool escaped = false;
        switch (doc[p]) {
          case '{':
          case '[': {
            if (frames_.size() >= max_depth) return false;
            const bool is_object = doc[p] == '{';
            Frame& frame = frames_.emplace_back();
            frame.value_start = static_cast<uint32_t>(p);
            frame.names_start = static_cast<uint32_t>(names_.size());
            frame.is_object = is_object;
            ++p;
            skip_ws();
            if (p < n && doc[p] == (is_object ? '}' : ']')) {
              expect = Expect::kAfterValue;  // empty: close it there
            } else {
              expect = is_object ? Expect::kMemberName : Expect::kValue;
            }
            continue;
          }
          case '"':
            if (!ScanString(doc, &p, &escaped)) return false;
            type = JsonType::kString;
            break;
          case 't':
            if (!ScanLiteral(doc, &p, "true")) return false;
            type = JsonType::kBool;
            break;
          case 'f':
            if (!ScanLiteral(doc, &p, "false")) return false;
            type = JsonType::kBool;
            break;
          case 'n':
            if (!ScanLiteral(doc, &p, "null")) return false;
            type = JsonType::kNull;
            break;
          default:
            if (!ScanNumber(doc, &p)) return false;
            type = JsonType::kNumber;
            break;
        }
        if (frames_.size() == 1) record(start, p, type, escaped);
        expect = Expect::kAfterValue;
        continue;
      }

      case Expect::kAfterValue: {
        skip_ws();
        if (p >= n) return false;
        const Frame frame = frames_.back();
        if (doc[p] == ',') {
          ++p;
          skip_ws();
          expect = frame.is_object ? Expect::kMemberName : Expect::kValue;
          continue;
        }
        if (doc[p] != (frame.is_object ? '}' : ']')) return false;
        frames_.pop_back();
        if (frame.is_object && HasDuplicateNames(frame.names_start)) {
          return false;
        }
        names_.resize(frame.names_start);
        ++p;
        if (frames_.empty()) {
          skip_ws();
          return p == n;
        }
        if (frames_.size() == 1) {
          record(frame.value_start, p,
                 frame.is_object ? JsonType::kObject : JsonType::kArray, false);
        }
        continue;  // still kAfterValue: the container was a value
      }

      case Expect::kMemberName: {
        if (p >= n || doc[p] != '"') return false;
        const size_t name_start = p;
        bool escaped = false;
        if (!ScanString(doc, &p, &escaped)) return false;
        // Filled in place: a temporary with a bool in it costs a failed
        // store-to-load forward on every copy.
        Name& name = names_.emplace_back();
        name.raw = doc.substr(name_start + 1, p - name_start - 2);
        name.escaped = escaped;
        skip_ws();
        if (p >= n || doc[p] != ':') return false;
        ++p;
        skip_ws();
        expect = Expect::kValue;
        continue;
      }
    }
  }
}

int JsonStringCompare(std::string_view a, std::string_view b) {
  if (!HasEscape(a) && !HasEscape(b)) return a.compare(b);
  Unescaper ua(a), ub(b);
  for (;;) {
    const int x = ua.Next(), y = ub.Next();
    if (x != y) return x < y ? -1 : 1;
    if (x < 0) return 0;
  }
}

bool JsonStringEquals(std::string_view raw, std::string_view plain) {
  if (!HasEscape(raw)) return raw == plain;
  Unescaper u(raw);
  for (const char c : plain) {
    if (u.Next() != static_cast<unsigned char>(c)) return false;
  }
  return u.Next() < 0;
}

size_t JsonUnescapedSize(std::string_view raw) {
  if (!HasEscape(raw)) return raw.size();
  Unescaper u(raw);
  size_t len = 0;
  while (u.Next() >= 0) ++len;
  return len;
}

void JsonUnescape(std::string_view raw, char* out) {
  if (!HasEscape(raw)) {
    if (!raw.empty()) std::memcpy(out, raw.data(), raw.size());
    return;
  }
  Unescaper u(raw);
  for (int c = u.Next(); c >= 0; c = u.Next()) *out++ = static_cast<char>(c);
}

namespace {

// Whether a decimal number that absl::from_chars found out of range is too
// large (rather than too small) for a double: its first significant digit
// stands at a power of ten above zero. Exponents saturate, so a run of digits
// in the exponent cannot overflow an integer.
bool IsOverflow(std::string_view s) {
  size_t i = s[0] == '-' ? 1 : 0;
  int64_t magnitude = 0;  // decimal exponent of the first significant digit
  bool seen_digit = false;
  bool in_fraction = false;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    if (s[i] == '.') {
      in_fraction = true;
      continue;
    }
    if (!seen_digit) {
      if (s[i] == '0') {
        if (in_fraction) --magnitude;
        continue;
      }
      seen_digit = true;
      if (in_fraction) --magnitude;
    } else if (!in_fraction && magnitude < (int64_t{1} << 40)) {
      ++magnitude;
    }
  }
  if (!seen_digit) return false;  // zero never overflows
  int64_t exponent = 0;
  if (i < s.size()) {
    ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    for (; i < s.size(); ++i) {
      if (exponent < (int64_t{1} << 40))
        exponent = exponent * 10 + (s[i] - '0');
    }
    if (negative) exponent = -exponent;
  }
  return magnitude + exponent > 0;
}

}  // namespace

double JsonNumberToDouble(std::string_view number) {
  // NumericDates are short integers: exact in a double, no parser needed.
  const bool negative = number[0] == '-';
  const std::string_view digits = number.substr(negative ? 1 : 0);
  if (digits.size() <= 15) {
    int64_t v = 0;
    bool integer = true;
    for (const char c : digits) {
      const auto digit = static_cast<unsigned char>(c - '0');
      if (digit > 9) {
        integer = false;
        break;
      }
      v = v * 10 + digit;
    }
    if (integer) {
      return negative ? -static_cast<double>(v) : static_cast<double>(v);
    }
  }
  double value = 0;
  const auto result =
      absl::from_chars(number.data(), number.data() + number.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    // absl leaves the value on a range error to a pending standard defect
    // report; decide it here so huge claims are infinite on every version.
    if (IsOverflow(number)) {
      value = negative ? -HUGE_VAL : HUGE_VAL;
    } else {
      value = negative ? -0.0 : 0.0;
    }
  }
  return value;
}

bool JsonNumberToInt64(std::string_view number, int64_t* out) {
  const bool plain_integer =
      number.find_first_of(".eE") == std::string_view::npos;
  if (plain_integer) {
    // Exact for every int64, where a double would round above 2^53.
    const bool negative = number[0] == '-';
    uint64_t magnitude = 0;
    for (size_t i = negative ? 1 : 0; i < number.size(); ++i) {
      const uint64_t digit = static_cast<uint64_t>(number[i] - '0');
      if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
        return false;
      }
      magnitude = magnitude * 10 + digit;
    }
    const uint64_t limit =
        negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    if (magnitude > limit) return false;
    *out = negative ? static_cast<int64_t>(0 - magnitude)
                    : static_cast<int64_t>(magnitude);
    return true;
  }
  const double d = JsonNumberToDouble(number);
  // [-2^63, 2^63) are the doubles that fit; 2^63 itself does not.
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) ||
      d != std::trunc(d)) {
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

bool JsonArrayElements::Next(std::string_view* value, JsonType* type) {
  const std::string_view a = array_;
  size_t p = pos_;
  auto skip_ws = [&] {
    while (p < a.size() && IsWhitespace(a[p])) ++p;
  };
  skip_ws();
  if (p < a.size() && a[p] == ',') {
    ++p;
    skip_ws();
  }
  if (p >= a.size() || a[p] == ']') {
    pos_ = a.size();
    return false;
  }
  const size_t start = p;
  switch (a[p]) {
    case '"': {
      bool escaped = false;
      (void)ScanString(a, &p, &escaped);
      *type = JsonType::kString;
      break;
    }
    case '{':
    case '[': {
      // The array was validated, so matching brackets outside strings is
      // enough to find the element's end.
      *type = a[p] == '{' ? JsonType::kObject : JsonType::kArray;
      int depth = 0;
      do {
        if (a[p] == '"') {
          bool escaped = false;
          (void)ScanString(a, &p, &escaped);
          continue;
        }
        if (a[p] == '{' || a[p] == '[') ++depth;
        if (a[p] == '}' || a[p] == ']') --depth;
        ++p;
      } while (depth > 0);
      break;
    }
    case 't':
    case 'f':
      p += a[p] == 't' ? 4 : 5;
      *type = JsonType::kBool;
      break;
    case 'n':
      p += 4;
      *type = JsonType::kNull;
      break;
    default:
      (void)ScanNumber(a, &p);
      *type = JsonType::kNumber;
      break;
  }
  *value = a.substr(start, p - start);
  pos_ = p;
  return true;
}

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

}  // namespace edgekit::token
