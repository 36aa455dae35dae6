// Serves the built web UI (web/dist): files by path, index.html for client-side routes.
#pragma once

#include <string>

#include "http/request.hpp"

namespace gc::http {

// A handler for GET/HEAD of non-API paths. Paths that name a file under root are served with
// their content type; hashed assets (/assets/...) are cached for a year, index.html never.
// Paths with a file extension that do not exist answer 404; any other path gets index.html
// (the client-side router). When root has no index.html, answers a small JSON note.
class StaticFiles {
  public:
    explicit StaticFiles(std::string root) : root_(std::move(root)) {}
    Response Serve(const Request& req) const;

  private:
    std::string root_;
};

}  // namespace gc::http
