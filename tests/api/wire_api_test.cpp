// What goes on the wire: status line and fields, keep-alive and close, HEAD, HTTP/1.0 clients.
#include "api_fixture.hpp"

namespace gc::apitest {
namespace {

class WireApi : public ApiTest {};

// The answers in a byte stream, split at each status line.
std::vector<std::string> Answers(const std::string& stream) {
    std::vector<std::string> out;
    std::size_t at = stream.find("HTTP/1.1 ");
    while (at != std::string::npos) {
        const std::size_t next = stream.find("HTTP/1.1 ", at + 1);
        out.push_back(stream.substr(at, next == std::string::npos ? next : next - at));
        at = next;
    }
    return out;
}

TEST_P(WireApi, PipelinedRequestsAreAnsweredInOrderOnOneConnectionUntilClose) {
    const std::string stream =
        test::RawRequest("127.0.0.1", Server().Port(),
                         "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                         "GET /api/nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: second-one\r\n\r\n"
                         "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const auto answers = Answers(stream);
    ASSERT_EQ(answers.size(), 3u) << stream;
    EXPECT_TRUE(answers[0].starts_with("HTTP/1.1 200 OK\r\n")) << answers[0];
    EXPECT_NE(answers[0].find("\r\nContent-Type: application/json\r\n"), std::string::npos);
    EXPECT_NE(answers[0].find("\r\nCache-Control: no-store\r\n"), std::string::npos);
    EXPECT_NE(answers[0].find("\r\nX-Content-Type-Options: nosniff\r\n"), std::string::npos);
    EXPECT_EQ(answers[0].find("Connection:"), std::string::npos) << "HTTP/1.1 keeps it open";
    const std::string body0 = answers[0].substr(answers[0].find("\r\n\r\n") + 4);
    EXPECT_NE(answers[0].find("\r\nContent-Length: " + std::to_string(body0.size()) + "\r\n"),
              std::string::npos)
        << answers[0];
    EXPECT_TRUE(answers[1].starts_with("HTTP/1.1 404 Not Found\r\n")) << answers[1];
    EXPECT_NE(answers[1].find("\r\nX-Request-Id: second-one\r\n"), std::string::npos);
    EXPECT_NE(answers[2].find("\r\nConnection: close\r\n"), std::string::npos) << answers[2];
}

TEST_P(WireApi, HeadSaysTheLengthAndSendsNoBody) {
    const std::string get = test::RawRequest(
        "127.0.0.1", Server().Port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string head = test::RawRequest(
        "127.0.0.1", Server().Port(), "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::size_t get_end = get.find("\r\n\r\n");
    ASSERT_NE(get_end, std::string::npos) << get;
    const std::string page = get.substr(get_end + 4);
    ASSERT_FALSE(page.empty());
    EXPECT_NE(head.find("\r\nContent-Length: " + std::to_string(page.size()) + "\r\n"),
              std::string::npos)
        << head;
    EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4) << "no body after the fields: " << head;
}

TEST_P(WireApi, AnHttp10ClientIsToldItsConnectionIsKept) {
    // The second request is answered on the same connection only if the first kept it open.
    const std::string stream =
        test::RawRequest("127.0.0.1", Server().Port(),
                         "GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                         "GET /health HTTP/1.0\r\n\r\n");
    const auto answers = Answers(stream);
    ASSERT_EQ(answers.size(), 2u) << stream;
    EXPECT_NE(answers[0].find("\r\nConnection: keep-alive\r\n"), std::string::npos) << answers[0];
    EXPECT_NE(answers[1].find("\r\nConnection: close\r\n"), std::string::npos) << answers[1];
}

INSTANTIATE_TEST_SUITE_P(Backends, WireApi, ::testing::Values(Backend::kSqlite), BackendName);

}  // namespace
}  // namespace gc::apitest
