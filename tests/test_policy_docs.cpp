// docs/policies.md says exactly what `fastgpu policies NAME...` prints for
// every policy that `fastgpu policies` lists: a "## name" section whose quoted
// line is the summary, whose
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

// A field of `fastgpu policies NAME...`, wrapped to 100 columns: its
// continuation lines are indented to where the text began, and join with ""
// after a '|' of a choice list, else with " ".
struct Field {
  std::string* text = nullptr;
  std::size_t indent = 0;
};

bool continues(const Field& f, const std::string& l) {
  return f.text && l.size() > f.indent && l.compare(0, f.indent, std::string(f.indent, ' ')) == 0 && l[f.indent] != ' ';
}

void append(Field& f, const std::string& l) {
  const std::string more = l.substr(f.indent);
  *f.text += (!f.text->empty() && f.text->back() == '|') ? more : " " + more;
}

// `fastgpu policies NAME...`: "name: summary", "  follows: source", then
// "  parameters: none", or "  parameters:" and per parameter "    name" with
// "      default  ", "      range    " and "      meaning  " lines.
std::map<std::string, Entry> parse_cli(const std::string& text) {
  std::map<std::string, Entry> out;
  Entry* cur = nullptr;
  Field field;
  const auto starts = [](const std::string& l, const std::string& head) { return l.rfind(head, 0) == 0; };
  for (const std::string& l : lines_of(text)) {
    if (l.empty()) continue;
    CHECK(l.size() <= 100);
    if (continues(field, l)) {
      append(field, l);
      continue;
    }
    field = {};
    if (l[0] != ' ') {
      const auto colon = l.find(": ");
      REQUIRE(colon != std::string::npos);
      cur = &out[l.substr(0, colon)];
      cur->summary = l.substr(colon + 2);
      field = {&cur->summary, colon + 2};
      continue;
    }
    REQUIRE(cur != nullptr);
    if (starts(l, "  follows: ")) {
      cur->source = l.substr(11);
      field = {&cur->source, 11};
    } else if (l == "  parameters: none" || l == "  parameters:") {
      cur->seen_params = true;
    } else if (starts(l, "    ") && l[4] != ' ') {
      cur->params.push_back(Row{l.substr(4), "", "", ""});
    } else {
      REQUIRE(!cur->params.empty());
      Row& row = cur->params.back();
      const char* labels[] = {"      default  ", "      range    ", "      meaning  "};
      bool known = false;
      for (std::size_t c = 0; c < 3; ++c) {
        if (starts(l, labels[c])) {
          row[c + 1] = l.substr(15);
          field = {&row[c + 1], 15};
          known = true;
        }
      }
      CHECK_MESSAGE(known, "unexpected line in `fastgpu policies NAME`: " << l);
    }
  }
  return out;
}

// `fastgpu policies`: a header, a rule, then "name  summary" per policy
// (continuation lines start with spaces), then a blank line and a note.
std::vector<std::string> parse_list(const std::string& text) {
  std::vector<std::string> names;
  const auto lines = lines_of(text);
  REQUIRE(lines.size() >= 2);
  CHECK(lines[0].rfind("policy ", 0) == 0);
  for (std::size_t i = 2; i < lines.size() && !lines[i].empty(); ++i) {
    CHECK(lines[i].size() <= 100);
    if (lines[i][0] != ' ') names.push_back(lines[i].substr(0, lines[i].find(' ')));
  }
  return names;
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

// The output of `fastgpu ARGS`.
std::string cli_output(const std::string& args) {
  const auto capture = std::filesystem::temp_directory_path() / ("fastgpu-policies-" + std::to_string(::getpid()));
  const std::string cmd = "'" + fastgpu::test::cli_path() + "' " + args + " > '" + capture.string() + "'";
  const int status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  std::string text = slurp(capture);
  std::filesystem::remove(capture);
  return text;
}

}  // namespace

TEST_CASE("docs/policies.md matches `fastgpu policies` and `fastgpu policies NAME...` exactly") {
  const std::vector<std::string> names = parse_list(cli_output("policies"));
  std::string all;
  for (const std::string& n : names) all += " " + n;
  const auto cli = parse_cli(cli_output("policies" + all));
  REQUIRE(cli.size() == names.size());
  for (const std::string& n : names) CHECK(cli.count(n) == 1);
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
