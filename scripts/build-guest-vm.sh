#!/usr/bin/env bash
# Builds the persistent VM's guest program (guest-vm/, see docs/store-format.md) for the 68k:
#   target/guest/guest-vm.elf            the driver program, bounds-checked (the product build)
#   target/guest/guest-vm-unchecked.elf  the same without wasm2c bounds checks (benchmarks)
# Same pipeline and flags as scripts/build-guest.sh (docs/guest-toolchain.md): Rust -> wasm32
# (Debian rustc/cargo, -Zbuild-std, target-cpu=mvp, rustup's rust-lld) -> wasm2c ->
# m68k-linux-gnu-gcc -m68020 -msoft-float, linked with the stub ROM's boot code. The helper
# functions are repeated here rather than shared, so build-guest.sh stays as it is (it calls
# this script as its last step). Steps whose outputs are newer than their inputs are skipped.
#
# Environment: V=1 echoes commands; GUEST_RUST_OPT overrides the wasm build's opt-level.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/guest"
SDK="$ROOT/guest-sdk"
STUB="$ROOT/roms-stub"
VM="$ROOT/guest-vm"
SCRIPT="$ROOT/scripts/build-guest-vm.sh"

step() { printf '[guest-vm] %s\n' "$*"; }
die() { printf '[guest-vm] error: %s\n' "$*" >&2; exit 1; }
run() { if [[ "${V:-0}" == 1 ]]; then printf '  $ %s\n' "$*"; fi; "$@"; }

# True if $1 is missing or older than any of the remaining paths (searched recursively).
stale() {
    local out="$1"; shift
    [[ -e "$out" ]] || return 0
    local newer
    newer="$(find "$@" -newer "$out" -print -quit 2>/dev/null || true)"
    [[ -n "$newer" ]]
}

# --- Tools (installed by build-guest.sh; only checked here) -----------------------------------
for tool in /usr/bin/rustc /usr/bin/cargo wasm2c m68k-linux-gnu-gcc m68k-linux-gnu-objdump; do
    command -v "$tool" >/dev/null || die "$tool is missing: run scripts/build-guest.sh once (it installs the toolchain)"
done
[[ -d /usr/lib/rustlib/src/rust/library/core ]] || die "rust-web-src is missing: run scripts/build-guest.sh once"

RUST_LLD="${RUST_LLD:-}"
if [[ -z "$RUST_LLD" ]]; then
    for rc in "$HOME/.cargo/bin/rustc" "$(command -v rustup >/dev/null && rustup which rustc 2>/dev/null || true)"; do
        if [[ -n "$rc" && -x "$rc" && "$rc" != /usr/bin/rustc ]]; then
            cand="$("$rc" --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
            if [[ -x "$cand" ]]; then RUST_LLD="$cand"; break; fi
        fi
    done
fi
if [[ -z "$RUST_LLD" ]]; then
    RUST_LLD="$(ls -1 "$HOME"/.rustup/toolchains/*/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld 2>/dev/null | head -n1 || true)"
fi
[[ -n "$RUST_LLD" && -x "$RUST_LLD" ]] || die "rust-lld not found (install a rustup toolchain, or set RUST_LLD)"

mkdir -p "$OUT"

# --- Link script (the same file build-guest.sh makes) ------------------------------------------
CC=m68k-linux-gnu-gcc
GCC_INC="$($CC -print-file-name=include)"
LD_SCRIPT="$OUT/rom.ld"
if stale "$LD_SCRIPT" "$SDK/link/rom.ld.S" "$SDK/c/include/palm_abi.h"; then
    step "link script -> target/guest/rom.ld"
    run $CC -E -P -x assembler-with-cpp -I"$SDK/c/include" "$SDK/link/rom.ld.S" -o "$LD_SCRIPT.vm.tmp"
    mv "$LD_SCRIPT.vm.tmp" "$LD_SCRIPT"
fi

BASE_CFLAGS=(-m68020 -msoft-float -O2 -ffreestanding -nostdlib -fno-builtin
    -fno-delete-null-pointer-checks -fno-tree-loop-distribute-patterns
    -ffunction-sections -fdata-sections -nostdinc -isystem "$GCC_INC"
    -I"$SDK/c/include" -I/usr/src/wasm2c -Wall -Wno-unused-function -Wno-unused-variable
    -Wno-unused-but-set-variable -Wno-unused-label -Wno-unused-value)
LDFLAGS=(-T "$LD_SCRIPT" -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noexecstack)
BOOT="$STUB/boot/boot.S"
RT_SRCS=("$SDK/c/wasm_rt.c" "$SDK/c/softfloat.c" "$SDK/c/palm_trap.S")
C_DEPS=("$SDK/c" "$BOOT" "$LD_SCRIPT" "$SCRIPT")

