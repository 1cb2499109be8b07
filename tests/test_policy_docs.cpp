// docs/policies.md says exactly what `fastgpu policies` prints: for every
// registered policy a "## name" section whose quoted line is the summary, whose
// parameter table has the CLI's rows (name, default, range, meaning) in the
// same order, and whose "Source:" line is the CLI's "follows:" text; and no
// section for a policy that is not registered. Parsed from the executable's
// output (FASTGPU_CLI), not from the registry, so the check covers the command.
#include "source_paths.h"
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Row = std::vector<std::string>;  // parameter, default, range, meaning

struct Entry {
  std::string summary, source;
  std::vector<Row> params;
  bool seen_params = false;  // a table or "parameters: none"
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string rtrim(std::string s) {
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}

// `fastgpu policies`: "name: summary", "  follows: source", then a table
// (header, a rule of dashes giving the column starts, rows) or
// "  parameters: none".
std::map<std::string, Entry> parse_cli(const std::string& text) {
  std::map<std::string, Entry> out;
  Entry* cur = nullptr;
  const auto lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.empty()) continue;
    if (l[0] != ' ') {
      const auto colon = l.find(": ");
      REQUIRE(colon != std::string::npos);
      cur = &out[l.substr(0, colon)];
      cur->summary = l.substr(colon + 2);
      continue;
    }
    REQUIRE(cur != nullptr);
    if (l.rfind("  follows: ", 0) == 0) {
      cur->source = l.substr(11);
    } else if (l == "  parameters: none") {
      cur->seen_params = true;
    } else if (l.rfind("  parameter", 0) == 0) {
      REQUIRE(i + 1 < lines.size());
      const std::string rule = lines[++i].substr(2);
      std::vector<std::size_t> starts;
      for (std::size_t p = 0; p < rule.size(); ++p) {
        if (rule[p] == '-' && (p == 0 || rule[p - 1] == ' ')) starts.push_back(p);
      }
      REQUIRE(starts.size() == 4);
      cur->seen_params = true;
      while (i + 1 < lines.size() && lines[i + 1].rfind("  ", 0) == 0 && lines[i + 1].rfind("  follows", 0) != 0) {
        const std::string r = lines[++i].substr(2);
        Row row;
        for (std::size_t c = 0; c < starts.size(); ++c) {
          const std::size_t s = starts[c];
          const std::size_t e = c + 1 < starts.size() ? starts[c + 1] : std::string::npos;
          row.push_back(s < r.size() ? rtrim(r.substr(s, e == std::string::npos ? e : e - s)) : "");
        }
        cur->params.push_back(row);
      }
    }
  }
  return out;
}

// A markdown table cell: trimmed, "\|" unescaped, one pair of backticks
// removed, `""` meaning empty.
std::string cell(std::string s) {
  s.erase(0, s.find_first_not_of(' '));
  s = rtrim(s);
  std::string u;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '|') continue;
    u += s[i];
  }
  if (u.size() >= 2 && u.front() == '`' && u.back() == '`') u = u.substr(1, u.size() - 2);
  return u == "\"\"" ? "" : u;
}

// Cells of a markdown table row, split at unescaped '|'.
Row split_row(const std::string& l) {
  Row out;
  std::string current;
  for (std::size_t i = 1; i < l.size(); ++i) {  // skip the leading '|'
    if (l[i] == '|' && l[i - 1] != '\\') {
      out.push_back(cell(current));
      current.clear();
    } else {
      current += l[i];
    }
  }
  return out;
}

std::map<std::string, Entry> parse_docs(const std::string& text) {
  std::map<std::string, Entry> out;
  Entry* cur = nullptr;
  bool in_table = false;
  for (const std::string& l : lines_of(text)) {
    if (l.rfind("## ", 0) == 0) {
      cur = &out[l.substr(3)];
      in_table = false;
      continue;
    }
    if (!cur) continue;
    if (l.rfind("> ", 0) == 0 && cur->summary.empty()) {
      cur->summary = l.substr(2);
    } else if (l.rfind("Source: ", 0) == 0) {
      cur->source = l.substr(8);
    } else if (l == "Parameters: none.") {
      cur->seen_params = true;
    } else if (l == "| parameter | default | range | meaning |") {
      in_table = true;
      cur->seen_params = true;
    } else if (in_table && l.rfind("| ---", 0) == 0) {
      continue;
    } else if (in_table && l.rfind("|", 0) == 0) {
      cur->params.push_back(split_row(l));
    } else {
      in_table = false;
    }
  }
  return out;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("docs/policies.md matches `fastgpu policies` exactly") {
  const auto capture = std::filesystem::temp_directory_path() / ("fastgpu-policies-" + std::to_string(::getpid()));
  const std::string cmd = "'" + fastgpu::test::cli_path() + "' policies > '" + capture.string() + "'";
  const int status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const auto cli = parse_cli(slurp(capture));
  std::filesystem::remove(capture);
  const auto docs = parse_docs(slurp(std::filesystem::path(fastgpu::test::source_dir()) / "docs" / "policies.md"));
  REQUIRE(cli.size() >= 16);
  for (const auto& [name, want] : cli) {
    CAPTURE(name);
    REQUIRE_MESSAGE(docs.count(name) == 1, "docs/policies.md has no section '## " << name << "'");
    const Entry& got = docs.at(name);
    CHECK(got.summary == want.summary);
    CHECK(got.source == want.source + ".");
    CHECK(want.seen_params);
    CHECK(got.seen_params);
    REQUIRE(got.params.size() == want.params.size());
    for (std::size_t i = 0; i < want.params.size(); ++i) {
      CAPTURE(i);
      CHECK(got.params[i] == want.params[i]);
    }
  }
  for (const auto& [name, entry] : docs) {
    CAPTURE(name);
    CHECK_MESSAGE(cli.count(name) == 1, "docs/policies.md documents '" << name << "', which is not registered");
  }
}
