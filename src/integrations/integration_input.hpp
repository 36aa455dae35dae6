// The custom-integration JSON the API takes and gives (the seed's shape), and its rules.
#pragma once

#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "store/integration_records.hpp"

namespace gc::integrations {

inline constexpr std::size_t kMaxActions = 200;
inline constexpr std::size_t kMaxParameters = 100;

// Checks a create/update body and turns it into a record (id, workspace and timestamps left
// empty). Every problem found is reported at once, each naming its field, e.g.
// "actions[1].http_method". The seed's client sends base_url inside oauth_config: both places
// are accepted. A client secret or an Authorization header in the definition is refused: secrets
// go to the credential vault, never into the integration.
core::Result<store::IntegrationRecord> ParseIntegrationInput(const boost::json::value& body);

// The API's JSON for a stored integration. `credential` is the vault's metadata object or null.
boost::json::object IntegrationToJson(const store::IntegrationRecord& rec,
                                      const boost::json::value& credential = nullptr);

// Names of the {placeholders} in an endpoint template, in order.
std::vector<std::string> EndpointPlaceholders(const std::string& endpoint);

}  // namespace gc::integrations
