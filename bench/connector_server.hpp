// Starts `connector serve` as a child process for the benchmark: its own temp directory (data,
// logs, port file), listening on 127.0.0.1 at a free port, stopped on destruction.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>

namespace gc::bench {

// A running server. The child gets the parent's environment minus every CONNECTOR_* variable,
// then CONNECTOR_LISTEN=127.0.0.1:0, CONNECTOR_DATA_DIR=<work dir>/data and CONNECTOR_PORT_FILE,
// then `env` (which wins). It runs in the work dir (so no stray .env is read), stdin from
// /dev/null, stdout and stderr to files there. Not thread-safe; not copyable.
class ConnectorServer {
  public:
    // Starts binary and waits until it has written its port file. Throws std::runtime_error,
    // with the tail of its stderr, when it exits first or 15 s pass (it is then killed).
    ConnectorServer(const std::string& binary, const std::map<std::string, std::string>& env);
    // Stop(), then removes the work dir unless KeepWorkDir() was called.
    ~ConnectorServer();
    ConnectorServer(const ConnectorServer&) = delete;
    ConnectorServer& operator=(const ConnectorServer&) = delete;

    int Port() const { return port_; }
    // "http://127.0.0.1:<port>".
    std::string BaseUrl() const;
    pid_t Pid() const { return pid_; }
    const std::string& WorkDir() const { return work_dir_; }
    void KeepWorkDir() { keep_ = true; }

    // SIGTERM, wait up to timeout, then SIGKILL. Returns the exit code, or 128 + the signal
    // number. Idempotent.
    int Stop(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
    // CPU time (user + system) the server has used so far, in seconds; 0 once it has stopped.
    double CpuSeconds() const;
    // The last max_bytes of the server's stderr.
    std::string StderrTail(std::size_t max_bytes = 4000) const;

  private:
    void RemoveWorkDir();

    std::string work_dir_;
    pid_t pid_ = -1;
    int port_ = 0;
    int status_ = -1;
    bool keep_ = false;
};

}  // namespace gc::bench
