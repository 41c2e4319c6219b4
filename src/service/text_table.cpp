// SPDX-License-Identifier: BSD-2-Clause
// The column table of bgpsecctl's text output (text_table.hpp).
#include "service/text_table.hpp"

#include <algorithm>

namespace bgpsecd::service {

void Table::add(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(Row{std::move(cells), {}});
}

void Table::note(std::string line) {
  if (!rows_.empty()) {
    rows_.back().notes.push_back(std::move(line));
  }
}

std::string Table::str() const {
  std::vector<std::size_t> width(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    width[c] = columns_[c].header.size();
    for (const auto& row : rows_) {
      width[c] = std::max(width[c], row.cells[c].size());
    }
  }
  std::string out;
  std::vector<std::string> headers;
  for (const auto& column : columns_) {
    headers.push_back(column.header);
  }
  line(out, headers, width);
  for (const auto& row : rows_) {
    line(out, row.cells, width);
    for (const auto& note : row.notes) {
      out += note + "\n";
    }
  }
  return out;
}

void Table::line(std::string& out, const std::vector<std::string>& cells,
                 const std::vector<std::size_t>& width) const {
  std::string text_line;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (c > 0) {
      text_line += "  ";
    }
    const std::string pad(width[c] - cells[c].size(), ' ');
    text_line += columns_[c].align == Align::Right ? pad + cells[c] : cells[c] + pad;
  }
  text_line.erase(text_line.find_last_not_of(' ') + 1);
  out += text_line + "\n";
}

}  // namespace bgpsecd::service
