// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The strict JSON reader of the token request path. One pass validates a whole
// header or payload (RFC 8259, UTF-8, depth limit, duplicate member names at
// every level) and records each top-level member as spans into the document,
// so claims are read later without parsing again. It allocates only while its
// reused scratch vectors grow to the largest document seen.

#ifndef EDGEKIT_LIB_TOKEN_JSON_H_
#define EDGEKIT_LIB_TOKEN_JSON_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edgekit::token {

enum class JsonType : uint8_t {
  kNull,
  kBool,
  kNumber,
  kString,
  kArray,
  kObject
};

// A top-level member of a parsed object. Both spans point into the document.
struct JsonMember {
  std::string_view name;   // between the quotes, escapes still in place
  std::string_view value;  // the value's JSON text (a string keeps its quotes)
  JsonType type;
  bool name_escaped;   // the name holds a backslash escape
  bool value_escaped;  // a kString value holds a backslash escape
};

class JsonReader {
 public:
  // ParseObject validates |doc| as exactly one JSON object (whitespace around
  // it allowed) nested at most |max_depth| deep (the object itself is depth
  // 1), with no duplicate member name in any object, and replaces |*members|
  // with its top-level members in document order. Returns false for anything
  // else; |*members| is then unspecified.
  [[nodiscard]] bool ParseObject(std::string_view doc, uint32_t max_depth,
                                 std::vector<JsonMember>* members);

 private:
  struct Name {
    std::string_view raw;
    bool escaped;
  };
  struct Frame {
    uint32_t value_start;  // offset of '{' or '['
    uint32_t names_start;  // first of this object's names in names_
    bool is_object;
  };
  // HasDuplicateNames checks the names of one object, names_[first..end).
  bool HasDuplicateNames(size_t first);

  std::vector<Frame> frames_;
  std::vector<Name> names_;
};

// The helpers below take spans from a document ParseObject accepted.

// JsonStringEquals returns whether the raw string content |raw| (escapes in
// place) unescapes to exactly |plain|.
bool JsonStringEquals(std::string_view raw, std::string_view plain);

// NameEquals is JsonStringEquals for a member's name, without the scan for
// escapes that the reader already did.
inline bool NameEquals(const JsonMember& m, std::string_view plain) {
  return m.name_escaped ? JsonStringEquals(m.name, plain) : m.name == plain;
}

// ValueEquals is JsonStringEquals for a kString member's value.
inline bool ValueEquals(const JsonMember& m, std::string_view plain) {
  const std::string_view raw = m.value.substr(1, m.value.size() - 2);
  return m.value_escaped ? JsonStringEquals(raw, plain) : raw == plain;
}

// JsonStringCompare orders two raw string contents by their unescaped bytes.
int JsonStringCompare(std::string_view a, std::string_view b);

// JsonUnescapedSize returns how many bytes the raw string content |raw|
// unescapes to.
size_t JsonUnescapedSize(std::string_view raw);

// JsonUnescape writes the unescaped bytes of |raw| to |out|, which must hold
// JsonUnescapedSize(raw) bytes.
void JsonUnescape(std::string_view raw, char* out);

// StringContent strips the quotes from a kString value span.
inline std::string_view StringContent(std::string_view value) {
  return value.substr(1, value.size() - 2);
}

// JsonNumberToDouble converts a kNumber value span. Values beyond double range
// become ±infinity, values too small become ±0; never fails.
double JsonNumberToDouble(std::string_view number);

// AppendJsonString appends |s| as a JSON string literal, escaping '"', '\\'
// and control characters. Other bytes pass through: a reader of the result
// refuses it unless |s| is UTF-8.
void AppendJsonString(std::string_view s, std::string* out);

// JsonNumberToInt64 converts a kNumber value span that is an integer within
// int64 range (written with or without fraction or exponent, such as 1e3).
// Returns false for any other number.
[[nodiscard]] bool JsonNumberToInt64(std::string_view number, int64_t* out);

// JsonArrayElements walks the elements of a kArray value span in order.
class JsonArrayElements {
 public:
  explicit JsonArrayElements(std::string_view array) : array_(array) {}
  // Next sets the next element's value span and type and returns true, or
  // returns false after the last element.
  bool Next(std::string_view* value, JsonType* type);

 private:
  std::string_view array_;
  size_t pos_ = 1;  // just after '['
};

}  // namespace edgekit::token

#endif  // EDGEKIT_LIB_TOKEN_JSON_H_
