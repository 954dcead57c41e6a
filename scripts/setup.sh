#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian machine of this project's kind, and nothing
# when it is already there: the guest toolchain (Debian's rustc/cargo with library sources for
# -Zbuild-std, wabt's wasm2c, GCC and binutils for m68k) and what the unicorn-engine crate
# needs to build (cmake, libclang). The host side uses the machine's rustup toolchain.
#
# The window frontend (minifb) links no system library at build time: it dlopens the display
# client libraries when a window is opened. X11: libX11.so.6 (libx11-6) and libXcursor.so.1
# (libxcursor1). Wayland: libwayland-client.so.0 (libwayland-client0), libxkbcommon.so.0
# (libxkbcommon0, required by its keyboard code); EGL/GLES (libegl1, libgles2, libwayland-egl1)
# only speed Wayland up and are optional (it falls back to shared memory). Xvfb (xvfb) runs the
# window test on a virtual display.
set -euo pipefail

packages=(rustc-web cargo-web rust-web-src wabt gcc-m68k-linux-gnu binutils-m68k-linux-gnu cmake libclang-dev pkg-config
    libx11-6 libxcursor1 libwayland-client0 libxkbcommon0 xvfb)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "setup: the rustup toolchain (cargo) is required" >&2; exit 1; }
