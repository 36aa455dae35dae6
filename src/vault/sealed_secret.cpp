// The row-binding envelope inside the Fernet payload:
//   0x01 | u32 BE len | workspace_id | u32 BE len | credential_id | secret bytes (the rest).
#include "vault/sealed_secret.hpp"

#include <openssl/crypto.h>

#include <cstdint>

#include "vault/fernet.hpp"

namespace gc::vault {
namespace {

constexpr char kEnvelopeVersion = 0x01;

void PutLength(std::string& out, std::size_t n) {
    const auto v = static_cast<uint32_t>(n);
    out += char(v >> 24);
    out += char(v >> 16);
    out += char(v >> 8);
    out += char(v);
}

// Reads a length-prefixed field at pos; false if it runs past the end.
bool GetField(std::string_view in, std::size_t& pos, std::string_view& field) {
    if (in.size() - pos < 4) {
        return false;
    }
    uint32_t n = 0;
    for (int i = 0; i < 4; ++i) {
        n = (n << 8) | uint8_t(in[pos + std::size_t(i)]);
    }
    pos += 4;
    if (in.size() - pos < n) {
        return false;
    }
    field = in.substr(pos, n);
    pos += n;
    return true;
}

// Wipes a string's bytes when the scope ends, on every return path.
class WipeOnExit {
  public:
    explicit WipeOnExit(std::string& s) : s_(s) {}
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;
    ~WipeOnExit() { OPENSSL_cleanse(s_.data(), s_.size()); }

  private:
    std::string& s_;
};

}  // namespace

SealedSecret Seal(const Keyring& keyring, std::string_view workspace_id,
                  std::string_view credential_id, const core::Secret& plaintext) {
    const std::string& secret = plaintext.Reveal();
    std::string envelope;
    WipeOnExit wipe(envelope);
    // Reserve once so no reallocation leaves an unwiped copy behind.
    envelope.reserve(1 + 4 + workspace_id.size() + 4 + credential_id.size() + secret.size());
    envelope += kEnvelopeVersion;
    PutLength(envelope, workspace_id.size());
    envelope += workspace_id;
    PutLength(envelope, credential_id.size());
    envelope += credential_id;
    envelope += secret;

    const KeyringEntry& primary = keyring.Primary();
    return SealedSecret{primary.id, FernetEncrypt(primary.key, envelope)};
}

OpenResult Open(const Keyring& keyring, const SealedSecret& sealed, std::string_view workspace_id,
                std::string_view credential_id) {
    const FernetKey* key = keyring.Find(sealed.key_id);
    if (key == nullptr) {
        return OpenFailure::kUnknownKey;
    }
    core::Result<std::string> decrypted = FernetDecrypt(*key, sealed.token);
    if (!decrypted) {
        return OpenFailure::kUndecryptable;
    }
    std::string& envelope = *decrypted;
    WipeOnExit wipe(envelope);

    std::size_t pos = 1;
    std::string_view ws;
    std::string_view id;
    const std::string_view in = envelope;
    if (in.empty() || in[0] != kEnvelopeVersion || !GetField(in, pos, ws) ||
        !GetField(in, pos, id)) {
        // Opened with our key but not our envelope (e.g. a bare prototype token): it is not
        // bound to this row, so it must not be used for it.
        return OpenFailure::kWrongRow;
    }
    if (ws != workspace_id || id != credential_id) {
        return OpenFailure::kWrongRow;
    }
    return core::Secret(std::string(in.substr(pos)));
}

core::Error ToError(OpenFailure failure) {
    if (failure == OpenFailure::kWrongRow) {
        return core::Error::Make(core::ErrorCode::kInternal, "credential integrity check failed",
                                 "vault: wrong_row");
    }
    return core::Error::Make(core::ErrorCode::kInternal, "credential unreadable",
                             "vault: " + std::string(ToString(failure)));
}

std::string_view ToString(OpenFailure failure) {
    switch (failure) {
        case OpenFailure::kUnknownKey:
            return "unknown_key";
        case OpenFailure::kUndecryptable:
            return "undecryptable";
        case OpenFailure::kWrongRow:
            return "wrong_row";
    }
    return "unknown";
}

void throw_exception_from_error(const OpenFailure& failure, const boost::source_location&) {
    throw core::ErrorException(ToError(failure));
}

}  // namespace gc::vault
