// Every service of a running server, built once from the database and the configuration, in
// dependency order. The server and the OpenAPI coverage test use the same wiring.
#pragma once

#include <memory>

#include "accounts/account_service.hpp"
#include "api/services.hpp"
#include "app/config.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace gc::app {

// The account settings the configuration asks for.
accounts::AccountSettings AccountSettingsFrom(const Config& config);

class ServiceGraph {
  public:
    // db must outlive the graph. Throws std::runtime_error on a configuration it cannot use
    // (start-up only).
    ServiceGraph(store::Database& db, const Config& config);
    ~ServiceGraph();
    ServiceGraph(const ServiceGraph&) = delete;
    ServiceGraph& operator=(const ServiceGraph&) = delete;

    api::Services& services();
    http::Authenticator& authenticator();

  private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace gc::app
