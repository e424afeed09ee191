#pragma once
// Minimal JSON output for the commands' --json summaries: escaping and number formatting that
// round-trips (no locale, no NaN).

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

namespace tessera::cli::json {

inline std::string str(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

inline std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace tessera::cli::json
