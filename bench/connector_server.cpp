// ConnectorServer (see connector_server.hpp): fork and exec with a built environment, a port file
// to learn the port, SIGTERM then SIGKILL to stop.
#include "connector_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace gc::bench {
namespace {

std::string ReadWhole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Decoded waitpid status: exit code, or 128 + signal.
int Decode(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

}  // namespace

ConnectorServer::ConnectorServer(const std::string& binary,
                                 const std::map<std::string, std::string>& env) {
    char pattern[] = "/tmp/gc-bench.XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    work_dir_ = pattern;
    const std::string data_dir = work_dir_ + "/data";
    const std::string port_file = work_dir_ + "/port";
    std::filesystem::create_directory(data_dir);

    std::map<std::string, std::string> vars;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string kv(*e);
        const auto eq = kv.find('=');
        if (eq == std::string::npos || kv.starts_with("CONNECTOR_")) {
            continue;
        }
        vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    vars["CONNECTOR_LISTEN"] = "127.0.0.1:0";
    vars["CONNECTOR_DATA_DIR"] = data_dir;
    vars["CONNECTOR_PORT_FILE"] = port_file;
    for (const auto& [k, v] : env) {
        vars[k] = v;
    }
    // Built before fork: the child only calls async-signal-safe functions.
    std::vector<std::string> lines;
    for (const auto& [k, v] : vars) {
        lines.push_back(k + "=" + v);
    }
    std::vector<char*> envp;
    for (auto& l : lines) {
        envp.push_back(l.data());
    }
    envp.push_back(nullptr);
    std::string bin = binary;
    std::string serve = "serve";
    std::vector<char*> argv{bin.data(), serve.data(), nullptr};
    const std::string out_path = work_dir_ + "/stdout.log";
    const std::string err_path = work_dir_ + "/stderr.log";

    pid_ = fork();
    if (pid_ < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        const int in = open("/dev/null", O_RDONLY);
        const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0 || chdir(work_dir_.c_str()) != 0) {
            _exit(126);
        }
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execve(bin.c_str(), argv.data(), envp.data());
        _exit(127);
    }

    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < give_up) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            status_ = Decode(status);
            const std::string why = status_ == 127 ? " (cannot execute " + binary + ")" : "";
            const std::string tail = StderrTail();
            RemoveWorkDir();
            throw std::runtime_error("connector exited with " + std::to_string(status_) + why +
                                     " before listening:\n" + tail);
        }
        const std::string text = ReadWhole(port_file);
        if (!text.empty() && text.back() == '\n') {
            port_ = std::atoi(text.c_str());
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::string tail = StderrTail();
    Stop(std::chrono::milliseconds(0));
    RemoveWorkDir();
    throw std::runtime_error("connector did not listen within 15 s:\n" + tail);
}

ConnectorServer::~ConnectorServer() {
    Stop();
    if (!keep_) {
        RemoveWorkDir();
    }
}

void ConnectorServer::RemoveWorkDir() {
    if (!work_dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(work_dir_, ignored);
    }
}

std::string ConnectorServer::BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

int ConnectorServer::Stop(std::chrono::milliseconds timeout) {
    if (pid_ <= 0 || status_ >= 0) {
        return status_;
    }
    kill(pid_, SIGTERM);
    const auto give_up = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    for (;;) {
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            status_ = Decode(status);
            return status_;
        }
        if (std::chrono::steady_clock::now() >= give_up) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    status_ = Decode(status);
    return status_;
}

double ConnectorServer::CpuSeconds() const {
    if (pid_ <= 0 || status_ >= 0) {
        return 0;
    }
    // /proc/<pid>/stat: fields 14 and 15 (utime, stime, in clock ticks) follow the ")" that
    // ends the command name.
    const std::string stat = ReadWhole("/proc/" + std::to_string(pid_) + "/stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
        return 0;
    }
    std::istringstream fields(stat.substr(close + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) {
        fields >> skip;
    }
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    fields >> utime >> stime;
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string ConnectorServer::StderrTail(std::size_t max_bytes) const {
    const std::string text = ReadWhole(work_dir_ + "/stderr.log");
    return text.size() <= max_bytes ? text : text.substr(text.size() - max_bytes);
}

}  // namespace gc::bench
