// Parsing and serialising CONNECTOR_ENCRYPTION_KEYS without ever echoing key material.
#include "vault/keyring.hpp"

#include <string>
#include <utility>

namespace gc::vault {
namespace {

std::string_view Trim(std::string_view s) {
    const auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    };
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

bool IsValidId(std::string_view id) {
    if (id.empty() || id.size() > kMaxKeyIdLength) {
        return false;
    }
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

core::Error KeysError(std::string what) {
    return core::Error::Make(core::ErrorCode::kValidation,
                             std::string(kEncryptionKeysVariable) + ": " + what);
}

}  // namespace

core::Result<Keyring> Keyring::Parse(std::string_view text) {
    text = Trim(text);
    if (text.empty()) {
        return KeysError(
            "is empty; expected a key or a list \"id:key,id:key\" (generate one with `connector "
            "keygen`)");
    }
    std::vector<KeyringEntry> entries;
    std::vector<std::size_t> positions;
    std::size_t position = 0;
    while (true) {
        ++position;
        const std::size_t comma = text.find(',');
        const std::string_view entry = Trim(text.substr(0, comma));
        const std::string where = "entry " + std::to_string(position);
        if (entry.empty()) {
            return KeysError(where + " is empty");
        }
        std::string_view id = kDefaultKeyId;
        std::string_view key_text = entry;
        if (const std::size_t colon = entry.find(':'); colon != std::string_view::npos) {
            id = Trim(entry.substr(0, colon));
            key_text = Trim(entry.substr(colon + 1));
            if (!IsValidId(id)) {
                return KeysError(where + " has an invalid key id; an id is 1 to " +
                                 std::to_string(kMaxKeyIdLength) +
                                 " characters of A-Z, a-z, 0-9, '_' and '-'");
            }
        }
        core::Result<FernetKey> key = FernetKey::Parse(key_text);
        if (!key) {
            return KeysError(where +
                             " is not a valid key: a key is exactly 32 bytes encoded as url-safe "
                             "base64 (44 characters)");
        }
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].id == id) {
                return KeysError(where + " repeats the key id of entry " +
                                 std::to_string(positions[i]));
            }
        }
        entries.push_back(KeyringEntry{std::string(id), std::move(*key)});
        positions.push_back(position);
        if (comma == std::string_view::npos) {
            break;
        }
        text.remove_prefix(comma + 1);
    }
    return Keyring(std::move(entries));
}

Keyring Keyring::Generate() {
    std::vector<KeyringEntry> entries;
    entries.push_back(KeyringEntry{std::string(kDefaultKeyId), FernetKey::Generate()});
    return Keyring(std::move(entries));
}

const FernetKey* Keyring::Find(std::string_view id) const {
    for (const KeyringEntry& e : entries_) {
        if (e.id == id) {
            return &e.key;
        }
    }
    return nullptr;
}

std::vector<std::string> Keyring::Ids() const {
    std::vector<std::string> ids;
    ids.reserve(entries_.size());
    for (const KeyringEntry& e : entries_) {
        ids.push_back(e.id);
    }
    return ids;
}

std::string Keyring::Serialize() const {
    std::string out;
    for (const KeyringEntry& e : entries_) {
        if (!out.empty()) {
            out += ',';
        }
        out += e.id;
        out += ':';
        out += e.key.ToBase64();
    }
    return out;
}

std::ostream& operator<<(std::ostream& os, const Keyring& k) {
    os << "Keyring{";
    for (std::size_t i = 0; i < k.entries_.size(); ++i) {
        os << (i == 0 ? "" : ", ") << k.entries_[i].id;
    }
    return os << "}";
}

}  // namespace gc::vault
