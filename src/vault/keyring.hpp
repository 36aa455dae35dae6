// The keyring read from CONNECTOR_ENCRYPTION_KEYS: named Fernet keys, the first of which
// encrypts while all of them decrypt, so a key can be rotated without downtime.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "vault/fernet.hpp"

namespace gc::vault {

// The environment variable the keyring comes from; error messages name it.
inline constexpr std::string_view kEncryptionKeysVariable = "CONNECTOR_ENCRYPTION_KEYS";

// The id a key gets when it is written bare, without "id:".
inline constexpr std::string_view kDefaultKeyId = "default";

// Longest key id accepted; ids are 1..kMaxKeyIdLength of [A-Za-z0-9_-].
inline constexpr std::size_t kMaxKeyIdLength = 32;

struct KeyringEntry {
    std::string id;
    FernetKey key;
};

// A non-empty ordered list of keys with unique ids. Immutable once built; safe to share between
// threads. Prints as its ids only.
class Keyring {
  public:
    // Reads "id:key,id:key,..." (first entry is the primary). An entry without "id:" is a bare
    // key whose id is kDefaultKeyId, so a single bare key is a valid keyring and rotating from
    // it is "new:KEY2,KEY1" (or "new:KEY2,default:KEY1"). Spaces around entries, ids and keys
    // are ignored. Fails with kValidation whose message names CONNECTOR_ENCRYPTION_KEYS and
    // says what is wrong (empty, entry N empty, bad id, not 32 bytes of url-safe base64,
    // duplicate id), pointing at entries by position: it never contains any part of the input.
    static core::Result<Keyring> Parse(std::string_view text);

    // A keyring of one new random key with id kDefaultKeyId.
    static Keyring Generate();

    // The key that encrypts: the first entry.
    const KeyringEntry& Primary() const { return entries_.front(); }
    // The key with this id, or nullptr if none. The pointer lives as long as the keyring.
    const FernetKey* Find(std::string_view id) const;
    // Every id, primary first.
    std::vector<std::string> Ids() const;
    // All entries, primary first.
    const std::vector<KeyringEntry>& Entries() const { return entries_; }

    // "id:key,id:key" in order; Parse reads it back to an equal keyring. Contains the keys: write
    // it only to a 0600 key file.
    std::string Serialize() const;

    friend std::ostream& operator<<(std::ostream& os, const Keyring& k);

  private:
    explicit Keyring(std::vector<KeyringEntry> entries) : entries_(std::move(entries)) {}

    std::vector<KeyringEntry> entries_;
};

}  // namespace gc::vault
