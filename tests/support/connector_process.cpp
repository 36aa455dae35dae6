// ConnectorProcess and RunCommand (see connector_process.hpp): posix_spawn, log files, port file.
#include "support/connector_process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace gc::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// The parent's environment without CONNECTOR_* (a developer's shell must not leak into tests),
// then overrides, as KEY=VALUE strings.
std::vector<std::string> BuildEnv(const EnvMap& overrides) {
    EnvMap merged;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq == std::string::npos || entry.rfind("CONNECTOR_", 0) == 0) {
            continue;
        }
        merged[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto& [key, value] : overrides) {
        merged[key] = value;
    }
    std::vector<std::string> out;
    out.reserve(merged.size());
    for (const auto& [key, value] : merged) {
        std::string entry = key;
        entry += '=';
        entry += value;
        out.push_back(std::move(entry));
    }
    return out;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

// The child starts in another directory, so a relative binary path is made absolute first.
std::string ResolveBinary(const std::string& bin) {
    if (bin.find('/') == std::string::npos || bin.front() == '/') {
        return bin;
    }
    return std::filesystem::absolute(bin).string();
}

// Owns posix_spawn's attribute and file-action objects.
class SpawnSetup {
  public:
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions_);
        posix_spawnattr_init(&attr_);
        sigset_t none;
        sigemptyset(&none);
        sigset_t defaults;
        sigemptyset(&defaults);
        for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) {
            sigaddset(&defaults, sig);
        }
        posix_spawnattr_setsigmask(&attr_, &none);
        posix_spawnattr_setsigdefault(&attr_, &defaults);
        posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions_);
        posix_spawnattr_destroy(&attr_);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;

    posix_spawn_file_actions_t* actions() { return &actions_; }

    // Starts bin; fds 3 and up are closed in the child. Throws when the spawn fails.
    pid_t Spawn(const std::string& bin, const std::vector<std::string>& args,
                const std::vector<std::string>& env, const std::string& cwd) {
        posix_spawn_file_actions_addchdir_np(&actions_, cwd.c_str());
        posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
        std::string path = ResolveBinary(bin);
        std::vector<std::string> argv_strings{path};
        argv_strings.insert(argv_strings.end(), args.begin(), args.end());
        std::vector<std::string> env_strings = env;
        auto argv = CStrings(argv_strings);
        auto envp = CStrings(env_strings);
        pid_t pid = -1;
        int rc = posix_spawnp(&pid, path.c_str(), &actions_, &attr_, argv.data(), envp.data());
        if (rc != 0) {
            throw std::runtime_error("cannot start " + path + ": " + std::strerror(rc));
        }
        return pid;
    }

  private:
    posix_spawn_file_actions_t actions_;
    posix_spawnattr_t attr_;
};

int DecodeStatus(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

// waitpid that retries on EINTR; returns the decoded status, or -2 while still running.
int WaitChild(pid_t pid, bool block) {
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, block ? 0 : WNOHANG);
        if (r == pid) {
            return DecodeStatus(status);
        }
        if (r == 0) {
            return -2;
        }
        if (errno != EINTR) {
            return -1;
        }
    }
}

}  // namespace

std::string MakeTempDir(const std::string& prefix) {
    std::string pattern = "/tmp/" + prefix + ".XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error(Errno("mkdtemp " + pattern));
    }
    return pattern;
}

