// SPDX-License-Identifier: MIT
#include "runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace relate_bench {

double side_runs::median_seconds() const {
  std::vector<double> s;
  for (const auto& r : runs) s.push_back(r.seconds);
  std::sort(s.begin(), s.end());
  if (s.empty()) return 0;
  const auto mid = s.size() / 2;
  return s.size() % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

long side_runs::peak_rss_kb() const {
  long peak = 0;
  for (const auto& r : runs) peak = std::max(peak, r.peak_rss_kb);
  return peak;
}

std::uint64_t side_runs::statements() const { return runs.empty() ? 0 : runs.front().statements; }

namespace {

/// Forks; the child runs body and writes its report (one line) to a pipe,
/// then leaves with _exit (no atexit handlers, no flushing of the parent's
/// stdio buffers twice).  Returns the report.
std::string in_child(const std::function<std::string()>& body) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    close(fds[0]);
    std::string report;
    try {
      report = "ok " + body();
    } catch (const std::exception& e) {
      report = std::string("error ") + e.what();
    } catch (...) {
      report = "error unknown exception";
    }
    std::size_t written = 0;
    while (written < report.size()) {
      const auto n = write(fds[1], report.data() + written, report.size() - written);
      if (n <= 0) break;
      written += static_cast<std::size_t>(n);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string report;
  char buffer[4096];
  for (;;) {
    const auto n = read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    report.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    throw std::runtime_error("the child process was killed by signal " + std::to_string(WTERMSIG(status)) +
                             " (" + strsignal(WTERMSIG(status)) + ")");
  if (report.rfind("ok ", 0) == 0) return report.substr(3);
  if (report.rfind("error ", 0) == 0) throw std::runtime_error(report.substr(6));
  throw std::runtime_error("the child process exited without a report");
}

}  // namespace

void run_in_child(const std::function<void()>& fn) {
  in_child([&] {
    fn();
    return std::string();
  });
}

measurement runner::run_side(side_fn side, const workload& w) {
  prepare(w);
  const bench_context& ctx = fixture_.context();
  const std::string report = in_child([&] {
    measurement m;
    side(ctx, m);
    std::ostringstream out;
    out.precision(17);
    out << m.seconds << ' ' << m.peak_rss_kb << ' ' << m.statements << ' ' << m.checksum;
    return out.str();
  });
  if (w.changes_data) dirty_ = true;
  measurement m;
  std::istringstream in(report);
  in >> m.seconds >> m.peak_rss_kb >> m.statements >> m.checksum;
  if (!in) throw std::runtime_error("unreadable report from the child: " + report);
  return m;
}

void runner::prepare(const workload& w) {
  if (have_state_ && state_ == w.starts_from && !dirty_) return;
  run_in_child([&] { fixture_.restore(w.starts_from); });
  have_state_ = true;
  state_ = w.starts_from;
  dirty_ = false;
}

workload_result runner::run(const workload& w) {
  workload_result result;
  result.w = &w;
  result.kind = fixture_.context().kind;
  const side_fn raw = result.kind == backend::sqlite ? w.raw_sqlite : w.raw_postgresql;
  struct side {
    const char* name;
    side_fn fn;
    side_runs* out;
  };
  const side relate_side{"relate", w.relate, &result.relate};
  const side raw_side{"raw", raw, &result.raw};

  const int rounds = options_.warmup + options_.repetitions;
  for (int round = 0; round < rounds; ++round) {
    const bool measured = round >= options_.warmup;
    const side order[2] = {round % 2 == 0 ? relate_side : raw_side, round % 2 == 0 ? raw_side : relate_side};
    for (const auto& s : order) {
      if (!s.fn || !s.out->error.empty()) continue;
      try {
        const measurement m = run_side(s.fn, w);
        if (options_.progress)
          std::cerr << "  " << w.name << ' ' << s.name << (measured ? "" : " (warm-up)") << ": " << m.seconds
                    << " s, " << m.statements << " statements, peak " << m.peak_rss_kb << " kB\n";
        if (measured) s.out->runs.push_back(m);
      } catch (const std::exception& e) {
        s.out->error = e.what();
        std::cerr << "  " << w.name << ' ' << s.name << " FAILED: " << e.what() << '\n';
        dirty_ = true;  // a run that failed half-way may have changed the data
      }
    }
  }

  // Equal checksums are the evidence that both sides did the same work.
  const auto check = [&](const side_runs& a, const char* what) {
    for (const auto& r : a.runs) {
      if (r.checksum != a.runs.front().checksum) {
        result.problems.push_back(std::string(what) + " checksums differ between repetitions");
        return;
      }
      if (r.statements != a.runs.front().statements)
        result.problems.push_back(std::string(what) + " statement counts differ between repetitions");
    }
  };
  check(result.relate, "relate");
  check(result.raw, "raw");
  if (result.has_ratio() && result.relate.runs.front().checksum != result.raw.runs.front().checksum)
    result.problems.push_back("relate and raw did not do the same work: checksum " +
                              std::to_string(result.relate.runs.front().checksum) + " vs " +
                              std::to_string(result.raw.runs.front().checksum));
  return result;
}

}  // namespace relate_bench