# Refuses ELFs with 68881 instructions or libgcc's lb1sf68 soft-float (see build-guest.sh).
check_no_fpu() {
    local elf="$1" hits
    if m68k-linux-gnu-nm "$elf" | grep -qE ' (_fpCCR|__cmpdf2_internal|__cmpsf2_internal)$'; then
        die "$elf links libgcc's lb1sf68 soft-float"
    fi
    hits="$(m68k-linux-gnu-objdump -d --no-show-raw-insn "$elf" | awk -F'\t' '$2 ~ /^f[a-z]/' | head -n 5 || true)"
    if [[ -n "$hits" ]]; then
        printf '%s\n' "$hits" >&2
        die "$elf contains FPU (F-line) instructions"
    fi
}

# --- Rust -> wasm32 ----------------------------------------------------------------------------
export RUSTC_BOOTSTRAP=1
export RUSTC=/usr/bin/rustc
export CARGO_TARGET_DIR="$OUT/cargo"
export RUSTFLAGS="-C target-cpu=mvp -C linker=$RUST_LLD -C link-arg=-zstack-size=65536"
if [[ -n "${GUEST_RUST_OPT:-}" ]]; then
    export CARGO_PROFILE_RELEASE_OPT_LEVEL="$GUEST_RUST_OPT"
fi
step "cargo (wasm32) guest-vm/Cargo.toml"
run /usr/bin/cargo build --release --target wasm32-unknown-unknown -Zbuild-std=core,alloc --quiet --manifest-path "$VM/Cargo.toml"
WASM="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/guest_vm.wasm"
[[ -f "$WASM" ]] || die "cargo produced no $WASM"

# --- wasm -> C ---------------------------------------------------------------------------------
GEN="$OUT/gen/guest-vm"
mkdir -p "$GEN"
if stale "$GEN/guest.c" "$WASM"; then
    step "wasm2c guest_vm.wasm -> target/guest/gen/guest-vm/guest.c"
    tmp="$GEN/tmp"
    rm -rf "$tmp" && mkdir -p "$tmp"
    run wasm2c -n guest "$WASM" -o "$tmp/guest.c"
    memcheck='#define MEMCHECK(mem, a, t) RANGE_CHECK(mem, a, sizeof(t))'
    grep -qxF "$memcheck" "$tmp/guest.c" ||
        die "wasm2c output has no line '$memcheck' (wabt version changed? see docs/guest-toolchain.md)"
    sed -i 's|^#define MEMCHECK(mem, a, t) RANGE_CHECK(mem, a, sizeof(t))$|#define MEMCHECK(mem, a, t) SDK_MEMCHECK(mem, a, t)|' "$tmp/guest.c"
    grep -qxF '#define MEMCHECK(mem, a, t) SDK_MEMCHECK(mem, a, t)' "$tmp/guest.c" || die "patching MEMCHECK failed"
    mv "$tmp/guest.h" "$GEN/guest.h"
    mv "$tmp/guest.c" "$GEN/guest.c"
    rmdir "$tmp"
fi

# --- C -> 68k ELF ------------------------------------------------------------------------------
link_program() { # <elf> <extra cflags...>
    local elf="$1"; shift
    if stale "$elf" "$GEN/guest.c" "$GEN/guest.h" "${C_DEPS[@]}"; then
        step "gcc m68k -> $(realpath --relative-to="$ROOT" "$elf") ($*)"
        run $CC "${BASE_CFLAGS[@]}" "$@" -I"$GEN" "${LDFLAGS[@]}" -o "$elf.tmp" \
            "$BOOT" "${RT_SRCS[@]}" "$SDK/c/program.c" -lgcc
        check_no_fpu "$elf.tmp"
        mv "$elf.tmp" "$elf"
    fi
}
CHECKED=(-DWABT_BIG_ENDIAN=1 -DWASM_RT_MEMCHECK_BOUNDS_CHECK=1)
UNCHECKED=(-DWABT_BIG_ENDIAN=1 -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -DWASM_RT_SKIP_SIGNAL_RECOVERY=1)
link_program "$OUT/guest-vm.elf" "${CHECKED[@]}" &
p1=$!
link_program "$OUT/guest-vm-unchecked.elf" "${UNCHECKED[@]}" &
p2=$!
rc=0
wait "$p1" || rc=1
wait "$p2" || rc=1
((rc == 0)) || die "a gcc step failed"

step "sizes:"
(cd "$OUT" && m68k-linux-gnu-size guest-vm.elf guest-vm-unchecked.elf)
pages="$(grep -o 'wasm_rt_allocate_memory([^;]*' "$GEN/guest.c" | grep -o '[0-9]\+, [0-9]\+' | head -n1 | cut -d, -f1)"
step "guest-vm: initial linear memory ${pages:-?} x 64 KiB pages"