void RemoveTree(const std::string& path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

ConnectorProcess::ConnectorProcess(ConnectorOptions options) : options_(std::move(options)) {
    work_dir_ = MakeTempDir("gc-connector");
    data_dir_ = options_.data_dir;
    if (data_dir_.empty()) {
        data_dir_ = work_dir_ + "/data";
        std::filesystem::create_directory(data_dir_);
    }
    port_file_ = work_dir_ + "/port";
    EnvMap env{{"CONNECTOR_LISTEN", "127.0.0.1:0"},
               {"CONNECTOR_DATA_DIR", data_dir_},
               {"CONNECTOR_PORT_FILE", port_file_}};
    for (const auto& [key, value] : options_.env) {
        env[key] = value;
    }

    try {
        SpawnSetup setup;
        std::string out_path = work_dir_ + "/stdout.log";
        std::string err_path = work_dir_ + "/stderr.log";
        posix_spawn_file_actions_addopen(setup.actions(), 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(setup.actions(), 1, out_path.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(setup.actions(), 2, err_path.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0644);
        pid_ = setup.Spawn(options_.binary, options_.args, BuildEnv(env), work_dir_);
    } catch (const std::exception&) {
        Cleanup();
        throw;
    }

    auto deadline = Clock::now() + options_.start_timeout;
    for (;;) {
        std::string text = ReadFile(port_file_);
        if (!text.empty() && text.back() == '\n') {
            try {
                port_ = std::stoi(text);
            } catch (const std::exception&) {
                port_ = 0;
            }
            if (port_ > 0 && port_ < 65536) {
                return;
            }
            std::string logs = Logs();
            Kill9();
            Cleanup();
            throw std::runtime_error("connector wrote a bad port file '" + text + "'; logs:\n" +
                                     logs);
        }
        if (Reap(false)) {
            std::string logs = Logs();
            int status = status_;
            Cleanup();
            throw std::runtime_error("connector exited with status " + std::to_string(status) +
                                     " before listening; logs:\n" + logs);
        }
        if (Clock::now() >= deadline) {
            Kill9();
            std::string logs = Logs();
            Cleanup();
            throw std::runtime_error("connector did not write its port file within " +
                                     std::to_string(options_.start_timeout.count()) +
                                     " ms (killed); logs:\n" + logs);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

ConnectorProcess::~ConnectorProcess() {
    Stop();
    if (options_.print_logs_on_failure && ::testing::Test::HasFailure()) {
        std::cerr << "---- connector logs (" << work_dir_ << ", status " << status_ << ") ----\n"
                  << Logs() << "---- end of connector logs ----\n";
    }
    Cleanup();
}

void ConnectorProcess::Cleanup() {
    if (!options_.keep_work_dir && !work_dir_.empty()) {
        RemoveTree(work_dir_);
    }
}

std::string ConnectorProcess::BaseUrl() const {
    return "http://127.0.0.1:" + std::to_string(port_);
}

bool ConnectorProcess::Reap(bool block) {
    if (pid_ <= 0) {
        return true;
    }
    int status = WaitChild(pid_, block);
    if (status == -2) {
        return false;
    }
    status_ = status;
    pid_ = -1;
    return true;
}

bool ConnectorProcess::Running() { return !Reap(false); }

int ConnectorProcess::Stop(std::chrono::milliseconds timeout) {
    if (Reap(false)) {
        return status_;
    }
    kill(pid_, SIGTERM);
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (Reap(false)) {
            return status_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return Kill9();
}

int ConnectorProcess::Kill9() {
    if (Reap(false)) {
        return status_;
    }
    kill(pid_, SIGKILL);
    Reap(true);
    return status_;
}

std::string ConnectorProcess::Stderr() const { return ReadFile(work_dir_ + "/stderr.log"); }

std::string ConnectorProcess::Stdout() const { return ReadFile(work_dir_ + "/stdout.log"); }

std::string ConnectorProcess::Logs() const {
    std::string out = Stderr();
    std::string so = Stdout();
    if (!so.empty()) {
        out += "---- stdout ----\n" + so;
    }
    return out;
}

bool ConnectorProcess::WaitForStderr(const std::function<bool(const std::string&)>& predicate,
                                     std::chrono::milliseconds timeout) const {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        if (predicate(Stderr())) {
            return true;
        }
        if (Clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

CommandResult RunCommand(const std::string& bin, const std::vector<std::string>& args,
                         const EnvMap& env, const std::string& stdin_text,
                         std::chrono::milliseconds timeout, const std::string& cwd) {
    // stdin is a socket so that writing after the child closed it fails with EPIPE, not SIGPIPE.
    int in_fds[2];
    int out_fds[2];
    int err_fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_fds) != 0) {
        throw std::runtime_error(Errno("socketpair"));
    }
    if (pipe2(out_fds, O_CLOEXEC) != 0 || pipe2(err_fds, O_CLOEXEC) != 0) {
        throw std::runtime_error(Errno("pipe2"));
    }
    std::string dir = cwd.empty() ? MakeTempDir("gc-cmd") : cwd;

    pid_t pid = -1;
    try {
        SpawnSetup setup;
        posix_spawn_file_actions_adddup2(setup.actions(), in_fds[1], 0);
        posix_spawn_file_actions_adddup2(setup.actions(), out_fds[1], 1);
        posix_spawn_file_actions_adddup2(setup.actions(), err_fds[1], 2);
        pid = setup.Spawn(bin, args, BuildEnv(env), dir);
    } catch (const std::exception&) {
        for (int fd : {in_fds[0], in_fds[1], out_fds[0], out_fds[1], err_fds[0], err_fds[1]}) {
            close(fd);
        }
        if (cwd.empty()) {
            RemoveTree(dir);
        }
        throw;
    }
    close(in_fds[1]);
    close(out_fds[1]);
    close(err_fds[1]);
    int to_child = in_fds[0];
    fcntl(to_child, F_SETFL, fcntl(to_child, F_GETFL) | O_NONBLOCK);

    CommandResult result;
    std::size_t written = 0;
    if (stdin_text.empty()) {
        close(to_child);
        to_child = -1;
    }
    int out_fd = out_fds[0];
    int err_fd = err_fds[0];
    auto deadline = Clock::now() + timeout;
    while (out_fd >= 0 || err_fd >= 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {to_child, POLLOUT, 0}};
        int n = poll(fds, 3, static_cast<int>(left.count()));
        if (n < 0 && errno != EINTR) {
            break;
        }
        char buf[8192];
        for (int i = 0; i < 2; ++i) {
            int& fd = i == 0 ? out_fd : err_fd;
            std::string& sink = i == 0 ? result.stdout_text : result.stderr_text;
            if (fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                ssize_t got = read(fd, buf, sizeof buf);
                if (got > 0) {
                    sink.append(buf, static_cast<std::size_t>(got));
                } else if (got == 0 || errno != EINTR) {
                    close(fd);
                    fd = -1;
                }
            }
        }
        if (to_child >= 0 && (fds[2].revents & (POLLOUT | POLLHUP | POLLERR)) != 0) {
            ssize_t sent = send(to_child, stdin_text.data() + written, stdin_text.size() - written,
                                MSG_NOSIGNAL);
            if (sent > 0) {
                written += static_cast<std::size_t>(sent);
            }
            if ((sent < 0 && errno != EAGAIN && errno != EINTR) || written == stdin_text.size()) {
                close(to_child);
                to_child = -1;
            }
        }
    }
    for (int fd : {out_fd, err_fd, to_child}) {
        if (fd >= 0) {
            close(fd);
        }
    }
    int status = -2;
    while (!result.timed_out && (status = WaitChild(pid, false)) == -2) {
        if (Clock::now() >= deadline) {
            result.timed_out = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (result.timed_out) {
        kill(pid, SIGKILL);
        status = WaitChild(pid, true);
    }
    result.exit_code = status;
    if (cwd.empty()) {
        RemoveTree(dir);
    }
    return result;
}

}  // namespace gc::test
