// SPDX-License-Identifier: BSD-2-Clause
// The text table of bgpsecctl (text_table.hpp): column widths, alignment, short rows, notes and
// the trimmed line ends.
#include "service/text_table.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::service {
namespace {

TEST(TextTable, WidthsFromHeadersAndCellsAlignedPerColumn) {
  Table table({{"Name", kLeft}, {"N", kRight}, {"State", kLeft}});
  table.add({"alpha", "7", "up"});
  table.add({"b", "12345", "established"});
  EXPECT_EQ(table.str(),
            "Name       N  State\n"
            "alpha      7  up\n"
            "b      12345  established\n");
}

TEST(TextTable, HeaderWiderThanEveryCell) {
  Table table({{"Neighbor", kLeft}, {"Received", kRight}});
  table.add({"a", "1"});
  EXPECT_EQ(table.str(),
            "Neighbor  Received\n"
            "a                1\n");
}

TEST(TextTable, MissingCellsAreEmptyExtraCellsDropped) {
  Table table({{"A", kLeft}, {"B", kRight}, {"C", kLeft}});
  table.add({"x"});
  table.add({"y", "22", "z", "dropped"});
  EXPECT_EQ(table.str(),
            "A   B  C\n"
            "x\n"
            "y  22  z\n");
}

TEST(TextTable, NoSpacesAtTheEndOfALine) {
  Table table({{"", kLeft}, {"Left", kLeft}, {"Last", kLeft}});
  table.add({"*", "a", ""});
  table.add({"", "", ""});
  EXPECT_EQ(table.str(),
            "   Left  Last\n"
            "*  a\n"
            "\n");
}

TEST(TextTable, NotesFollowTheirRowAndNeedOne) {
  Table table({{"Prefix", kLeft}, {"Pref", kRight}});
  table.note("dropped: no row yet");
  table.add({"192.0.2.0/24", "100"});
  table.note("    not valid: signature-invalid");
  table.note("    second note");
  table.add({"2001:db8::/32", "90"});
  EXPECT_EQ(table.str(),
            "Prefix         Pref\n"
            "192.0.2.0/24    100\n"
            "    not valid: signature-invalid\n"
            "    second note\n"
            "2001:db8::/32    90\n");
}

TEST(TextTable, HeaderOnlyWithoutRows) {
  Table table({{"Station", kLeft}, {"Bytes", kRight}});
  EXPECT_EQ(table.str(), "Station  Bytes\n");
}

}  // namespace
}  // namespace bgpsecd::service
