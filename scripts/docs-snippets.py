#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Keeps the code in the Markdown documentation identical to files CI builds.

A fenced code block right after a marker line

    <!-- snippet: docs/snippets/tutorial.cpp#models -->

must hold exactly the region `models` of that file (the lines between
`snippet-begin: models` and `snippet-end: models`, marker lines of other
regions left out, common indentation removed), or the whole file when no
region is named.  Paths are relative to the repository root.

    scripts/docs-snippets.py            # check: list every block that differs, exit 1 if any
    scripts/docs-snippets.py --update   # rewrite the blocks from the files
"""
import pathlib
import re
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!-- snippet: (?P<path>[^#\s]+)(?:#(?P<region>[\w-]+))? -->$")
REGION_LINE = re.compile(r"snippet-(begin|end): [\w-]+")


def documents():
    yield ROOT / "README.md"
    yield from sorted((ROOT / "docs").glob("*.md"))


def region_text(path, region):
    lines = (ROOT / path).read_text().splitlines()
    if region is not None:
        try:
            start = next(i for i, l in enumerate(lines) if re.search(rf"snippet-begin: {region}$", l))
            end = next(i for i, l in enumerate(lines) if re.search(rf"snippet-end: {region}$", l))
        except StopIteration:
            raise SystemExit(f"docs-snippets: {path} has no region '{region}'")
        lines = lines[start + 1:end]
    lines = [l for l in lines if not REGION_LINE.search(l)]
    return textwrap.dedent("\n".join(lines)).strip("\n")


def process(document, update):
    """Returns the blocks of `document` that differ from their files."""
    lines = document.read_text().splitlines()
    stale = []
    i = 0
    while i < len(lines):
        match = MARKER.match(lines[i])
        if not match:
            i += 1
            continue
        fence = i + 1
        if fence >= len(lines) or not lines[fence].startswith("```"):
            raise SystemExit(f"docs-snippets: {document.name}:{i + 1}: a snippet marker must be followed by a code block")
        close = next((j for j in range(fence + 1, len(lines)) if lines[j] == "```"), None)
        if close is None:
            raise SystemExit(f"docs-snippets: {document.name}:{fence + 1}: unclosed code block")
        wanted = region_text(match["path"], match["region"]).splitlines()
        if lines[fence + 1:close] != wanted:
            stale.append(f"{document.relative_to(ROOT)}:{fence + 1}: differs from {match['path']}"
                         + (f"#{match['region']}" if match["region"] else ""))
            lines[fence + 1:close] = wanted
            close = fence + 1 + len(wanted)
        i = close + 1
    if update and stale:
        document.write_text("\n".join(lines) + "\n")
    return stale


def main():
    update = "--update" in sys.argv[1:]
    stale = [s for d in documents() for s in process(d, update)]
    for s in stale:
        print(("updated " if update else "") + s)
    if stale and not update:
        print("docs-snippets: run scripts/docs-snippets.py --update and commit the result")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
