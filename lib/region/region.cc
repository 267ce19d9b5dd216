// Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
//
// Region header, layout arithmetic and the placement hash: the parts of the
// region format that are not the table itself.

#include "region/region.h"

#include <cstring>

#include "absl/strings/str_format.h"

namespace edgekit::region {
namespace {

constexpr uint64_t kK0 = 0xa0761d6478bd642fULL;
constexpr uint64_t kK1 = 0xe7037ed1a0b428dbULL;
constexpr uint64_t kK2 = 0x8ebc6af09c88c6e3ULL;

// Folds a full 64×64→128 product: every input bit reaches every output bit
// in one multiply.
inline uint64_t Fold(uint64_t a, uint64_t b) {
  unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(p) ^ static_cast<uint64_t>(p >> 64);
}

// Little-endian loads, so a region hashes the same on every host we build
// for (all little-endian today; a big-endian port must swap here).
inline uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint32_t Load32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The last 0..7 bytes as one word, injectively for each length, with
// fixed-size loads only: assembling the word byte by byte through memory
// stalls on store forwarding, which cost a third of an acquire.
inline uint64_t LoadTail(const unsigned char* p, size_t n) {
  if (n >= 4) return Load32(p) | (uint64_t{Load32(p + n - 4)} << 32);
  if (n == 0) return 0;
  return p[0] | (uint64_t{p[n / 2]} << 8) | (uint64_t{p[n - 1]} << 16);
}

size_t RoundUp(size_t n, size_t align, bool* ok) {
  size_t r;
  if (__builtin_add_overflow(n, align - 1, &r)) {
    *ok = false;
    return 0;
  }
  return r & ~(align - 1);
}

}  // namespace

uint64_t HashBytes(std::string_view bytes, uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  uint64_t h = Fold(seed ^ kK0, n ^ kK1);
  while (n >= 16) {
    h = Fold(Load64(p) ^ kK1, Load64(p + 8) ^ h);
    p += 16;
    n -= 16;
  }
  if (n >= 8) {
    h = Fold(Load64(p) ^ kK2, h ^ kK0);
    p += 8;
    n -= 8;
  }
  h = Fold(LoadTail(p, n) ^ kK1, h ^ kK2);
  return Fold(h ^ kK0, bytes.size() ^ kK2);
}

void InvalidateHeader(void* base) {
  std::memset(base, 0, kHeaderSize);
  std::atomic_thread_fence(std::memory_order_release);
}

void WriteHeader(void* base, const Descriptor& d) {
  Header h{};
  h.magic = kMagic;
  h.header_version = kHeaderVersion;
  h.kind = d.kind;
  h.kind_version = d.kind_version;
  h.total_size = d.total_size;
  for (size_t i = 0; i < kNumParams; ++i) h.params[i] = d.params[i];
  h.checksum = HashBytes(std::string_view(reinterpret_cast<const char*>(&h),
                                          offsetof(Header, checksum)),
                         kMagic);
  // The body written before this call must be visible before the header is.
  std::atomic_thread_fence(std::memory_order_release);
  std::memcpy(base, &h, sizeof(h));
  std::atomic_thread_fence(std::memory_order_release);
}

absl::StatusOr<Descriptor> ReadHeader(const void* base, size_t len,
                                      uint32_t kind, uint32_t kind_version) {
  if (base == nullptr) return absl::InvalidArgumentError("region: NULL memory");
  if (reinterpret_cast<uintptr_t>(base) % kRegionAlign != 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("region: memory not %d-byte aligned", kRegionAlign));
  }
  if (len < kHeaderSize) {
    return absl::FailedPreconditionError(
        absl::StrFormat("region: %d bytes is smaller than a header", len));
  }
  // Work on a private copy: the checks then see one consistent header even
  // if another process scribbles on the memory meanwhile.
  std::atomic_thread_fence(std::memory_order_acquire);
  Header h;
  std::memcpy(&h, base, sizeof(h));
  if (h.magic != kMagic) {
    return absl::FailedPreconditionError(
        "region: no edgekit region here (bad magic)");
  }
  if (h.header_version != kHeaderVersion) {
    return absl::FailedPreconditionError(
        absl::StrFormat("region: header version %d, this build reads %d",
                        h.header_version, kHeaderVersion));
  }
  const uint64_t sum =
      HashBytes(std::string_view(reinterpret_cast<const char*>(&h),
                                 offsetof(Header, checksum)),
                kMagic);
  if (sum != h.checksum) {
    return absl::FailedPreconditionError("region: header checksum mismatch");
  }
  if (h.kind != kind) {
    return absl::FailedPreconditionError(
        absl::StrFormat("region: kind %d, expected %d", h.kind, kind));
  }
  if (h.kind_version != kind_version) {
    return absl::FailedPreconditionError(
        absl::StrFormat("region: layout version %d, this build reads %d",
                        h.kind_version, kind_version));
  }
  if (h.reserved != 0) {
    return absl::FailedPreconditionError("region: reserved header field set");
  }
  if (h.total_size < kHeaderSize || h.total_size > len) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "region: header says %d bytes, %d are mapped", h.total_size, len));
  }
  Descriptor d;
  d.kind = h.kind;
  d.kind_version = h.kind_version;
  d.total_size = h.total_size;
  for (size_t i = 0; i < kNumParams; ++i) d.params[i] = h.params[i];
  return d;
}

size_t Layout::Add(size_t bytes) {
  const size_t offset = size_;
  const size_t rounded = RoundUp(bytes, kRegionAlign, &ok_);
  if (!ok_ || __builtin_add_overflow(size_, rounded, &size_)) {
    ok_ = false;
    size_ = 0;
    return 0;
  }
  return offset;
}

size_t Layout::AddArray(size_t count, size_t elem_bytes) {
  size_t bytes;
  if (__builtin_mul_overflow(count, elem_bytes, &bytes)) {
    ok_ = false;
    size_ = 0;
    return 0;
  }
  return Add(bytes);
}

}  // namespace edgekit::region
