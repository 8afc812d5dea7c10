#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the API reference with Doxygen from the public headers' /// comments
# (docs/Doxyfile) into build-docs/html, failing on any Doxygen warning, and
# checks that every code block of the Markdown docs matches the file it comes
# from (scripts/docs-snippets.py).  The snippet programs themselves are built
# and run by the test suite (docs/CMakeLists.txt).
#   scripts/docs.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
output="$(realpath -m "${1:-build-docs}")"

command -v doxygen >/dev/null || scripts/install-deps.sh --dev
mkdir -p "$output"
# WARN_AS_ERROR=FAIL_ON_WARNINGS: all warnings are printed, then the exit status is 1.
RELATE_DOCS_OUTPUT="$output" doxygen docs/Doxyfile
python3 scripts/docs-snippets.py
echo "docs: API reference in $output/html/index.html"
