// SPDX-License-Identifier: MIT
#include "report.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <thread>

namespace relate_bench {
namespace {

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  return out + '"';
}

std::string json_number(double v, bool present) {
  if (!present) return "null";
  std::ostringstream s;
  s << std::setprecision(6) << v;
  return s.str();
}

/// "met", "MISSED (+23%)" or "" when the workload has no target.
std::string verdict(const workload_result& r) {
  const double target = target_ratio(r.w->name, r.kind);
  if (target == 0 || !r.has_ratio()) return "";
  if (r.ratio() <= target) return "met";
  return "MISSED (+" + fixed((r.ratio() / target - 1) * 100, 0) + "%)";
}

std::string first_line_of(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return line.substr(key.size());
  return {};
}

}  // namespace

std::string describe_machine() {
  std::string os = first_line_of("/etc/os-release", "PRETTY_NAME=");
  if (os.size() >= 2 && os.front() == '"') os = os.substr(1, os.size() - 2);
  std::string cpu = first_line_of("/proc/cpuinfo", "model name\t: ");
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  const double gib = static_cast<double>(pages) * static_cast<double>(page_size) / (1024.0 * 1024 * 1024);
  return (os.empty() ? "Linux" : os) + ", " + std::to_string(std::thread::hardware_concurrency()) + " CPUs" +
         (cpu.empty() ? "" : " (" + cpu + ")") + ", " + fixed(gib, 1) + " GiB RAM";
}

void print_table(std::ostream& out, const report_header& h, const std::vector<workload_result>& results) {
  out << "relate-bench: " << to_string(h.kind) << ", scale " << h.scale << " (" << h.n.users << " users, "
      << h.n.posts() << " posts), median of " << h.repetitions << " repetitions, relate and raw alternating\n"
      << "machine: " << h.machine << "\n\n";
  out << std::left << std::setw(27) << "workload" << std::right << std::setw(10) << "relate s"
      << std::setw(10) << "raw s" << std::setw(8) << "ratio" << std::setw(8) << "target"
      << "  " << std::left << std::setw(16) << "verdict" << std::right << std::setw(18) << "statements r/raw"
      << std::setw(22) << "peak RSS kB r/raw" << '\n';
  std::vector<std::string> notes;
  for (const auto& r : results) {
    std::string label(r.w->label);
    if (!r.w->note.empty()) {
      notes.push_back(std::string(r.w->label) + ": " + std::string(r.w->note));
      label += " [" + std::to_string(notes.size()) + "]";
    }
    const double target = target_ratio(r.w->name, r.kind);
    out << std::left << std::setw(27) << label << std::right << std::setw(10)
        << (r.relate.ran() ? fixed(r.relate.median_seconds(), 4) : "-") << std::setw(10)
        << (r.raw.ran() ? fixed(r.raw.median_seconds(), 4) : "-") << std::setw(8)
        << (r.has_ratio() ? fixed(r.ratio(), 2) : "-") << std::setw(8)
        << (target > 0 ? "<=" + fixed(target, 1) : "") << "  " << std::left << std::setw(16) << verdict(r)
        << std::right << std::setw(18)
        << ((r.relate.ran() ? std::to_string(r.relate.statements()) : "-") + " / " +
            (r.raw.ran() ? std::to_string(r.raw.statements()) : "-"))
        << std::setw(22)
        << ((r.relate.ran() ? std::to_string(r.relate.peak_rss_kb()) : "-") + " / " +
            (r.raw.ran() ? std::to_string(r.raw.peak_rss_kb()) : "-"))
        << '\n';
    if (!r.relate.error.empty()) out << "    relate FAILED: " << r.relate.error << '\n';
    if (!r.raw.error.empty()) out << "    raw FAILED: " << r.raw.error << '\n';
    for (const auto& p : r.problems) out << "    PROBLEM: " << p << '\n';
  }
  if (!notes.empty()) out << '\n';
  for (std::size_t i = 0; i < notes.size(); ++i) out << '[' << i + 1 << "] " << notes[i] << '\n';
  out << "\nstatements: SQL statements sent in the timed region, BEGIN/COMMIT/ROLLBACK/SAVEPOINT not "
         "counted; "
         "peak RSS: VmHWM of the run's own process, highest of the repetitions\n";
}

void print_json(std::ostream& out, const report_header& h, const std::vector<workload_result>& results) {
  out << "[\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const double target = target_ratio(r.w->name, r.kind);
    std::string error = r.relate.error.empty() ? r.raw.error : r.relate.error;
    for (const auto& p : r.problems) error += (error.empty() ? "" : "; ") + p;
    out << "  {\"workload\": " << json_string(r.w->name)
        << ", \"backend\": " << json_string(to_string(r.kind))
        << ", \"relate_s\": " << json_number(r.relate.median_seconds(), r.relate.ran())
        << ", \"raw_s\": " << json_number(r.raw.median_seconds(), r.raw.ran())
        << ", \"ratio\": " << json_number(r.has_ratio() ? r.ratio() : 0, r.has_ratio())
        << ", \"statements\": " << json_number(static_cast<double>(r.relate.statements()), r.relate.ran())
        << ", \"peak_rss_kb\": " << json_number(static_cast<double>(r.relate.peak_rss_kb()), r.relate.ran())
        << ", \"raw_statements\": " << json_number(static_cast<double>(r.raw.statements()), r.raw.ran())
        << ", \"raw_peak_rss_kb\": " << json_number(static_cast<double>(r.raw.peak_rss_kb()), r.raw.ran())
        << ", \"target\": " << json_number(target, target > 0)
        << ", \"scale\": " << json_number(h.scale, true) << ", \"repetitions\": " << h.repetitions
        << ", \"note\": " << json_string(r.w->note)
        << ", \"error\": " << (error.empty() ? "null" : json_string(error)) << "}"
        << (i + 1 < results.size() ? "," : "") << '\n';
  }
  out << "]\n";
}

}  // namespace relate_bench
