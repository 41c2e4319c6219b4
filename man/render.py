#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Renders one man page of this directory (Markdown) as roff with pandoc, at build time.

  man/render.py SOURCE.md OUTPUT VERSION

A page starts with `# NAME(SECTION) — one line of description`, then `## SECTION` headings.
That first line becomes the page's title block and its NAME section ("NAME - description", as
man(7) and apropos expect); the `##` headings become the page's sections.
"""
import re
import subprocess
import sys


# Text width of a page at 80 columns: man(1) indents the body by 7 and keeps a margin.
TEXT_WIDTH = 71
# tbl's default gap between two columns, in ens.
COLUMN_GAP = 3


def fit_tables(roff):
    """pandoc gives a table's columns widths that add up to its line width, and tbl adds a gap
    between columns on top: at 80 columns every table of two columns or more ran past the right
    edge. Scales each table's column widths (lw(N n)) so that columns and gaps fit."""
    def fit(m):
        widths = [float(w) for w in re.findall(r"lw\(([\d.]+)n\)", m.group(0))]
        room = TEXT_WIDTH - COLUMN_GAP * (len(widths) - 1)
        scale = min(1.0, room / sum(widths))
        return " ".join("lw(%.1fn)" % (w * scale) for w in widths) + "."
    return re.sub(r"^(?:lw\([\d.]+n\) ?)+\.$", fit, roff, flags=re.M)


def main():
    source, output, version = sys.argv[1:4]
    text = open(source, encoding="utf-8").read()
    first, rest = text.split("\n", 1)
    m = re.match(r"^# ([\w.-]+)\((\d)\) — (.+)$", first)
    if not m:
        sys.exit("%s:1: expected '# NAME(SECTION) — description'" % source)
    name, section, description = m.groups()
    body = "# NAME\n\n%s - %s\n%s" % (name, description, re.sub(r"^##", "#", rest, flags=re.M))
    roff = subprocess.run(["pandoc", "--standalone", "--from", "markdown", "--to", "man",
                           "--metadata", "title=" + name.upper(), "--metadata", "section=" + section,
                           "--metadata", "header=bgpsecd manual",
                           "--metadata", "footer=bgpsecd " + version],
                          input=body.encode("utf-8"), stdout=subprocess.PIPE, check=True)
    with open(output, "w", encoding="utf-8") as out:
        out.write(fit_tables(roff.stdout.decode("utf-8")))


if __name__ == "__main__":
    main()
