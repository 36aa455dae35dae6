// Key selection at start-up: the environment's keyring, or the key file (made once, 0600), and a
// refusal to run with keys that open none of the stored credentials.
#include "vault/key_setup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/log.hpp"
#include "store/credential_repository.hpp"
#include "vault/sealed_secret.hpp"

namespace gc::vault {
namespace {

using core::Error;
using core::ErrorCode;

// Rows tried per key id: one unreadable row must not condemn a key that opens the others.
constexpr int kSamplesPerKey = 3;

Error Refuse(std::string message) {
    return Error::Make(ErrorCode::kValidation, std::move(message) + " Nothing was changed.");
}

core::Result<std::int64_t> CountStored(store::Database& db) {
    std::int64_t total = 0;
    auto r = db.Transact({.read_only = true}, [&](store::Tx& tx) {
        if (!store::CredentialTableExists(tx)) {
            return;
        }
        store::BeginVaultMaintenance(tx);
        for (const auto& kc : store::CountCredentialsByKey(tx)) {
            total += kc.count;
        }
    });
    if (!r) {
        return r.error();
    }
    return total;
}

std::string Describe(const std::vector<KeyUsage>& usage) {
    std::string out;
    for (const auto& u : usage) {
        out += (out.empty() ? "" : ", ") + u.key_id + " (" + std::to_string(u.credentials) + ")";
    }
    return out;
}

std::string JoinIds(const Keyring& keyring) {
    std::string out;
    for (const auto& id : keyring.Ids()) {
        out += (out.empty() ? "" : ", ") + id;
    }
    return out;
}

// Reads an existing key file; nullopt (and no error) when it does not exist.
core::Result<std::optional<Keyring>> ReadKeyFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            return std::optional<Keyring>();
        }
        return Error::Make(ErrorCode::kValidation,
                           "cannot read the key file " + path + ": " + std::strerror(errno));
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
        return Error::Make(ErrorCode::kValidation, "cannot read the key file " + path);
    }
    auto keyring = Keyring::Parse(text.str());
    if (!keyring) {
        return Error::Make(ErrorCode::kValidation,
                           "the key file " + path +
                               " does not hold a valid keyring (id:key entries, each key 32 bytes "
                               "of url-safe base64)");
    }
    if ((st.st_mode & 077) != 0) {
        core::LogWarn("the encryption key file can be read by other users: chmod 600 it",
                      {{"path", path}});
    }
    return std::optional<Keyring>(std::move(*keyring));
}

// Creates the key file with mode 0600 from its first byte. If another process created it first,
// reads that one instead. Returns the keyring and whether this call created the file.
core::Result<std::pair<Keyring, bool>> CreateKeyFile(const std::string& data_dir,
                                                     const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(data_dir, ec)) {
        std::filesystem::create_directories(data_dir, ec);
        std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, ec);
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            auto existing = ReadKeyFile(path);
            if (!existing) {
                return existing.error();
            }
            if (*existing) {
                return std::make_pair(std::move(**existing), false);
            }
        }
        return Error::Make(ErrorCode::kValidation,
                           "cannot create the key file " + path + ": " + std::strerror(errno));
    }
    Keyring keyring = Keyring::Generate();
    const std::string content = keyring.Serialize() + "\n";
    bool ok = ::fchmod(fd, 0600) == 0;
    std::size_t written = 0;
    while (ok && written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        written += ok ? std::size_t(n) : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    const int saved_errno = errno;
    ::close(fd);
    if (!ok) {
        ::unlink(path.c_str());
        return Error::Make(ErrorCode::kValidation,
                           "cannot write the key file " + path + ": " + std::strerror(saved_errno));
    }
    return std::make_pair(std::move(keyring), true);
}

}  // namespace

std::string KeyFilePath(const std::string& data_dir) {
    return (std::filesystem::path(data_dir) / kKeyFileName).string();
}

