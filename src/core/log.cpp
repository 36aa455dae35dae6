#include "core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"

namespace gc::core {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};

spdlog::logger& Logger() {
    // stderr, the line as given: the JSON object is built here, so every value is escaped.
    static std::shared_ptr<spdlog::logger> logger = [] {
        auto l = std::make_shared<spdlog::logger>(
            "connector", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        l->set_pattern("%v");
        l->set_level(spdlog::level::trace);
        l->flush_on(spdlog::level::trace);
        return l;
    }();
    return *logger;
}

const char* LevelName(LogLevel level) {
    switch (level) {
        case LogLevel::kDebug:
            return "debug";
        case LogLevel::kInfo:
            return "info";
        case LogLevel::kWarn:
            return "warn";
        case LogLevel::kError:
            return "error";
    }
    return "info";
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }

bool LogEnabled(LogLevel level) { return level >= g_level.load(); }

void Log(LogLevel level, std::string_view message, const boost::json::object& fields) {
    if (!LogEnabled(level)) {
        return;
    }
    boost::json::object line{{"ts", FormatTimestamp(std::chrono::system_clock::now())},
                             {"level", LevelName(level)},
                             {"msg", message}};
    for (const auto& [k, v] : fields) {
        line[k] = v;
    }
    Logger().info(boost::json::serialize(line));
}

}  // namespace gc::core
