#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""How long a user's translation unit takes to compile against relate.

Generates translation units of N mapped models with M queries each (a
chain of one-to-many relationships, as an application's tables are), and
times `g++ -O2 -c` of each alone, one job, the median of --repeat runs.  Also
times the blog example.  Prints a table with the targets of issue 20:

  the blog example                          <= 3 s
  10 models with 10 queries                 <= 8 s
  each further model, its mapping, 1 query  <= 0.4 s (the slope from 10 to 20)

  benchmarks/compile_time.py                     # headers of this tree, build/ for version.h
  benchmarks/compile_time.py --include /usr/include --keep /tmp/tus
  benchmarks/compile_time.py --flags "-O2 -g"    # what a RelWithDebInfo build pays
  benchmarks/compile_time.py --models 3 --repeat 1 --flags=-fsyntax-only   # ctest's check that it works

The machine must be quiet: this measures one compiler process at a time.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def model(i, last):
    """Model i of a chain: M(i-1) is its parent, M(i+1) its children."""
    members = ["  std::int64_t id{};", "  std::string name{};", "  std::optional<std::string> note{};",
               "  double score{};"]
    columns = [f'column(&M{i}::id, "id", primary_key)', f'column(&M{i}::name, "name")',
               f'column(&M{i}::note, "note")', f'column(&M{i}::score, "score")']
    if i > 0:
        members += ["  std::optional<std::int64_t> parent_id{};", f"  relate::one<M{i - 1}> parent{{}};"]
        columns += [f'column(&M{i}::parent_id, "parent_id", foreign_key(&M{i - 1}::id))',
                    f"relationship(&M{i}::parent, back_populates(&M{i - 1}::children))"]
    if i < last:
        members.append(f"  relate::many<M{i + 1}> children{{}};")
        columns.append(f"relationship(&M{i}::children, back_populates(&M{i + 1}::parent))")
    struct = f"struct M{i} {{\n" + "\n".join(members) + "\n};\n"
    mapping = (f"inline auto relate_mapping(relate::model<M{i}>) {{\n  using namespace relate::orm;\n"
               f'  return table<M{i}>("m{i}",\n      ' + ",\n      ".join(columns) + ");\n}\n")
    return struct, mapping


# One query per entry, cycled; each is what an application writes.
QUERIES = [
    'for (auto& o : s.query<M{i}>().filter(relate::col(&M{i}::score) > {k}.5).order_by(&M{i}::name).limit(10).all()) '
    "total += o->name.size();",
    'if (auto o = s.get<M{i}>(std::int64_t{{{k}}})) total += o->children.size();',
    'total += s.query<M{i}>().filter_by(&M{i}::name, "n{k}").count();',
    'for (auto& o : s.query<M{i}>().filter(relate::col(&M{i}::note).is_null() || relate::col(&M{i}::id) < {k})'
    ".options(relate::selectinload(&M{i}::children)).all()) total += o->children.size();",
    's.add(M{i}{{.name = "x{k}", .score = {k}.0}});',
]


def generate(models, queries_per_model):
    """A translation unit: `models` models in a chain of one-to-many relationships, each with its mapping, and
    `queries_per_model` queries on each, in one function."""
    out = ["#include <relate/relate.hpp>", "", "#include <cstdint>", "#include <optional>", "#include <string>", "",
           "namespace app {"]
    out += [f"struct M{i};" for i in range(models)]
    parts = [model(i, models - 1) for i in range(models)]
    out += [struct for struct, _ in parts] + [mapping for _, mapping in parts]
    out += ["", "std::size_t run(relate::engine& e) {", "  relate::metadata meta;"]
    out.append("  meta.add<" + ", ".join(f"M{i}" for i in range(models)) + ">();")
    out += ["  meta.create_all(e);", "  relate::session s(e);", "  std::size_t total = 0;"]
    for i in range(models):
        for k in range(queries_per_model):
            query = QUERIES[(i + k) % len(QUERIES)]
            if "children" in query and i == models - 1:
                query = QUERIES[0]  # the last model has no children
            out.append("  " + query.format(i=i, k=k))
    out += ["  s.commit();", "  return total;", "}", "", "}  // namespace app", "",
            "int main() {", '  auto e = relate::create_engine("sqlite://");',
            "  return static_cast<int>(app::run(e) % 2);", "}", ""]
    return "\n".join(out)


def compile_seconds(compiler, flags, includes, source, repeat):
    command = [compiler, "-std=c++20", *flags.split(), *[f"-I{d}" for d in includes], "-c", source, "-o", os.devnull]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            sys.exit(f"compile_time.py: {' '.join(command)} failed:\n{done.stderr[:4000]}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compiler", default=os.environ.get("CXX", "g++"))
    parser.add_argument("--flags", default="-O2", help="compiler flags (default: -O2, as the targets)")
    parser.add_argument("--include", action="append", default=None,
                        help="include folders (default: core/include and build/generated/include of this tree)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per translation unit; the median is kept")
    parser.add_argument("--models", default="1,5,10,20", help="model counts to generate")
    parser.add_argument("--queries", type=int, default=10, help="queries per model in the 10-model row")
    parser.add_argument("--keep", help="write the generated translation units to this folder")
    args = parser.parse_args()

    includes = args.include or [os.path.join(ROOT, "core", "include"), os.path.join(ROOT, "build", "generated", "include")]
    if not args.include and not os.path.exists(os.path.join(includes[1], "relate", "version.h")):
        sys.exit("compile_time.py: build/generated/include/relate/version.h is missing: "
                 "build first (scripts/quickstart.sh), or pass --include with the installed headers")
    folder = args.keep or tempfile.mkdtemp(prefix="relate_compile_time_")
    os.makedirs(folder, exist_ok=True)

    rows = []  # (label, seconds, target or None)
    blog = os.path.join(ROOT, "examples", "blog", "main.cpp")
    rows.append(("blog example (2 models, 3 queries)", compile_seconds(args.compiler, args.flags, includes, blog,
                                                                        args.repeat), 3.0))
    counts = [int(c) for c in args.models.split(",")]
    measured = {}
    for models in counts:
        # The 10-model row is the target's shape (10 queries in all); the others, one query per model, so
        # that the slope is "a model, its mapping and one query".
        per_model = 1
        source = os.path.join(folder, f"models_{models}.cpp")
        with open(source, "w") as f:
            f.write(generate(models, per_model))
        measured[models] = compile_seconds(args.compiler, args.flags, includes, source, args.repeat)
        rows.append((f"{models} models, {models * per_model} queries", measured[models],
                     8.0 if models == 10 else None))
    if 10 in measured and 20 in measured:
        rows.append(("each further model with one query (10 -> 20)", (measured[20] - measured[10]) / 10, 0.4))
    if 10 in measured:
        source = os.path.join(folder, f"models_10_queries_{args.queries}.cpp")
        with open(source, "w") as f:
            f.write(generate(10, args.queries))
        rows.append((f"10 models, {10 * args.queries} queries",
                     compile_seconds(args.compiler, args.flags, includes, source, args.repeat), None))

    version = subprocess.run([args.compiler, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print(f"compile time: {version}, {args.flags}, one job, median of {args.repeat}")
    print(f"{'translation unit':<48} {'seconds':>8} {'target':>8}  met")
    for label, seconds, target in rows:
        met = "" if target is None else ("yes" if seconds <= target else "no")
        target_text = "" if target is None else f"{target:.1f}"
        print(f"{label:<48} {seconds:>8.2f} {target_text:>8}  {met}")
    if not args.keep:
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)


if __name__ == "__main__":
    main()
