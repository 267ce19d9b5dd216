// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// The request side of Squid's external ACL helper protocol, as the edgekit
// helper reads it: one line per request,
//
//   [channel-ID SP] value [SP more values...]
//
// where the channel ID is present when squid.conf gives the helper
// concurrency=N (N > 0), and each value is one %format code of the
// external_acl_type line, URL-escaped by Squid (its default quote=url), with
// "-" for a value the request does not have. edgekit reads the first value:
// an Authorization header (`%>{Authorization}`, "Bearer <token>" or a bare
// token), or a URL (`%>ru`) whose query parameter holds the token.

#ifndef EDGEKIT_BINDINGS_SQUID_REQUEST_LINE_H_
#define EDGEKIT_BINDINGS_SQUID_REQUEST_LINE_H_

#include <string>
#include <string_view>

namespace edgekit::squid {

struct RequestLine {
  std::string_view channel;  // empty without concurrency
  std::string token;         // empty: the request carries no token
};

// ParseRequestLine splits |line| (without its newline). With |concurrent|,
// the first field must be a channel ID of digits; false otherwise (the reply
// then cannot be routed, which Squid treats as a broken helper). With a
// non-empty |query_param| the value is a URL and the token is that query
// parameter's value. Percent-escapes are decoded (twice for a query
// parameter: once for Squid's quoting, once for the URL's own); text with an
// invalid escape is passed on undecoded, for the verifier to refuse. An empty
// token means the request has none.
bool ParseRequestLine(std::string_view line, bool concurrent,
                      std::string_view query_param, RequestLine* out);

// AppendPercentEncoded appends |value| to |out| with every byte outside
// [A-Za-z0-9._~@:-] as %XX, so a claim can travel as a kv-pair value
// (user=...) whatever it holds.
void AppendPercentEncoded(std::string_view value, std::string* out);

}  // namespace edgekit::squid

#endif  // EDGEKIT_BINDINGS_SQUID_REQUEST_LINE_H_
