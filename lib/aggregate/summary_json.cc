// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// A summary as JSON, for people and for languages without our binary parser.
// Output only: the binary form is the one that round-trips and merges.

#define PICOJSON_USE_INT64
#include <picojson.h>

#include <cmath>
#include <string>

#include "aggregate/summary.h"
#include "common/base64url.h"

namespace edgekit::aggregate {
namespace {

// picojson holds int64; counts beyond it (never reached in practice) print
// as doubles rather than wrap.
picojson::value Count(uint64_t v) {
  if (v <= static_cast<uint64_t>(INT64_MAX)) {
    return picojson::value(static_cast<int64_t>(v));
  }
  return picojson::value(static_cast<double>(v));
}

void PutKey(picojson::object* o, const std::string& key) {
  bool printable = true;
  for (unsigned char ch : key) printable &= ch >= 0x20 && ch < 0x7f;
  if (printable) {
    (*o)["key"] = picojson::value(key);
  } else {
    std::string b64;
    Base64UrlAppend(key, &b64);
    (*o)["key_b64"] = picojson::value(b64);
  }
}

picojson::value Stats(const SummaryConfig& c, const KeyStats& k,
                      bool with_key) {
  picojson::object o;
  if (with_key) PutKey(&o, k.key);
  o["count"] = Count(k.count);
  if (c.values) {
    o["sum"] = picojson::value(k.sum);
    o["min"] = picojson::value(k.min);
    o["max"] = picojson::value(k.max);
  }
  if (c.hll_lg_k != 0) {
    const double d = k.hll.empty() ? 0.0 : k.hll.Estimate();
    o["distinct"] = picojson::value(std::isfinite(d) ? std::round(d) : 0.0);
  }
  if (c.has_quantiles()) {
    const QuantileMapping mapping(c.quantile_alpha_ppm, c.quantile_buckets);
    picojson::object q;
    static constexpr struct {
      const char* name;
      double rank;
    } kRanks[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}};
    for (const auto& r : kRanks) {
      const double v = k.quantiles.Quantile(mapping, r.rank, k.min, k.max);
      q[r.name] = picojson::value(std::isfinite(v) ? v : 0.0);
    }
    o["quantiles"] = picojson::value(q);
  }
  return picojson::value(o);
}

}  // namespace

std::string SummaryToJson(const Summary& s) {
  const SummaryConfig& c = s.config;
  picojson::object root;
  root["format"] = picojson::value("edgekit.summary");
  root["version"] = picojson::value(int64_t{1});
  root["window_start_ms"] = Count(s.window_start_ms);
  root["window_end_ms"] = Count(s.window_end_ms);
  root["late_updates"] = Count(s.late_updates);
  picojson::object config;
  config["values"] = picojson::value(c.values);
  config["hll_lg_k"] = picojson::value(static_cast<int64_t>(c.hll_lg_k));
  config["quantile_alpha"] = picojson::value(c.quantile_alpha_ppm * 1e-6);
  config["quantile_buckets"] =
      picojson::value(static_cast<int64_t>(c.quantile_buckets));
  config["topk_k"] = picojson::value(static_cast<int64_t>(c.topk_k));
  root["config"] = picojson::value(config);
  picojson::array keys;
  keys.reserve(s.keys.size());
  for (const KeyStats& k : s.keys) keys.push_back(Stats(c, k, true));
  root["keys"] = picojson::value(keys);
  root["overflow"] =
      s.has_overflow ? Stats(c, s.overflow, false) : picojson::value();
  if (c.topk_k != 0) {
    picojson::array top;
    for (const TopKEntry& e : s.topk.Top(c.topk_k)) {
      picojson::object o;
      PutKey(&o, e.key);
      o["count_upper"] = Count(e.upper);
      o["count_lower"] = Count(e.lower);
      top.push_back(picojson::value(o));
    }
    root["top"] = picojson::value(top);
    root["top_threshold"] = Count(s.topk.threshold);
  }
  return picojson::value(root).serialize();
}

}  // namespace edgekit::aggregate
