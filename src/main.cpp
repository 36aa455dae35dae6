// `connector`: the Global Connector server and its administration commands.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>
#include <string>

#include "app/app.hpp"
#include "app/config.hpp"

namespace {

// The password from standard input: the first line, without its newline. Never an argument,
// so it does not show up in `ps` or the shell history.
std::string ReadPassword() {
    if (isatty(STDIN_FILENO)) {
        std::cerr << "password: " << std::flush;
    }
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{
        "Global Connector: a self-hosted integration hub.\n"
        "Configuration comes from CONNECTOR_* environment variables and ./.env "
        "(see .env.example)."};
    cli.require_subcommand(1);

    auto* serve =
        cli.add_subcommand("serve", "Apply pending migrations and serve the API and web UI");
    auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
    auto* keygen =
        cli.add_subcommand("keygen", "Print a new encryption key for CONNECTOR_ENCRYPTION_KEYS");

    auto* rotate = cli.add_subcommand(
        "rotate-key",
        "Re-encrypt every credential to the first key of CONNECTOR_ENCRYPTION_KEYS, in batches "
        "(safe to interrupt and run again; the server may keep serving)");
    int rotate_batch_size = 100;
    int rotate_pause_ms = 0;
    rotate->add_option("--batch-size", rotate_batch_size, "Credentials per transaction")
        ->check(CLI::Range(1, 10000));
    rotate
        ->add_option("--pause-ms", rotate_pause_ms,
                     "Milliseconds to wait between batches, to spare a busy database")
        ->check(CLI::Range(0, 600000));

    auto* users = cli.add_subcommand("users", "Manage users");
    users->require_subcommand(1);
    auto* users_add =
        users->add_subcommand("add", "Add a user (password read from standard input)");
    std::string email;
    std::string name;
    users_add->add_option("--email", email, "Email address")->required();
    users_add->add_option("--name", name, "Display name");

    auto* tokens = cli.add_subcommand("tokens", "Manage API tokens");
    tokens->require_subcommand(1);
    auto* tokens_create = tokens->add_subcommand("create", "Create an API token and print it once");
    std::string token_email;
    std::string token_name;
    tokens_create->add_option("--email", token_email, "The user's email address")->required();
    tokens_create->add_option("--name", token_name, "A name for the token")->required();

    CLI11_PARSE(cli, argc, argv);

    if (keygen->parsed()) {
        return gc::app::RunKeygen();
    }
    auto config = gc::app::ParseConfig(gc::app::ReadEnvironment());
    if (!config) {
        std::cerr << "connector: configuration error: " << config.error().message << "\n";
        return 2;
    }
    if (serve->parsed()) {
        return gc::app::RunServe(*config);
    }
    if (migrate->parsed()) {
        return gc::app::RunMigrate(*config);
    }
    if (users_add->parsed()) {
        return gc::app::RunUsersAdd(*config, email, name, ReadPassword());
    }
    if (rotate->parsed()) {
        return gc::app::RunRotateKey(*config, rotate_batch_size, rotate_pause_ms);
    }
    if (tokens_create->parsed()) {
        return gc::app::RunTokensCreate(*config, token_email, token_name);
    }
    return 1;
}
