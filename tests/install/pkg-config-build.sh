#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds DIR/main.cpp into DIR/my_app with nothing but what pkg-config says
# about relate: the README's command.  The rpath lets the program find
# librelate.so without LD_LIBRARY_PATH when relate is not under /usr.
# Usage: pkg-config-build.sh DIR   (the test's CXX and CXXFLAGS are honoured)
set -euo pipefail
cd "$1"
# `command`: without CXX, run the compiler c++, not this function.
c++() { command "${CXX:-c++}" ${CXXFLAGS:-} "$@"; }

# snippet-begin: pkg-config
c++ -std=c++20 main.cpp -o my_app $(pkg-config --cflags --libs relate) \
    -Wl,-rpath,"$(pkg-config --variable=libdir relate)"
# snippet-end: pkg-config
