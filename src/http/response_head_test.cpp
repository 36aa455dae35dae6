// The hand-written status line and header fields of every answer.
#include "http/response_head.hpp"

#include <gtest/gtest.h>

namespace gc::http {
namespace {

Response Json(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

TEST(ResponseHead, AJsonAnswerHasItsFieldsInOrderAndItsLength) {
    Response r = Json(201, R"({"id":"x"})");
    r.headers = {{"Location", "/api/custom-integrations/x"}, {"Set-Cookie", "a=b; HttpOnly"}};
    EXPECT_EQ(ResponseHead(r, "req-1", Persistence::kKeepAlive),
              "HTTP/1.1 201 Created\r\n"
              "Server: global-connector\r\n"
              "Content-Type: application/json\r\n"
              "X-Request-Id: req-1\r\n"
              "X-Content-Type-Options: nosniff\r\n"
              "Referrer-Policy: no-referrer\r\n"
              "Location: /api/custom-integrations/x\r\n"
              "Set-Cookie: a=b; HttpOnly\r\n"
              "Cache-Control: no-store\r\n"
              "Content-Length: 10\r\n"
              "\r\n");
}

TEST(ResponseHead, ConnectionSaysWhatHappensNext) {
    const Response r = Json(200, "{}");
    EXPECT_EQ(ResponseHead(r, "i", Persistence::kKeepAlive).find("Connection:"), std::string::npos);
    EXPECT_NE(ResponseHead(r, "i", Persistence::kClose).find("\r\nConnection: close\r\n"),
              std::string::npos);
    EXPECT_NE(ResponseHead(r, "i", Persistence::kKeepAliveExplicit)
                  .find("\r\nConnection: keep-alive\r\n"),
              std::string::npos);
}

TEST(ResponseHead, AHandlersCacheControlReplacesTheDefault) {
    Response r = Json(200, "<html>");
    r.content_type = "text/html; charset=utf-8";
    r.headers = {{"cache-control", "no-cache"}};
    const std::string head = ResponseHead(r, "i", Persistence::kKeepAlive);
    EXPECT_NE(head.find("\r\ncache-control: no-cache\r\n"), std::string::npos);
    EXPECT_EQ(head.find("no-store"), std::string::npos);
    EXPECT_NE(head.find("\r\nContent-Type: text/html; charset=utf-8\r\n"), std::string::npos);
}

TEST(ResponseHead, NoContentAndNotModifiedHaveNoLength) {
    Response none = Json(204, "");
    none.content_type.clear();
    const std::string head = ResponseHead(none, "i", Persistence::kKeepAlive);
    EXPECT_TRUE(head.starts_with("HTTP/1.1 204 No Content\r\n")) << head;
    EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
    EXPECT_EQ(head.find("\r\nContent-Type:"), std::string::npos) << head;
    EXPECT_EQ(ResponseHead(Json(304, ""), "i", Persistence::kKeepAlive).find("Content-Length"),
              std::string::npos);
    EXPECT_FALSE(StatusHasBody(204));
    EXPECT_FALSE(StatusHasBody(304));
    EXPECT_FALSE(StatusHasBody(101));
    EXPECT_TRUE(StatusHasBody(200));
    EXPECT_TRUE(StatusHasBody(404));
}

TEST(ResponseHead, AFieldThatWouldSplitTheAnswerIsLeftOut) {
    Response r = Json(302, "");
    r.headers = {{"Location", "/ok"},
                 {"Location", "/evil\r\nSet-Cookie: stolen=1"},
                 {"X-Bad\r\nName", "v"},
                 {"", "v"},
                 {"X-Nul", std::string("a\0b", 3)}};
    const std::string head = ResponseHead(r, "bad\r\nid", Persistence::kKeepAlive);
    EXPECT_TRUE(head.starts_with("HTTP/1.1 302 Found\r\n")) << head;
    EXPECT_NE(head.find("\r\nLocation: /ok\r\n"), std::string::npos);
    EXPECT_EQ(head.find("stolen"), std::string::npos) << head;
    EXPECT_EQ(head.find("X-Bad"), std::string::npos) << head;
    EXPECT_EQ(head.find("X-Nul"), std::string::npos) << head;
    EXPECT_EQ(head.find("X-Request-Id"), std::string::npos) << head;
    // Every line but the last blank one is a field: exactly one CRLF CRLF, at the end.
    EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4);
}

TEST(ResponseHead, AnUnknownStatusStillHasAReason) {
    const std::string head = ResponseHead(Json(299, "x"), "i", Persistence::kKeepAlive);
    EXPECT_TRUE(head.starts_with("HTTP/1.1 299 Status\r\n")) << head;
}

}  // namespace
}  // namespace gc::http
