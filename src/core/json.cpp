#include "core/json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

namespace gc::core {
namespace {

boost::json::parse_options StrictOptions() {
    boost::json::parse_options opts;
    opts.max_depth = kMaxJsonDepth;
    opts.allow_comments = false;
    opts.allow_trailing_commas = false;
    opts.allow_invalid_utf8 = false;
    return opts;
}

// A basic_parser handler that keeps nothing: the parser alone checks the grammar, the UTF-8 and
// the depth.
struct DiscardingHandler {
    using ec = boost::system::error_code;
    using sv = boost::json::string_view;
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);
    bool on_document_begin(ec&) { return true; }
    bool on_document_end(ec&) { return true; }
    bool on_object_begin(ec&) { return true; }
    bool on_object_end(std::size_t, ec&) { return true; }
    bool on_array_begin(ec&) { return true; }
    bool on_array_end(std::size_t, ec&) { return true; }
    bool on_key_part(sv, std::size_t, ec&) { return true; }
    bool on_key(sv, std::size_t, ec&) { return true; }
    bool on_string_part(sv, std::size_t, ec&) { return true; }
    bool on_string(sv, std::size_t, ec&) { return true; }
    bool on_number_part(sv, ec&) { return true; }
    bool on_int64(std::int64_t, sv, ec&) { return true; }
    bool on_uint64(std::uint64_t, sv, ec&) { return true; }
    bool on_double(double, sv, ec&) { return true; }
    bool on_bool(bool, ec&) { return true; }
    bool on_null(ec&) { return true; }
    bool on_comment_part(sv, ec&) { return true; }
    bool on_comment(sv, ec&) { return true; }
};

}  // namespace

bool IsJsonDocument(std::string_view text) {
    boost::json::basic_parser<DiscardingHandler> parser(StrictOptions());
    boost::system::error_code ec;
    const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
    return !ec && parser.done() && used == text.size();
}

Result<boost::json::value> ParseJson(std::string_view text) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec, {}, StrictOptions());
    if (ec) {
        return Error::Make(ErrorCode::kMalformedJson, "request body is not valid JSON",
                           ec.message());
    }
    return v;
}

const boost::json::string* FindString(const boost::json::object& obj, std::string_view key) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->value().is_string()) {
        return nullptr;
    }
    return &it->value().get_string();
}

}  // namespace gc::core
