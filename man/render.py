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


def main():
    source, output, version = sys.argv[1:4]
    text = open(source, encoding="utf-8").read()
    first, rest = text.split("\n", 1)
    m = re.match(r"^# ([\w.-]+)\((\d)\) — (.+)$", first)
    if not m:
        sys.exit("%s:1: expected '# NAME(SECTION) — description'" % source)
    name, section, description = m.groups()
    body = "# NAME\n\n%s - %s\n%s" % (name, description, re.sub(r"^##", "#", rest, flags=re.M))
    subprocess.run(["pandoc", "--standalone", "--from", "markdown", "--to", "man",
                    "--metadata", "title=" + name.upper(), "--metadata", "section=" + section,
                    "--metadata", "header=bgpsecd manual",
                    "--metadata", "footer=bgpsecd " + version, "--output", output],
                   input=body.encode("utf-8"), check=True)


if __name__ == "__main__":
    main()
