#include "core/random.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace gc::core {
namespace {

TEST(Uuid, IsVersion4AndUnique) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = NewUuid();
        ASSERT_TRUE(IsUuid(id)) << id;
        EXPECT_EQ(id[14], '4');
        EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

TEST(Uuid, ThreadsNeverRepeatEachOther) {
    // Each thread draws from its own buffer: they must not hand out the same bytes.
    std::vector<std::vector<std::string>> ids(4);
    std::vector<std::thread> threads;
    threads.reserve(ids.size());
    for (auto& mine : ids) {
        threads.emplace_back([&mine] {
            for (int i = 0; i < 2000; ++i) {
                mine.push_back(NewUuid());
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    std::set<std::string> seen;
    for (const auto& mine : ids) {
        seen.insert(mine.begin(), mine.end());
    }
    EXPECT_EQ(seen.size(), 8000u);
}

TEST(Uuid, ForkedChildDoesNotRepeatItsParent) {
    (void)NewUuid();  // the parent's buffer now holds unused bytes
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        const std::string id = NewUuid();
        const auto written = write(fds[1], id.data(), id.size());
        _exit(written == ssize_t(id.size()) ? 0 : 1);
    }
    close(fds[1]);
    char buf[36];
    ASSERT_EQ(read(fds[0], buf, sizeof(buf)), 36);
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_NE(std::string(buf, 36), NewUuid());
}

TEST(Uuid, TimeOrderedIdsAreVersion7AndSortByTime) {
    const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const std::string first = NewTimeOrderedUuid();
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    const std::string second = NewTimeOrderedUuid();
    ASSERT_TRUE(IsUuid(first)) << first;
    EXPECT_EQ(first[14], '7');
    EXPECT_TRUE(first[19] == '8' || first[19] == '9' || first[19] == 'a' || first[19] == 'b');
    EXPECT_LT(first, second);
    // The first 48 bits are the Unix time in milliseconds.
    const long long ms = std::stoll(first.substr(0, 8) + first.substr(9, 4), nullptr, 16);
    EXPECT_GE(ms, before);
    EXPECT_LE(ms, before + 1000);
}

TEST(Uuid, RecognisesOnlyCanonicalForm) {
    EXPECT_TRUE(IsUuid("123e4567-e89b-42d3-a456-426614174000"));
    EXPECT_FALSE(IsUuid("123e4567e89b42d3a456426614174000"));
    EXPECT_FALSE(IsUuid("123e4567-e89b-42d3-a456-42661417400z"));
    EXPECT_FALSE(IsUuid("' OR 1=1 --"));
}

TEST(RandomToken, CarriesRequestedEntropy) {
    EXPECT_EQ(RandomToken(32).size(), 43u);
    EXPECT_NE(RandomToken(), RandomToken());
}

}  // namespace
}  // namespace gc::core
