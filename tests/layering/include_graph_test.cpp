// The module table in docs/ARCHITECTURE.md is the rule; the #include lines and the DEPS lists under
// src/ must keep it. A module's own tests (*_test.cpp, *_pgtest.cpp) are left out: they link what
// the test needs, not what the module may use.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ModuleSet = std::set<std::string>;

const fs::path kRoot = GC_SOURCE_DIR;

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string Trim(std::string s) {
    const auto first = s.find_first_not_of(" \t");
    const auto last = s.find_last_not_of(" \t");
    return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

// Module folders under src/: those with a CMakeLists.txt.
ModuleSet SourceModules() {
    ModuleSet modules;
    for (const auto& entry : fs::directory_iterator(kRoot / "src")) {
        if (entry.is_directory() && fs::exists(entry.path() / "CMakeLists.txt")) {
            modules.insert(entry.path().filename().string());
        }
    }
    return modules;
}

// The "## Modules" table: module name -> the names in its last column ("may use") that are modules.
std::map<std::string, ModuleSet> ModuleTable() {
    std::map<std::string, std::vector<std::string>> raw;
    std::istringstream doc(ReadFile(kRoot / "docs/ARCHITECTURE.md"));
    const std::regex row(R"(^\| `([a-z_]+)` \|.*\|([^|]*)\|\s*$)");
    bool in_section = false;
    for (std::string line; std::getline(doc, line);) {
        if (line.starts_with("## "))
            in_section = line == "## Modules (one static library each, under `src/`)";
        std::smatch m;
        if (!in_section || !std::regex_match(line, m, row)) continue;
        std::vector<std::string> names;
        std::istringstream cell(m[2].str());
        for (std::string name; std::getline(cell, name, ',');) names.push_back(Trim(name));
        raw[m[1].str()] = names;
    }
    std::map<std::string, ModuleSet> table;
    for (const auto& [module, names] : raw) {
        auto& allowed = table[module];
        for (const auto& name : names) {
            if (raw.contains(name)) allowed.insert(name);
        }
    }
    return table;
}

bool IsTestSource(const std::string& name) {
    return name.ends_with("_test.cpp") || name.ends_with("_pgtest.cpp");
}

// module -> (module it includes -> the first file that does), from `#include "<module>/..."` lines.
std::map<std::string, std::map<std::string, std::string>> IncludeGraph(const ModuleSet& modules) {
    std::map<std::string, std::map<std::string, std::string>> graph;
    const std::regex include(R"(^\s*#\s*include\s+"([a-z_]+)/[^"]+")");
    for (const auto& module : modules) {
        for (const auto& entry : fs::recursive_directory_iterator(kRoot / "src" / module)) {
            const auto name = entry.path().filename().string();
            const auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp") ||
                IsTestSource(name)) {
                continue;
            }
            std::istringstream text(ReadFile(entry.path()));
            for (std::string line; std::getline(text, line);) {
                std::smatch m;
                if (std::regex_search(line, m, include) && modules.contains(m[1].str()) &&
                    m[1].str() != module) {
                    graph[module].emplace(m[1].str(), fs::relative(entry.path(), kRoot).string());
                }
            }
        }
    }
    return graph;
}

// module -> the modules its gc_library(... DEPS ...) links (gc_<module> names).
std::map<std::string, ModuleSet> LinkGraph(const ModuleSet& modules) {
    std::map<std::string, ModuleSet> graph;
    const std::regex library(R"(gc_library\(([^)]*)\))");
    const std::regex dep(R"(\bgc_([a-z_]+)\b)");
    for (const auto& module : modules) {
        const auto text = ReadFile(kRoot / "src" / module / "CMakeLists.txt");
        for (std::sregex_iterator it(text.begin(), text.end(), library), end; it != end; ++it) {
            const std::string args = (*it)[1].str();
            const auto deps_at = args.find("DEPS");
            if (deps_at == std::string::npos) continue;
            const std::string deps = args.substr(deps_at);
            for (std::sregex_iterator d(deps.begin(), deps.end(), dep); d != end; ++d) {
                if (modules.contains((*d)[1].str())) graph[module].insert((*d)[1].str());
            }
        }
    }
    return graph;
}

std::string Join(const ModuleSet& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "(nothing)" : out;
}

TEST(IncludeGraph, EveryModuleUnderSrcHasARowInTheTable) {
    const auto table = ModuleTable();
    const auto modules = SourceModules();
    ASSERT_GE(modules.size(), 10u) << "found too few modules under " << kRoot / "src";
    for (const auto& module : modules) {
        EXPECT_TRUE(table.contains(module))
            << "src/" << module << " has no row in docs/ARCHITECTURE.md";
    }
}

TEST(IncludeGraph, EveryIncludeOfAnotherModuleIsAllowedByTheTable) {
    const auto table = ModuleTable();
    const auto graph = IncludeGraph(SourceModules());
    size_t edges = 0;
    for (const auto& [module, uses] : graph) {
        const auto row = table.find(module);
        const ModuleSet allowed = row == table.end() ? ModuleSet{} : row->second;
        for (const auto& [used, file] : uses) {
            ++edges;
            EXPECT_TRUE(allowed.contains(used)) << file << " includes " << used << "/, but "
                                                << module << " may use only " << Join(allowed);
        }
    }
    // The parser found the graph (calls alone uses six modules), so an empty pass means nothing.
    EXPECT_GE(edges, 20u);
    EXPECT_TRUE(graph.contains("calls") && graph.at("calls").contains("oauth"));
}

TEST(IncludeGraph, EveryLinkedModuleIsAllowedAndEveryAllowedModuleIsLinked) {
    const auto table = ModuleTable();
    const auto links = LinkGraph(SourceModules());
    ASSERT_TRUE(links.contains("calls"));
    for (const auto& [module, allowed] : table) {
        const auto row = links.find(module);
        const ModuleSet linked = row == links.end() ? ModuleSet{} : row->second;
        EXPECT_EQ(Join(linked), Join(allowed))
            << "src/" << module << "/CMakeLists.txt links " << Join(linked)
            << " but its row in docs/ARCHITECTURE.md says " << Join(allowed);
    }
}

}  // namespace
