// SPDX-License-Identifier: BSD-2-Clause
#include "wire/as_path_text.hpp"

#include <cctype>

namespace bgpsecd::wire {
namespace {

struct Bracket {
  char open;
  char close;
  AsPathSegmentType type;
};

constexpr Bracket kBrackets[] = {
    {'{', '}', AsPathSegmentType::AsSet},
    {'(', ')', AsPathSegmentType::AsConfedSequence},
    {'[', ']', AsPathSegmentType::AsConfedSet},
};

bool separator(char c) { return c == ',' || std::isspace(static_cast<unsigned char>(c)) != 0; }

// Appends the ASNs of `text` (blank- or comma-separated) to `out`.
base::Result<void> parse_asns(std::string_view text, std::vector<base::Asn>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (separator(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !separator(text[end])) {
      ++end;
    }
    auto asn = base::parse_asn(text.substr(i, end - i));
    if (!asn) {
      return base::fail(asn.error());
    }
    out.push_back(*asn);
    i = end;
  }
  return {};
}

}  // namespace

base::Result<AsPath> parse_as_path_text(std::string_view text) {
  AsPath path;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
      continue;
    }
    const Bracket* bracket = nullptr;
    for (const auto& b : kBrackets) {
      if (c == b.open) {
        bracket = &b;
      }
    }
    if (bracket != nullptr) {
      const auto close = text.find(bracket->close, i + 1);
      if (close == std::string_view::npos) {
        return base::fail(std::string("'") + c + "' at offset " + std::to_string(i) +
                          " is not closed");
      }
      AsPathSegment segment{bracket->type, {}};
      BGPSEC_TRY(parse_asns(text.substr(i + 1, close - i - 1), segment.asns));
      if (segment.asns.empty()) {
        return base::fail("empty segment at offset " + std::to_string(i));
      }
      path.segments.push_back(std::move(segment));
      i = close + 1;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) == 0) {
      ++end;
    }
    auto asn = base::parse_asn(text.substr(i, end - i));
    if (!asn) {
      return base::fail(asn.error());
    }
    if (path.segments.empty() || path.segments.back().type != AsPathSegmentType::AsSequence) {
      path.segments.push_back({AsPathSegmentType::AsSequence, {}});
    }
    path.segments.back().asns.push_back(*asn);
    i = end;
  }
  return path;
}

std::string as_path_to_text(const AsPath& path) {
  std::string text;
  for (const auto& segment : path.segments) {
    const Bracket* bracket = nullptr;
    for (const auto& b : kBrackets) {
      if (segment.type == b.type) {
        bracket = &b;
      }
    }
    std::string part;
    for (const auto asn : segment.asns) {
      if (!part.empty()) {
        part +=
            bracket != nullptr && bracket->type != AsPathSegmentType::AsConfedSequence ? "," : " ";
      }
      part += asn.to_string();
    }
    if (bracket != nullptr) {
      part = bracket->open + part + bracket->close;
    }
    text += (text.empty() ? "" : " ") + part;
  }
  return text;
}

}  // namespace bgpsecd::wire
