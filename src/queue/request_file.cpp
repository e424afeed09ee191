#include "queue/request_file.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <random>
#include <sstream>

#include "common/check.hpp"

namespace tessera::queue {

namespace {
constexpr std::string_view kMagic = "tessera-queue-request 1";

int64_t to_int(std::string_view s, const std::string& what) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  TESSERA_CHECK(!s.empty() && ec == std::errc() && p == s.data() + s.size(), ErrorKind::Format,
                what << ": '" << s << "' is not an integer");
  return v;
}

double to_seconds(std::string_view s, const std::string& what) {
  // strtod on a copy: from_chars for double is not in every standard library we build with.
  const std::string copy(s);
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  TESSERA_CHECK(!copy.empty() && end == copy.c_str() + copy.size(), ErrorKind::Format,
                what << ": '" << s << "' is not a time");
  return v;
}
}  // namespace

void check_file_name(const std::string& s, const std::string& what) {
  bool ok = !s.empty() && s != "." && s != ".." && s.size() <= 200;
  for (char c : s)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.');
  TESSERA_CHECK(ok, ErrorKind::Usage,
                what << " '" << s << "' may hold only letters, digits, '-', '_' and '.'");
}

void check_one_line(const std::string& s, const std::string& what) {
  for (char c : s)
    TESSERA_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f, ErrorKind::Usage,
                  what << " must be one line of printable text");
}

std::string format_request(const QueueRequest& r) {
  std::ostringstream os;
  char submitted[32];
  std::snprintf(submitted, sizeof submitted, "%.3f", r.submitted);
  os << kMagic << '\n'
     << "id " << r.id << '\n'
     << "name " << r.name << '\n'
     << "priority " << r.priority << '\n'
     << "submitted " << submitted << '\n'
     << "user " << r.user << '\n'
     << "host " << r.host << '\n'
     << "machine " << r.machine << '\n';
  for (const auto& [k, v] : r.parameters) os << "param " << k << ' ' << v << '\n';
  os << "end\n";
  return os.str();
}

QueueRequest parse_request(std::string_view text, const std::string& what) {
  QueueRequest r;
  std::map<std::string, std::string> fields;
  bool magic = false, end = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    TESSERA_CHECK(nl != std::string_view::npos, ErrorKind::Format,
                  "malformed request file " << what << ": its last line is cut");
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    TESSERA_CHECK(!end, ErrorKind::Format,
                  "malformed request file " << what << ": text after its 'end' line");
    if (!magic) {
      TESSERA_CHECK(
          line == kMagic, ErrorKind::Format,
          "malformed request file " << what << ": it does not start with '" << kMagic << "'");
      magic = true;
      continue;
    }
    if (line == "end") {
      end = true;
      continue;
    }
    const size_t sp = line.find(' ');
    const std::string key(line.substr(0, sp));
    const std::string value(sp == std::string_view::npos ? "" : line.substr(sp + 1));
    if (key == "param") {
      const size_t sp2 = value.find(' ');
      TESSERA_CHECK(sp2 != std::string::npos && sp2 > 0, ErrorKind::Format,
                    "malformed request file " << what << ": parameter line '" << line << "'");
      r.parameters[value.substr(0, sp2)] = value.substr(sp2 + 1);
      continue;
    }
    TESSERA_CHECK(fields.emplace(key, value).second, ErrorKind::Format,
                  "malformed request file " << what << ": '" << key << "' appears twice");
  }
  TESSERA_CHECK(magic && end, ErrorKind::Format,
                "malformed request file " << what << ": " << (magic ? "no 'end' line" : "empty"));
  auto need = [&](const char* key) -> const std::string& {
    auto it = fields.find(key);
    TESSERA_CHECK(it != fields.end(), ErrorKind::Format,
                  "malformed request file " << what << ": no '" << key << "' line");
    return it->second;
  };
  r.id = need("id");
  r.name = need("name");
  r.priority = to_int(need("priority"), "malformed request file " + what + ": priority");
  r.submitted = to_seconds(need("submitted"), "malformed request file " + what + ": submitted");
  r.user = need("user");
  r.host = need("host");
  r.machine = need("machine");
  TESSERA_CHECK(!r.machine.empty(), ErrorKind::Format,
                "malformed request file " << what << ": no machine");
  return r;
}

std::string new_request_id() {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  std::random_device rd;
  char tail[8];
  std::snprintf(tail, sizeof tail, "%06x", rd() & 0xffffffu);
  return std::string(stamp) + "-" + tail;
}

}  // namespace tessera::queue
