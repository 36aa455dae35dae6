// Microbenchmarks of the credential vault's cryptography: Fernet encrypt and decrypt, and the
// row-bound Seal and Open, at 64 B, 256 B and 4 KiB of plaintext.
#include <benchmark/benchmark.h>

#include <string>

#include "core/secret.hpp"
#include "vault/fernet.hpp"
#include "vault/keyring.hpp"
#include "vault/sealed_secret.hpp"

namespace {

using gc::vault::FernetKey;

const char kWorkspace[] = "5b0c1f3e-8a2d-4c1b-9e7f-0a1b2c3d4e5f";
const char kCredential[] = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

std::string Plaintext(int64_t size) { return std::string(std::size_t(size), 's'); }

void BM_FernetEncrypt(benchmark::State& state) {
    const FernetKey key = FernetKey::Generate();
    const std::string plaintext = Plaintext(state.range(0));
    for (auto _ : state) {
        benchmark::DoNotOptimize(gc::vault::FernetEncrypt(key, plaintext));
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_FernetDecrypt(benchmark::State& state) {
    const FernetKey key = FernetKey::Generate();
    const std::string token = gc::vault::FernetEncrypt(key, Plaintext(state.range(0)));
    for (auto _ : state) {
        auto r = gc::vault::FernetDecrypt(key, token);
        if (!r) {
            state.SkipWithError("decrypt failed");
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_Seal(benchmark::State& state) {
    const gc::vault::Keyring ring = gc::vault::Keyring::Generate();
    const gc::core::Secret secret(Plaintext(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(gc::vault::Seal(ring, kWorkspace, kCredential, secret));
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_Open(benchmark::State& state) {
    const gc::vault::Keyring ring = gc::vault::Keyring::Generate();
    const gc::vault::SealedSecret sealed =
        gc::vault::Seal(ring, kWorkspace, kCredential, gc::core::Secret(Plaintext(state.range(0))));
    for (auto _ : state) {
        auto r = gc::vault::Open(ring, sealed, kWorkspace, kCredential);
        if (!r) {
            state.SkipWithError("open failed");
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_FernetEncrypt)->Arg(64)->Arg(256)->Arg(4096);
BENCHMARK(BM_FernetDecrypt)->Arg(64)->Arg(256)->Arg(4096);
BENCHMARK(BM_Seal)->Arg(64)->Arg(256)->Arg(4096);
BENCHMARK(BM_Open)->Arg(64)->Arg(256)->Arg(4096);

}  // namespace
