// A stand-in for `connector serve` used by support_test to check ConnectorProcess: listens on
// CONNECTOR_LISTEN's port, writes CONNECTOR_PORT_FILE, answers GET /env/NAME and GET /cwd,
// exits 0 on SIGTERM. FAKE_CONNECTOR_MODE=exit|hang|ignore-term selects failure behaviours.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnTerm(int) { g_stop = 1; }

std::string Env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
}

std::string Answer(const std::string& request) {
    auto line_end = request.find("\r\n");
    std::string line = request.substr(0, line_end);
    auto sp1 = line.find(' ');
    auto sp2 = line.find(' ', sp1 + 1);
    std::string path = sp1 == std::string::npos ? "" : line.substr(sp1 + 1, sp2 - sp1 - 1);
    int status = 200;
    std::string body = "ok";
    if (path.rfind("/env/", 0) == 0) {
        const char* v = std::getenv(path.substr(5).c_str());
        if (v == nullptr) {
            status = 404;
            body = "unset";
        } else {
            body = v;
        }
    } else if (path == "/cwd") {
        char buf[4096];
        body = getcwd(buf, sizeof buf) != nullptr ? buf : "?";
    }
    return "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Not Found") +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           body;
}

}  // namespace

int main() {
    std::string mode = Env("FAKE_CONNECTOR_MODE");
    std::fprintf(stderr, "{\"msg\":\"fake connector starting\",\"mode\":\"%s\"}\n", mode.c_str());
    if (mode == "exit") {
        std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"CONNECTOR_LISTEN is invalid\"}\n");
        return 3;
    }
    if (mode == "hang") {
        for (;;) {
            pause();
        }
    }
    struct sigaction sa {};
    sa.sa_handler = mode == "ignore-term" ? SIG_IGN : OnTerm;
    sigaction(SIGTERM, &sa, nullptr);

    std::string address = Env("CONNECTOR_LISTEN");
    int port = std::atoi(address.substr(address.rfind(':') + 1).c_str());
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
        std::perror("bind");
        return 1;
    }
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    int bound = ntohs(addr.sin_port);
    if (FILE* f = std::fopen(Env("CONNECTOR_PORT_FILE").c_str(), "w")) {
        std::fprintf(f, "%d\n", bound);
        std::fclose(f);
    }
    std::fprintf(stderr, "{\"msg\":\"listening\",\"port\":%d}\n", bound);
    std::printf("stdout line\n");
    std::fflush(stdout);

    while (g_stop == 0) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) {
            continue;
        }
        int client = accept(fd, nullptr, nullptr);
        if (client < 0) {
            continue;
        }
        std::string request;
        char buf[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
            ssize_t n = read(client, buf, sizeof buf);
            if (n <= 0) {
                break;
            }
            request.append(buf, static_cast<std::size_t>(n));
        }
        std::string response = Answer(request);
        send(client, response.data(), response.size(), MSG_NOSIGNAL);
        close(client);
    }
    std::fprintf(stderr, "{\"msg\":\"stopped\"}\n");
    close(fd);
    return 0;
}
