#!/usr/bin/env bash
# Builds ngx_http_edgekit_module.so for Debian's nginx (nginx-dev): libedgekit.a
# on the OpenSSL 3 backend (nginx links OpenSSL 3; a second libcrypto in one
# process is unsafe), then nginx's own configure with Debian's flags and
# --add-dynamic-module, then only the modules target.
#
# Usage: bindings/nginx/build.sh   (prints the path of the .so on its last line)
#   EDGEKIT_BUILD_DIR  libedgekit build tree (default build/openssl, which the
#                      "openssl" step of scripts/test.sh also uses)
#   NGX_BUILD_DIR      where nginx's source is copied (default build/nginx)
#   JOBS               parallel jobs (default 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

edgekit_dir=${EDGEKIT_BUILD_DIR:-build/openssl}
ngx_dir=${NGX_BUILD_DIR:-build/nginx}
jobs=${JOBS:-2}
ngx_src=/usr/share/nginx/src
module=ngx_http_edgekit_module

[ -f "$ngx_src/conf_flags" ] || {
  echo "build.sh: $ngx_src is missing: apt-get install nginx-dev" >&2; exit 1; }

mkdir -p build
if [ ! -f "$edgekit_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$edgekit_dir" -DCMAKE_BUILD_TYPE=Release -DEDGEKIT_CRYPTO=openssl \
    >"$edgekit_dir.configure.log" 2>&1 || { cat "$edgekit_dir.configure.log"; exit 1; }
fi
grep -q '^EDGEKIT_CRYPTO:STRING=openssl$' "$edgekit_dir/CMakeCache.txt" || {
  echo "build.sh: $edgekit_dir is not configured with -DEDGEKIT_CRYPTO=openssl" >&2
  exit 1; }
# The top-level CMakeLists builds every object PIC; were it not, the module's
# link below would fail on R_X86_64_32 relocations.
cmake --build "$edgekit_dir" -j "$jobs" --target edgekit >/dev/null
lib=$root/$edgekit_dir/libedgekit.a

# libedgekit.a is C++ on Abseil's shared libraries and OpenSSL 3: its link line
# comes from the build tree's edgekit.pc, with -L/-ledgekit swapped for the
# archive itself (-L would find libedgekit.so first). Its edgekit_* symbols
# stay out of the module's dynamic symbol table, so two modules carrying
# different edgekit versions cannot interpose each other.
pc=$(PKG_CONFIG_PATH=$root/$edgekit_dir pkg-config --static --libs edgekit)
deps=$(tr ' ' '\n' <<<"$pc" | grep -v -e '^-L' -e '^-ledgekit$' | tr '\n' ' ')
libs="-Wl,--exclude-libs,libedgekit.a $lib $deps"

# configure is rerun only when its inputs change: the link line and the config
# file are fixed into objs/Makefile at configure time.
stamp=$(printf '%s\n' "$libs" | cat - bindings/nginx/config "$ngx_src/conf_flags" | sha256sum)
if [ ! -f "$ngx_dir/objs/Makefile" ] || [ "$(cat "$ngx_dir/.edgekit-stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$ngx_dir"
  mkdir -p "$ngx_dir"
  cp -a "$ngx_src/." "$ngx_dir/"
  (
    cd "$ngx_dir"
    # shellcheck disable=SC1091
    source ./conf_flags
    cc_opt="-fPIC"
    ld_opt=""
    if command -v dpkg-buildflags >/dev/null; then
      cc_opt="$(dpkg-buildflags --get CFLAGS) -fPIC"
      ld_opt="$(dpkg-buildflags --get LDFLAGS)"
    fi
    EDGEKIT_NGX_LIBS=$libs ./configure "${NGX_CONF_FLAGS[@]}" \
      --with-cc-opt="$cc_opt" --with-ld-opt="$ld_opt" \
      --add-dynamic-module="$root/bindings/nginx" >configure.log 2>&1 ||
      { tail -n 30 configure.log; exit 1; }
  )
  printf '%s\n' "$stamp" >"$ngx_dir/.edgekit-stamp"
fi

# The module's objects depend on the .a only through the link line, so relink
# whenever it is newer than the .so.
so=$ngx_dir/objs/$module.so
if [ -f "$so" ] && [ "$lib" -nt "$so" ]; then rm -f "$so"; fi
make -C "$ngx_dir" -f objs/Makefile -j "$jobs" modules >"$ngx_dir/make.log" 2>&1 ||
  { tail -n 40 "$ngx_dir/make.log"; exit 1; }

# One libcrypto per process: the module must need OpenSSL 3's and nothing else.
deps=$(ldd "$so")
if ! grep -q 'libcrypto\.so\.3' <<<"$deps" || grep -q 'libcrypto\.so\.0' <<<"$deps" ||
   grep -q 'android' <<<"$deps"; then
  echo "build.sh: $so links the wrong libcrypto:" >&2
  echo "$deps" >&2
  exit 1
fi
if nm -D --defined-only "$so" | grep -q ' edgekit_'; then
  echo "build.sh: $so exports edgekit_* symbols" >&2; exit 1
fi
echo "$root/$so"
