#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gc::http {
namespace {

std::string ContentType(const std::string& ext) {
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    if (ext == ".yaml" || ext == ".yml") return "application/yaml";
    return "application/octet-stream";
}

bool ReadFile(const std::filesystem::path& p, std::string& out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

}  // namespace

Response StaticFiles::Serve(const Request& req) const {
    namespace fs = std::filesystem;
    const fs::path root(root_);
    // Normalise and refuse anything that climbs out of root.
    fs::path rel = fs::path(req.path).relative_path().lexically_normal();
    const std::string rel_text = rel.string();
    if (rel_text.starts_with("..") || rel_text.find('\0') != std::string::npos) {
        return Response::FromError(core::Error::NotFound("file"));
    }
    Response r;
    std::error_code ec;
    const fs::path candidate = root / rel;
    if (!rel.empty() && fs::is_regular_file(candidate, ec)) {
        if (!ReadFile(candidate, r.body)) {
            return Response::FromError(core::Error::NotFound("file"));
        }
        r.content_type = ContentType(candidate.extension().string());
        r.headers.emplace_back("Cache-Control", rel_text.starts_with("assets/")
                                                    ? "public, max-age=31536000, immutable"
                                                    : "no-cache");
        return r;
    }
    if (rel.has_extension()) {
        return Response::FromError(core::Error::NotFound("file"));
    }
    if (!ReadFile(root / "index.html", r.body)) {
        return Response::Json(
            200, boost::json::object{{"service", "global-connector"},
                                     {"note", "the web UI is not built; run `make build`"}});
    }
    r.content_type = "text/html; charset=utf-8";
    r.headers.emplace_back("Cache-Control", "no-cache");
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self' "
                           "'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    return r;
}

}  // namespace gc::http
