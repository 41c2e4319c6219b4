// SPDX-License-Identifier: BSD-2-Clause
// The column table of bgpsecctl's text output for both daemons: each column as wide as its
// widest cell (header included), two spaces between columns, numbers right-aligned and text
// left-aligned by the caller's choice, no spaces at the end of a line.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bgpsecd::service {

class Table {
 public:
  enum class Align : std::uint8_t { Left, Right };
  struct Column {
    std::string header;
    Align align = Align::Left;
  };

  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // A row; missing cells are empty, cells beyond the columns are dropped.
  void add(std::vector<std::string> cells);
  // A free line printed under the last row (e.g. why a route is Not Valid); before the first
  // row it is dropped.
  void note(std::string line);

  // The header line, then each row with its notes; every line ends in "\n".
  [[nodiscard]] std::string str() const;

 private:
  struct Row {
    std::vector<std::string> cells;
    std::vector<std::string> notes;
  };

  void line(std::string& out, const std::vector<std::string>& cells,
            const std::vector<std::size_t>& width) const;

  std::vector<Column> columns_;
  std::vector<Row> rows_;
};

inline constexpr auto kLeft = Table::Align::Left;
inline constexpr auto kRight = Table::Align::Right;

}  // namespace bgpsecd::service
