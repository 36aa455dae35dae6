#include "core/json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

namespace gc::core {

Result<boost::json::value> ParseJson(std::string_view text) {
    boost::json::parse_options opts;
    opts.max_depth = kMaxJsonDepth;
    opts.allow_comments = false;
    opts.allow_trailing_commas = false;
    opts.allow_invalid_utf8 = false;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec, {}, opts);
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
