// The request-body parser against the JSON conformance corpus in ../shared/conformance/json.
#include "core/json.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gc::core {
namespace {

std::string ReadFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::filesystem::path> Corpus(const char* dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(std::string(GC_SHARED_DIR) +
                                                             "/conformance/json/" + dir)) {
        files.push_back(e.path());
    }
    return files;
}

TEST(JsonConformance, AcceptsEveryValidDocument) {
    const auto files = Corpus("y");
    ASSERT_GT(files.size(), 50u);
    for (const auto& f : files) {
        EXPECT_TRUE(ParseJson(ReadFile(f)).has_value()) << f.filename();
    }
}

TEST(JsonConformance, RejectsEveryInvalidDocument) {
    const auto files = Corpus("n");
    ASSERT_GT(files.size(), 50u);
    for (const auto& f : files) {
        auto r = ParseJson(ReadFile(f));
        ASSERT_FALSE(r.has_value()) << f.filename();
        EXPECT_EQ(r.error().code, ErrorCode::kMalformedJson);
    }
}

TEST(JsonConformance, IsJsonDocumentAgreesWithTheParserOnTheWholeCorpus) {
    for (const char* dir : {"y", "n"}) {
        for (const auto& f : Corpus(dir)) {
            const std::string text = ReadFile(f);
            EXPECT_EQ(IsJsonDocument(text), ParseJson(text).has_value())
                << dir << "/" << f.filename();
        }
    }
    EXPECT_TRUE(IsJsonDocument(" {\"a\": [1, 2.5e3, \"\\u00e9\", null]} \n"));
    EXPECT_FALSE(IsJsonDocument("{\"a\": 1} {\"b\": 2}")) << "two documents";
    EXPECT_FALSE(IsJsonDocument("{\"a\": 1"));
    EXPECT_FALSE(IsJsonDocument(""));
}

TEST(Json, CapsNestingDepth) {
    const std::string ok =
        std::string(kMaxJsonDepth - 1, '[') + std::string(kMaxJsonDepth - 1, ']');
    EXPECT_TRUE(ParseJson(ok).has_value());
    const std::string deep = std::string(10000, '[') + std::string(10000, ']');
    EXPECT_FALSE(ParseJson(deep).has_value());
    EXPECT_TRUE(IsJsonDocument(ok));
    EXPECT_FALSE(IsJsonDocument(deep));
}

}  // namespace
}  // namespace gc::core
