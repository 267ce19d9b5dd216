/* Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0 */

/* edgekit/base.h — export macro and version of the edgekit C ABI.
 *
 * Every other edgekit header includes this one. A host can check at start-up
 * that the header it was compiled against matches the library it runs with:
 *
 *   if (edgekit_version_number() / 10000 != EDGEKIT_VERSION_MAJOR) abort();
 */
#ifndef EDGEKIT_BASE_H
#define EDGEKIT_BASE_H

#include <stddef.h>
#include <stdint.h>

#if defined(EDGEKIT_BUILDING_LIBRARY) && defined(__GNUC__)
#define EDGEKIT_API __attribute__((visibility("default")))
#else
#define EDGEKIT_API
#endif

#if defined(__cplusplus)
#define EDGEKIT_EXTERN_C_BEGIN extern "C" {
#define EDGEKIT_EXTERN_C_END }
#else
#define EDGEKIT_EXTERN_C_BEGIN
#define EDGEKIT_EXTERN_C_END
#endif

#define EDGEKIT_VERSION_MAJOR 0
#define EDGEKIT_VERSION_MINOR 1
#define EDGEKIT_VERSION_PATCH 0
#define EDGEKIT_VERSION_NUMBER                                  \
  (EDGEKIT_VERSION_MAJOR * 10000 + EDGEKIT_VERSION_MINOR * 100 + \
   EDGEKIT_VERSION_PATCH)

EDGEKIT_EXTERN_C_BEGIN

/* edgekit_version_number returns EDGEKIT_VERSION_NUMBER of the library that is
 * linked, which may differ from the header a host was compiled with. */
EDGEKIT_API unsigned edgekit_version_number(void);

/* edgekit_version returns the library version as a static string such as
 * "0.1.0". The caller must not free it. */
EDGEKIT_API const char* edgekit_version(void);

/* edgekit_crypto_backend returns "boringssl" or "openssl": the crypto library
 * this build of edgekit is linked against. Static string, not to be freed. */
EDGEKIT_API const char* edgekit_crypto_backend(void);

EDGEKIT_EXTERN_C_END

#endif /* EDGEKIT_BASE_H */
