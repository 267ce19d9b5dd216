// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The request-path JSON reader: every shape it must refuse, the spans it
// records, and the on-demand conversions.

#include "token/json.h"

#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace edgekit::token {
namespace {

bool Parse(std::string_view doc, uint32_t depth = 16,
           std::vector<JsonMember>* out = nullptr) {
  JsonReader reader;
  std::vector<JsonMember> members;
  const bool ok = reader.ParseObject(doc, depth, &members);
  if (out != nullptr) *out = members;
  return ok;
}

TEST(JsonReader, AcceptsObjectsAndRecordsTopLevelMembers) {
  std::vector<JsonMember> m;
  const std::string doc =
      " {\"a\" : 1, \"b\":\"x\\\"y\", \"c\":[1,{\"d\":null}], \"e\":{},"
      "\"f\":true,\"g\":false,\"h\":null, \"i\":-0.5e+3 } \n";
  ASSERT_TRUE(Parse(doc, 16, &m));
  ASSERT_EQ(m.size(), 8u);
  EXPECT_EQ(m[0].name, "a");
  EXPECT_EQ(m[0].value, "1");
  EXPECT_EQ(m[0].type, JsonType::kNumber);
  EXPECT_EQ(m[1].value, "\"x\\\"y\"");
  EXPECT_EQ(m[1].type, JsonType::kString);
  EXPECT_EQ(m[2].value, "[1,{\"d\":null}]");
  EXPECT_EQ(m[2].type, JsonType::kArray);
  EXPECT_EQ(m[3].value, "{}");
  EXPECT_EQ(m[3].type, JsonType::kObject);
  EXPECT_EQ(m[4].type, JsonType::kBool);
  EXPECT_EQ(m[5].value, "false");
  EXPECT_EQ(m[6].type, JsonType::kNull);
  EXPECT_EQ(m[7].name, "i");
  EXPECT_EQ(m[7].value, "-0.5e+3");
  EXPECT_TRUE(Parse("{}"));
}

TEST(JsonReader, RefusesEveryMalformedShape) {
  const char* kBad[] = {
      "",
      " ",
      "[]",
      "1",
      "\"s\"",
      "null",
      "{",
      "}",
      "{\"a\"}",
      "{\"a\":}",
      "{\"a\" 1}",
      "{\"a\":1,}",
      "{,\"a\":1}",
      "{\"a\":1 \"b\":2}",
      "{a:1}",
      "{'a':1}",
      "{\"a\":[1,]}",
      "{\"a\":[,1]}",
      "{\"a\":[1 2]}",
      "{\"a\":01}",
      "{\"a\":1.}",
      "{\"a\":.5}",
      "{\"a\":1e}",
      "{\"a\":+1}",
      "{\"a\":-}",
      "{\"a\":0x1}",
      "{\"a\":NaN}",
      "{\"a\":Infinity}",
      "{\"a\":tru}",
      "{\"a\":nul}",
      "{\"a\":True}",
      "{\"a\":1}x",
      "{\"a\":1}{}",
      "{\"a\":1}}",
      "{\"a\":\"x}",
      "{\"a\":\"\\x\"}",
      "{\"a\":\"\\u12\"}",
      "{\"a\":\"\\u12g4\"}",
      "{\"a\":\"tab\there\"}",
      "{\"a\":\"nl\nhere\"}",
      "{\"a\":{\"b\":1}",
      "{\"a\":[1}",
      "{\"a\":{]}",
      "\xef\xbb\xbf{}",
      "{\"a\":1,\"a\":2}",
  };
  for (const char* doc : kBad) {
    EXPECT_FALSE(Parse(doc)) << doc;
  }
  // Embedded NUL outside a string is refused, not read as the end.
  EXPECT_FALSE(Parse(std::string("{\"a\":1\0}", 8)));
}

TEST(JsonReader, ValidatesUtf8) {
  EXPECT_TRUE(Parse("{\"s\":\"Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80\"}"));
  const char* kBad[] = {
      "{\"s\":\"\x80\"}",              // lone continuation byte
      "{\"s\":\"\xc3\"}",              // truncated sequence
      "{\"s\":\"\xc0\xaf\"}",          // overlong '/'
      "{\"s\":\"\xe0\x80\xaf\"}",      // overlong, three bytes
      "{\"s\":\"\xed\xa0\x80\"}",      // UTF-16 surrogate encoded in UTF-8
      "{\"s\":\"\xf4\x90\x80\x80\"}",  // above U+10FFFF
      "{\"s\":\"\xff\"}",
      "{\"\xfe\":1}",  // in a member name too
  };
  for (const char* doc : kBad) EXPECT_FALSE(Parse(doc)) << doc;
}

TEST(JsonReader, RequiresPairedSurrogatesInEscapes) {
  EXPECT_TRUE(Parse("{\"s\":\"\\ud83d\\ude00\"}"));
  EXPECT_FALSE(Parse("{\"s\":\"\\ud83d\"}"));         // lone high
  EXPECT_FALSE(Parse("{\"s\":\"\\ude00\"}"));         // lone low
  EXPECT_FALSE(Parse("{\"s\":\"\\ud83d\\u0041\"}"));  // high + non-low
  EXPECT_FALSE(Parse("{\"s\":\"\\ud83dx\"}"));
  EXPECT_FALSE(Parse("{\"s\":\"\\ude00\\ud83d\"}"));  // reversed
}

TEST(JsonReader, EnforcesDepth) {
  EXPECT_TRUE(Parse("{}", 1));
  EXPECT_FALSE(Parse("{\"a\":[]}", 1));
  EXPECT_TRUE(Parse("{\"a\":[]}", 2));
  EXPECT_FALSE(Parse("{}", 0));
  // 16 levels pass the default limit, 17 do not, and a very deep document
  // fails cleanly instead of exhausting the stack.
  auto nested = [](int levels) {
    std::string doc = "{\"a\":";
    for (int i = 1; i < levels; ++i) doc += "[";
    doc += "1";
    for (int i = 1; i < levels; ++i) doc += "]";
    return doc + "}";
  };
  EXPECT_TRUE(Parse(nested(16), 16));
  EXPECT_FALSE(Parse(nested(17), 16));
  EXPECT_FALSE(Parse(nested(100000), 16));
  EXPECT_TRUE(Parse(nested(100000), 200000));
}

TEST(JsonReader, RefusesDuplicateNamesAtEveryLevel) {
  EXPECT_FALSE(Parse("{\"a\":1,\"b\":2,\"a\":3}"));
  EXPECT_FALSE(Parse("{\"x\":{\"a\":1,\"a\":1}}"));
  EXPECT_FALSE(Parse("{\"x\":[{\"k\":1,\"k\":2}]}"));
  // Equal after unescaping is equal.
  EXPECT_FALSE(Parse("{\"exp\":1,\"\\u0065xp\":2}"));
  EXPECT_FALSE(Parse("{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}"));
  // Names alike in length, first and last byte (the quick filter's key)
  // are told apart, and a duplicate among them is still found.
  EXPECT_TRUE(Parse("{\"abc\":1,\"adc\":2,\"aec\":3}"));
  EXPECT_FALSE(Parse("{\"abc\":1,\"adc\":2,\"abc\":3}"));
  EXPECT_TRUE(Parse("{\"\":1,\"a\":2}"));
  EXPECT_FALSE(Parse("{\"\":1,\"a\":2,\"\":3}"));
  // The same name in sibling or nested objects is fine.
  EXPECT_TRUE(Parse("{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}"));
  // Many members: the check is by sorting, so this is quick.
  std::string doc = "{";
  for (int i = 0; i < 3000; ++i) {
    doc += (i ? ",\"" : "\"") + std::to_string(i) + "\":0";
  }
  EXPECT_TRUE(Parse(doc + "}"));
  EXPECT_FALSE(Parse(doc + ",\"17\":1}"));
}

TEST(JsonStrings, UnescapeAndCompare) {
  const std::string_view raw =
      "a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00";
  const std::string want = "a\"b\\c/d\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80";
  ASSERT_EQ(JsonUnescapedSize(raw), want.size());
  std::string out(want.size(), '\0');
  JsonUnescape(raw, out.data());
  EXPECT_EQ(out, want);
  EXPECT_TRUE(JsonStringEquals(raw, want));
  EXPECT_FALSE(JsonStringEquals(raw, want + "x"));
  EXPECT_FALSE(JsonStringEquals(raw, want.substr(1)));
  EXPECT_TRUE(JsonStringEquals("\\u0041", "A"));
  EXPECT_TRUE(JsonStringEquals("\\u0000", std::string_view("\0", 1)));
  EXPECT_EQ(JsonStringCompare("\\u0041", "A"), 0);
  EXPECT_LT(JsonStringCompare("A", "\\u0042"), 0);
  EXPECT_GT(JsonStringCompare("AB", "A"), 0);
}

TEST(JsonNumbers, DoubleConversionNeverFails) {
  EXPECT_EQ(JsonNumberToDouble("0"), 0.0);
  EXPECT_EQ(JsonNumberToDouble("-12.5e1"), -125.0);
  EXPECT_EQ(JsonNumberToDouble("1700000000"), 1700000000.0);
  EXPECT_EQ(JsonNumberToDouble("1e400"), HUGE_VAL);
  EXPECT_EQ(JsonNumberToDouble("-1e400"), -HUGE_VAL);
  EXPECT_EQ(JsonNumberToDouble("123456789e99999999999999999999"), HUGE_VAL);
  EXPECT_EQ(JsonNumberToDouble(std::string(400, '9')), HUGE_VAL);
  EXPECT_EQ(JsonNumberToDouble("1e-400"), 0.0);
  EXPECT_EQ(JsonNumberToDouble("0.000001e-99999999999999999999"), 0.0);
  EXPECT_TRUE(std::signbit(JsonNumberToDouble("-1e-400")));
  EXPECT_EQ(JsonNumberToDouble("0e99999999999"), 0.0);
}

TEST(JsonNumbers, Int64ConversionIsExactOrRefused) {
  int64_t v = 0;
  EXPECT_TRUE(JsonNumberToInt64("9223372036854775807", &v));
  EXPECT_EQ(v, INT64_MAX);
  EXPECT_TRUE(JsonNumberToInt64("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_FALSE(JsonNumberToInt64("9223372036854775808", &v));
  EXPECT_FALSE(JsonNumberToInt64("-9223372036854775809", &v));
  EXPECT_FALSE(JsonNumberToInt64("99999999999999999999999", &v));
  EXPECT_TRUE(JsonNumberToInt64("1e3", &v));
  EXPECT_EQ(v, 1000);
  EXPECT_TRUE(JsonNumberToInt64("42.0", &v));
  EXPECT_EQ(v, 42);
  EXPECT_FALSE(JsonNumberToInt64("42.5", &v));
  EXPECT_FALSE(JsonNumberToInt64("1e19", &v));
  EXPECT_FALSE(JsonNumberToInt64("1e400", &v));
  EXPECT_TRUE(JsonNumberToInt64("-0", &v));
  EXPECT_EQ(v, 0);
}

TEST(JsonArrayElements, WalksEveryElementType) {
  JsonArrayElements it(
      "[ \"a\\\"]\" , 1.5,{\"x\":[1,\"]\"]},[],true,false,null ]");
  std::string_view v;
  JsonType t;
  const std::pair<const char*, JsonType> kWant[] = {
      {"\"a\\\"]\"", JsonType::kString},
      {"1.5", JsonType::kNumber},
      {"{\"x\":[1,\"]\"]}", JsonType::kObject},
      {"[]", JsonType::kArray},
      {"true", JsonType::kBool},
      {"false", JsonType::kBool},
      {"null", JsonType::kNull}};
  for (const auto& [value, type] : kWant) {
    ASSERT_TRUE(it.Next(&v, &t));
    EXPECT_EQ(v, value);
    EXPECT_EQ(t, type);
  }
  EXPECT_FALSE(it.Next(&v, &t));
  JsonArrayElements empty("[ ]");
  EXPECT_FALSE(empty.Next(&v, &t));
}

}  // namespace
}  // namespace edgekit::token
