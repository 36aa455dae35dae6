// Runs the `connector` binary under test: a server process with its own temp data dir and logs
// (ConnectorProcess), and one-shot CLI subcommands with captured output (RunCommand).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace gc::test {

using EnvMap = std::map<std::string, std::string>;

struct ConnectorOptions {
    std::string binary;                      // path to `connector` (tests pass GC_CONNECTOR_BIN)
    std::vector<std::string> args{"serve"};  // argv after the binary
    EnvMap env;                              // set last: overrides the defaults below
    std::string data_dir;                    // empty: <work dir>/data, created fresh
    bool keep_work_dir = false;              // keep the temp dir (data, logs) after destruction
    bool print_logs_on_failure = true;       // dump the logs to stderr if the current test failed
    std::chrono::milliseconds start_timeout{15000};  // wait this long for the port file
};

// A started server. The child gets the parent's environment minus every CONNECTOR_* variable,
// then CONNECTOR_LISTEN=127.0.0.1:0, CONNECTOR_DATA_DIR, CONNECTOR_PORT_FILE, then options.env.
// It runs in its own temp dir (mkdtemp /tmp/gc-connector.XXXXXX, so no stray .env is read),
// stdin from /dev/null, stdout and stderr to files there. Not thread-safe; not copyable.
class ConnectorProcess {
  public:
    // Starts the process and waits until it has written its port file. Throws std::runtime_error,
    // with the process's logs in what(), when it exits first or the timeout passes (the process
    // is then killed).
    explicit ConnectorProcess(ConnectorOptions options);
    // Stops the process (as Stop()) and removes the temp dir unless keep_work_dir.
    ~ConnectorProcess();
    ConnectorProcess(const ConnectorProcess&) = delete;
    ConnectorProcess& operator=(const ConnectorProcess&) = delete;

    int Port() const { return port_; }
    // "http://127.0.0.1:<port>".
    std::string BaseUrl() const;
    pid_t Pid() const { return pid_; }
    const std::string& WorkDir() const { return work_dir_; }
    const std::string& DataDir() const { return data_dir_; }

    // True while the process has not been reaped.
    bool Running();
    // Sends SIGTERM, waits up to timeout, then SIGKILLs. Returns the exit code, or 128 + signal
    // number if a signal ended it. Calling it again returns the same status.
    int Stop(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
    // SIGKILL now and reap; returns as Stop() (137 unless it had already exited).
    int Kill9();

    // stderr then stdout, as written so far.
    std::string Logs() const;
    // Polls Stderr() until predicate(stderr text) holds; false after timeout. A server logs a
    // request after answering it, so read logs through this, not right after a response.
    bool WaitForStderr(const std::function<bool(const std::string&)>& predicate,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) const;
    std::string Stderr() const;
    std::string Stdout() const;

  private:
    bool Reap(bool block);
    void Cleanup();

    ConnectorOptions options_;
    std::string work_dir_;
    std::string data_dir_;
    std::string port_file_;
    pid_t pid_ = -1;
    int port_ = 0;
    int status_ = -1;  // decoded exit status once reaped
};

struct CommandResult {
    int exit_code = -1;  // exit code, or 128 + signal number
    bool timed_out = false;
    std::string stdout_text;
    std::string stderr_text;
};

// Runs bin with args, env (applied over the parent's environment minus CONNECTOR_* variables)
// and stdin_text, in a fresh temp working dir unless cwd is given. After timeout the process is
// SIGKILLed and timed_out is set. Throws std::runtime_error only if the process cannot start.
CommandResult RunCommand(const std::string& bin, const std::vector<std::string>& args,
                         const EnvMap& env = {}, const std::string& stdin_text = {},
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(30000),
                         const std::string& cwd = {});

// Makes a fresh directory /tmp/<prefix>.XXXXXX and returns its path; throws on failure.
std::string MakeTempDir(const std::string& prefix);
// rm -rf path (no error if absent).
void RemoveTree(const std::string& path);
// The whole file, or "" if it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace gc::test