core::Result<std::vector<KeyUsage>> InspectStoredKeys(store::Database& maintenance_db,
                                                      const Keyring& keyring) {
    std::vector<KeyUsage> usage;
    auto r = maintenance_db.Transact({.read_only = true}, [&](store::Tx& tx) {
        if (!store::CredentialTableExists(tx)) {
            return;
        }
        store::BeginVaultMaintenance(tx);
        for (const auto& kc : store::CountCredentialsByKey(tx)) {
            KeyUsage u{kc.key_id, kc.count, false};
            for (const auto& row : store::SampleCredentialsForKey(tx, kc.key_id, kSamplesPerKey)) {
                const OpenResult opened =
                    Open(keyring, SealedSecret{row.key_id, row.encrypted_value}, row.workspace_id,
                         row.id);
                // Sealed for another row still means the key decrypted it.
                if (opened || opened.error() == OpenFailure::kWrongRow) {
                    u.opens = true;
                    break;
                }
            }
            usage.push_back(std::move(u));
        }
    });
    if (!r) {
        return r.error();
    }
    return usage;
}

core::Result<KeySetup> SetUpKeyring(const KeySetupSettings& settings,
                                    store::Database& maintenance_db) {
    std::optional<Keyring> keyring;
    std::string source;
    bool created = false;
    if (!settings.encryption_keys.empty()) {
        auto parsed = Keyring::Parse(settings.encryption_keys);
        if (!parsed) {
            return parsed.error();  // its message names the variable
        }
        keyring = std::move(*parsed);
        source = std::string(kEncryptionKeysVariable);
    } else {
        const std::string path = KeyFilePath(settings.data_dir);
        auto from_file = ReadKeyFile(path);
        if (!from_file) {
            return from_file.error();
        }
        if (!*from_file) {
            auto stored = CountStored(maintenance_db);
            if (!stored) {
                return stored.error();
            }
            if (*stored > 0) {
                return Refuse(std::to_string(*stored) +
                              " credentials are stored, but CONNECTOR_ENCRYPTION_KEYS is not set "
                              "and the key file " +
                              path +
                              " does not exist. Set CONNECTOR_ENCRYPTION_KEYS to the keyring they "
                              "were written with, or restore the key file.");
            }
            if (!settings.create_key_file) {
                return Error::Make(ErrorCode::kValidation,
                                   "no encryption key is configured: set CONNECTOR_ENCRYPTION_KEYS "
                                   "(or let `connector serve` create " +
                                       path + ")");
            }
            auto made = CreateKeyFile(settings.data_dir, path);
            if (!made) {
                return made.error();
            }
            from_file = std::optional<Keyring>(std::move(made->first));
            created = made->second;
            if (created) {
                core::LogInfo(
                    "created a new encryption key file; back it up: the stored credentials cannot "
                    "be decrypted without it",
                    {{"path", path}});
            }
        }
        keyring = std::move(**from_file);
        source = path;
        if (maintenance_db.backend() == store::Backend::kPostgres) {
            core::LogWarn(
                "CONNECTOR_ENCRYPTION_KEYS is not set: using this node's key file; every node on "
                "the same database must use the same keys, so set CONNECTOR_ENCRYPTION_KEYS",
                {{"path", path}});
        }
    }

    auto usage = InspectStoredKeys(maintenance_db, *keyring);
    if (!usage) {
        return usage.error();
    }
    std::int64_t total = 0;
    std::int64_t opening = 0;
    std::vector<KeyUsage> closed;
    for (const auto& u : *usage) {
        total += u.credentials;
        if (u.opens) {
            opening += u.credentials;
        } else {
            closed.push_back(u);
        }
    }
    if (total > 0 && opening == 0) {
        return Refuse(
            "none of the " + std::to_string(total) +
            " stored credentials can be decrypted with the configured keys (from " + source +
            ": key ids " + JoinIds(*keyring) +
            "). The database holds credentials sealed with key ids " + Describe(*usage) +
            ". Set CONNECTOR_ENCRYPTION_KEYS to a keyring that includes the key they were "
            "written with.");
    }
    if (!closed.empty()) {
        core::LogWarn(
            "some stored credentials cannot be decrypted with the configured keys and show as "
            "unreadable; add their key to CONNECTOR_ENCRYPTION_KEYS or store them again",
            {{"key_ids", Describe(closed)}});
    }
    return KeySetup{std::move(*keyring), std::move(source), created, std::move(*usage)};
}

}  // namespace gc::vault
