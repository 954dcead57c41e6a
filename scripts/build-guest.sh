#!/usr/bin/env bash
# Builds everything guest-side (68k code) into target/guest/:
#   rom.elf                  boot code + the app manager (roms-stub/launcher), what boot runs
#   first-app.elf            boot code + the first app (roms-stub/first-app), a drawing pad
#   selftest.elf             the differential self-test (guest-sdk/selftest)
#   selftest-noendian.elf    the same without -DWABT_BIG_ENDIAN=1 (must misbehave)
#   selftest-unchecked.elf   the same without wasm2c bounds checks (for benchmarks)
#   dm-exercise.elf          the Data Manager test app (roms-stub/dm-exercise)
#   guest-vm.elf             the persistent store's driver program (guest-vm; docs/store-format.md)
#   guest-vm-unchecked.elf   the same without wasm2c bounds checks (benchmarks)
#   asm-tests/<name>.elf     each roms-stub/asm-tests/<name>.S linked with boot.S
#   apps/<Name>.prc          SDK programs packaged as PalmOS applications (section 6)
#   default-card/*.prc       the applications palmemu starts a new card with (section 7)
# Pipeline (docs/guest-toolchain.md): Rust -> wasm32 (Debian rustc/cargo, -Zbuild-std,
# target-cpu=mvp, rustup's rust-lld) -> wasm2c -> m68k-linux-gnu-gcc -m68020 -msoft-float.
# Steps whose outputs are newer than their inputs are skipped; cargo is incremental.
#
# Environment: GUEST_JOBS (parallel gcc jobs, default 2), GUEST_RUST_OPT (opt-level for the
# wasm build, default from each crate's profile), V=1 to echo commands.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/guest"
SDK="$ROOT/guest-sdk"
STUB="$ROOT/roms-stub"
SCRIPT="$ROOT/scripts/build-guest.sh"
JOBS="${GUEST_JOBS:-2}"

step() { printf '[guest] %s\n' "$*"; }
die() { printf '[guest] error: %s\n' "$*" >&2; exit 1; }
run() { if [[ "${V:-0}" == 1 ]]; then printf '  $ %s\n' "$*"; fi; "$@"; }

# True if $1 is missing or older than any of the remaining paths (files or directories,
# searched recursively).
stale() {
    local out="$1"; shift
    [[ -e "$out" ]] || return 0
    local newer
    newer="$(find "$@" -newer "$out" -print -quit 2>/dev/null || true)"
    [[ -n "$newer" ]]
}

# --- 1. Tools (Debian packages; installed only when something is missing) -------------------
PKGS=(rustc-web cargo-web rust-web-src wabt gcc-m68k-linux-gnu binutils-m68k-linux-gnu)
missing=()
[[ -x /usr/bin/rustc ]] || missing+=(rustc-web)
[[ -x /usr/bin/cargo ]] || missing+=(cargo-web)
[[ -d /usr/lib/rustlib/src/rust/library/core ]] || missing+=(rust-web-src)
{ command -v wasm2c >/dev/null && [[ -f /usr/src/wasm2c/wasm-rt.h ]]; } || missing+=(wabt)
command -v m68k-linux-gnu-gcc >/dev/null || missing+=(gcc-m68k-linux-gnu)
command -v m68k-linux-gnu-objdump >/dev/null || missing+=(binutils-m68k-linux-gnu)
if ((${#missing[@]})); then
    step "installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y "${PKGS[@]}"
fi

# rust-lld from the rustup toolchain (Debian's rustc-web ships none).
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

mkdir -p "$OUT" "$OUT/asm-tests"

# --- 2. Link script --------------------------------------------------------------------------
CC=m68k-linux-gnu-gcc
GCC_INC="$($CC -print-file-name=include)"
LD_SCRIPT="$OUT/rom.ld"
if stale "$LD_SCRIPT" "$SDK/link/rom.ld.S" "$SDK/c/include/palm_abi.h" "$SCRIPT"; then
    step "link script -> target/guest/rom.ld"
    run $CC -E -P -x assembler-with-cpp -I"$SDK/c/include" "$SDK/link/rom.ld.S" -o "$LD_SCRIPT"
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

# Refuses ELFs containing 68881 instructions (the target has no FPU: -msoft-float, and any
# libgcc routine compiled for the FPU must be replaced in the runtime) or libgcc's m68k
# soft-float (lb1sf68, not IEEE-exact; guest-sdk/c/softfloat.c replaces it).
check_no_fpu() {
    local elf="$1" hits
    if m68k-linux-gnu-nm "$elf" | grep -qE ' (_fpCCR|__cmpdf2_internal|__cmpsf2_internal)$'; then
        die "$elf links libgcc's lb1sf68 soft-float (define the missing routine in guest-sdk/c/softfloat.c)"
    fi
    # objdump -d lines are "addr:<TAB>hex words<TAB>mnemonic operands"; FPU mnemonics start
    # with "f" (fmove, fadd, ...), and no integer 68k mnemonic does.
    hits="$(m68k-linux-gnu-objdump -d --no-show-raw-insn "$elf" | awk -F'\t' '$2 ~ /^f[a-z]/' | head -n 5 || true)"
    if [[ -n "$hits" ]]; then
        printf '%s\n' "$hits" >&2
        die "$elf contains FPU (F-line) instructions"
    fi
}

# --- 3. Asm tests: roms-stub/asm-tests/*.S + boot.S, no Rust, no wasm ---------------------------
shopt -s nullglob
for src in "$STUB"/asm-tests/*.S; do
    name="$(basename "$src" .S)"
    elf="$OUT/asm-tests/$name.elf"
    if stale "$elf" "$src" "${C_DEPS[@]}"; then
        step "asm test $name -> target/guest/asm-tests/$name.elf"
        run $CC -m68020 -msoft-float -nostdlib -I"$SDK/c/include" "${LDFLAGS[@]}" -o "$elf" "$BOOT" "$src" -lgcc
    fi
done
shopt -u nullglob

# --- 4. Rust -> wasm32 -------------------------------------------------------------------------
export RUSTC_BOOTSTRAP=1
export RUSTC=/usr/bin/rustc
export CARGO_TARGET_DIR="$OUT/cargo"
export RUSTFLAGS="-C target-cpu=mvp -C linker=$RUST_LLD -C link-arg=-zstack-size=65536"
CARGO_ARGS=(build --release --target wasm32-unknown-unknown -Zbuild-std=core,alloc --quiet)
if [[ -n "${GUEST_RUST_OPT:-}" ]]; then
    export CARGO_PROFILE_RELEASE_OPT_LEVEL="$GUEST_RUST_OPT"
fi

build_wasm() { # <manifest> <crate name with underscores> -> prints the .wasm path
    local manifest="$1" crate="$2"
    step "cargo (wasm32) $(realpath --relative-to="$ROOT" "$manifest")" >&2
    run /usr/bin/cargo "${CARGO_ARGS[@]}" --manifest-path "$manifest" >&2
    local wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/$crate.wasm"
    [[ -f "$wasm" ]] || die "cargo produced no $wasm"
    printf '%s\n' "$wasm"
}

# wasm -> C (module name "guest": Z_guest_*, imports Z_envZ_*)
wasm_to_c() { # <wasm> <dir>
    local wasm="$1" dir="$2"
    mkdir -p "$dir"
    if stale "$dir/guest.c" "$wasm"; then
        step "wasm2c $(basename "$wasm") -> $(realpath --relative-to="$ROOT" "$dir")/guest.c"
        local tmp="$dir/tmp"
        rm -rf "$tmp" && mkdir -p "$tmp"
        run wasm2c -n guest "$wasm" -o "$tmp/guest.c"
        # Use the SDK's 32-bit bounds check (guest-sdk/c/program.c, SDK_MEMCHECK).
        local memcheck='#define MEMCHECK(mem, a, t) RANGE_CHECK(mem, a, sizeof(t))'
        grep -qxF "$memcheck" "$tmp/guest.c" ||
            die "wasm2c output has no line '$memcheck' (wabt version changed? see docs/guest-toolchain.md)"
        sed -i 's|^#define MEMCHECK(mem, a, t) RANGE_CHECK(mem, a, sizeof(t))$|#define MEMCHECK(mem, a, t) SDK_MEMCHECK(mem, a, t)|' "$tmp/guest.c"
        grep -qxF '#define MEMCHECK(mem, a, t) SDK_MEMCHECK(mem, a, t)' "$tmp/guest.c" || die "patching MEMCHECK failed"
        mv "$tmp/guest.h" "$dir/guest.h"
        mv "$tmp/guest.c" "$dir/guest.c"
        rmdir "$tmp"
    fi
}

# C -> 68k ELF. <elf> <gen dir> <extra cflags...>
link_program() {
    local elf="$1" dir="$2"; shift 2
    local main="$SDK/c/program.c"
    if stale "$elf" "$dir/guest.c" "$dir/guest.h" "$main" "${C_DEPS[@]}"; then
        step "gcc m68k -> $(realpath --relative-to="$ROOT" "$elf") ($*)"
        run $CC "${BASE_CFLAGS[@]}" "$@" -I"$dir" -I"$SDK/c" "${LDFLAGS[@]}" -o "$elf.tmp" \
            "$BOOT" "${RT_SRCS[@]}" "$main" -lgcc
        check_no_fpu "$elf.tmp"
        mv "$elf.tmp" "$elf"
    fi
}

CHECKED=(-DWABT_BIG_ENDIAN=1 -DWASM_RT_MEMCHECK_BOUNDS_CHECK=1)
NOENDIAN=(-DWASM_RT_MEMCHECK_BOUNDS_CHECK=1)
UNCHECKED=(-DWABT_BIG_ENDIAN=1 -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -DWASM_RT_SKIP_SIGNAL_RECOVERY=1)

launcher_wasm="$(build_wasm "$STUB/launcher/Cargo.toml" launcher)"
app_wasm="$(build_wasm "$STUB/first-app/Cargo.toml" first_app)"
dm_wasm="$(build_wasm "$STUB/dm-exercise/Cargo.toml" dm_exercise)"
vm_wasm="$(build_wasm "$ROOT/guest-vm/Cargo.toml" guest_vm)"
selftest_wasm="$(build_wasm "$SDK/selftest/Cargo.toml" guest_selftest)"
wasm_to_c "$launcher_wasm" "$OUT/gen/launcher"
wasm_to_c "$app_wasm" "$OUT/gen/first-app"
wasm_to_c "$dm_wasm" "$OUT/gen/dm-exercise"
wasm_to_c "$vm_wasm" "$OUT/gen/guest-vm"
wasm_to_c "$selftest_wasm" "$OUT/gen/selftest"

pids=()
wait_jobs() {
    local rc=0
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    pids=()
    ((rc == 0)) || die "a gcc step failed"
}
spawn() {
    "$@" &
    pids+=($!)
    if ((${#pids[@]} >= JOBS)); then wait_jobs; fi
}
spawn link_program "$OUT/selftest.elf" "$OUT/gen/selftest" "${CHECKED[@]}"
spawn link_program "$OUT/rom.elf" "$OUT/gen/launcher" "${CHECKED[@]}"
spawn link_program "$OUT/first-app.elf" "$OUT/gen/first-app" "${CHECKED[@]}"
spawn link_program "$OUT/dm-exercise.elf" "$OUT/gen/dm-exercise" "${CHECKED[@]}"
spawn link_program "$OUT/guest-vm.elf" "$OUT/gen/guest-vm" "${CHECKED[@]}"
spawn link_program "$OUT/guest-vm-unchecked.elf" "$OUT/gen/guest-vm" "${UNCHECKED[@]}"
spawn link_program "$OUT/selftest-noendian.elf" "$OUT/gen/selftest" "${NOENDIAN[@]}"
spawn link_program "$OUT/selftest-unchecked.elf" "$OUT/gen/selftest" "${UNCHECKED[@]}"
wait_jobs

# --- 5. Sizes ------------------------------------------------------------------------------------
step "sizes (text = ROM code+rodata+stubs, data = initialised RAM, bss = zeroed RAM):"
(cd "$OUT" && m68k-linux-gnu-size rom.elf first-app.elf dm-exercise.elf guest-vm.elf guest-vm-unchecked.elf selftest.elf selftest-noendian.elf selftest-unchecked.elf asm-tests/*.elf)
for prog in launcher first-app selftest guest-vm; do
    pages="$(grep -o 'wasm_rt_allocate_memory([^;]*' "$OUT/gen/$prog/guest.c" | grep -o '[0-9]\+, [0-9]\+' | head -n1 | cut -d, -f1)"
    step "$prog: initial linear memory ${pages:-?} x 64 KiB pages"
done

# --- 6. Applications as .prc (docs/guest-toolchain.md, "Applications as .prc") -------------------
# SDK programs packaged as standard PalmOS applications, target/guest/apps/<Name>.prc: compiled
# with -msep-data (code position-independent, globals only through A5) and -DSDK_APP=1, linked
# by app.ld (code 1 from 0, the A5 world apart) with --emit-relocs, packed by tools/prc-pack
# (host Rust, built here with the host toolchain). Additive: nothing above depends on it.
APP_LD="$OUT/app.ld"
APP_OUT="$OUT/apps"
mkdir -p "$APP_OUT"
if stale "$APP_LD" "$SDK/link/app.ld.S" "$SDK/c/include" "$SCRIPT"; then
    step "link script -> target/guest/app.ld"
    run $CC -E -P -x assembler-with-cpp -I"$SDK/c/include" "$SDK/link/app.ld.S" -o "$APP_LD"
fi
APP_CFLAGS=(-msep-data -DSDK_APP=1)
APP_LDFLAGS=(-T "$APP_LD" -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--emit-relocs)
APP_SRCS=("$SDK/c/app_start.S" "$SDK/c/app_rt.c" "${RT_SRCS[@]}" "$SDK/c/program.c")

HOST_CARGO="${HOST_CARGO:-}"
if [[ -z "$HOST_CARGO" ]]; then
    if [[ -x "$HOME/.cargo/bin/cargo" ]]; then HOST_CARGO="$HOME/.cargo/bin/cargo"; else HOST_CARGO="$(command -v cargo)"; fi
fi
step "cargo (host) tools/prc-pack"
run env -u RUSTC -u RUSTFLAGS -u RUSTC_BOOTSTRAP -u CARGO_TARGET_DIR -u CARGO_PROFILE_RELEASE_OPT_LEVEL \
    "$HOST_CARGO" build --quiet -p prc-pack --manifest-path "$ROOT/Cargo.toml"
PRC_PACK="$ROOT/target/debug/prc-pack"
[[ -x "$PRC_PACK" ]] || die "cargo produced no $PRC_PACK"

link_app() { # <Name> <gen dir> <extra cflags...>
    local name="$1" dir="$2"; shift 2
    local elf="$APP_OUT/$name.elf"
    if stale "$elf" "$dir/guest.c" "$dir/guest.h" "$SDK/c" "$APP_LD" "$SCRIPT"; then
        step "gcc m68k (application) -> target/guest/apps/$name.elf"
        run $CC "${BASE_CFLAGS[@]}" "${CHECKED[@]}" "${APP_CFLAGS[@]}" "$@" -I"$dir" "${APP_LDFLAGS[@]}" \
            -o "$elf.tmp" "${APP_SRCS[@]}" -lgcc
        check_no_fpu "$elf.tmp"
        mv "$elf.tmp" "$elf"
    fi
}
pack_app() { # <Name> <creator> <launcher name>: apps/<Name>.elf -> apps/<Name>.prc (database <Name>)
    local name="$1" creator="$2" title="$3"
    local elf="$APP_OUT/$name.elf" prc="$APP_OUT/$name.prc"
    if stale "$prc" "$elf" "$PRC_PACK"; then
        step "prc-pack -> target/guest/apps/$name.prc"
        run "$PRC_PACK" "$elf" -o "$prc" --name "$name" --creator "$creator" --app-name "$title" --version-string 1.0
    fi
}

hello_wasm="$(build_wasm "$STUB/hello-app/Cargo.toml" hello_app)"
wasm_to_c "$hello_wasm" "$OUT/gen/hello-app"
spawn link_app HelloApp "$OUT/gen/hello-app"
spawn link_app DmExerciseApp "$OUT/gen/dm-exercise"
# The differential self-test as an application: the -msep-data code generation checked
# against the native transcript (a 512 KiB arena for its 7 peak pages, a 96 KiB stack for
# its deep recursion).
spawn link_app SelfTestApp "$OUT/gen/selftest" -DSDK_APP_ARENA_SIZE=0x80000 -DSDK_APP_STACK_SIZE=0x18000
wait_jobs
pack_app HelloApp HeLo "Hello"
pack_app DmExerciseApp DmXa "DM Exercise"
pack_app SelfTestApp StAp "Self-test"
step "application sizes (text = code 1; data (.data + .got) + bss = the A5 world, less the jump table):"
(cd "$APP_OUT" && m68k-linux-gnu-size HelloApp.elf DmExerciseApp.elf SelfTestApp.elf)

# The demo applications (docs/guest-toolchain.md, "Resources"): Counter and Memos. Their UI
# resources (tFRM, Talt, tSTR, tAIB) are written by tools/app-resources (host Rust, from each
# application's src/ids.rs) into target/guest/res/<Name>/, with the prc-pack arguments for
# them in target/guest/res/<Name>.args (one --resource=TYPE:ID:FILE per line).
RES_OUT="$OUT/res"
step "cargo (host) tools/app-resources"
run env -u RUSTC -u RUSTFLAGS -u RUSTC_BOOTSTRAP -u CARGO_TARGET_DIR -u CARGO_PROFILE_RELEASE_OPT_LEVEL \
    "$HOST_CARGO" build --quiet -p app-resources --manifest-path "$ROOT/Cargo.toml"
APP_RESOURCES="$ROOT/target/debug/app-resources"
[[ -x "$APP_RESOURCES" ]] || die "cargo produced no $APP_RESOURCES"
run "$APP_RESOURCES" "$RES_OUT" >/dev/null
pack_demo_app() { # <Name> <creator> <launcher name>: like pack_app, plus res/<Name>.args
    local name="$1" creator="$2" title="$3"
    local elf="$APP_OUT/$name.elf" prc="$APP_OUT/$name.prc" res_args
    mapfile -t res_args < "$RES_OUT/$name.args"
    if stale "$prc" "$elf" "$PRC_PACK" "$RES_OUT/$name.args" "$RES_OUT/$name"; then
        step "prc-pack -> target/guest/apps/$name.prc (${#res_args[@]} resources from target/guest/res/$name)"
        run "$PRC_PACK" "$elf" -o "$prc" --name "$name" --creator "$creator" --app-name "$title" \
            --version-string 1.0 "${res_args[@]}" >/dev/null
    fi
}
counter_wasm="$(build_wasm "$STUB/counter-app/Cargo.toml" counter_app)"
memo_wasm="$(build_wasm "$STUB/memo-app/Cargo.toml" memo_app)"
wasm_to_c "$counter_wasm" "$OUT/gen/counter-app"
wasm_to_c "$memo_wasm" "$OUT/gen/memo-app"
spawn link_app Counter "$OUT/gen/counter-app"
spawn link_app Memos "$OUT/gen/memo-app"
wait_jobs
pack_demo_app Counter DCnt "Counter"
pack_demo_app Memos DMem "Memos"
(cd "$APP_OUT" && m68k-linux-gnu-size Counter.elf Memos.elf)

# The persistent VM (docs/store-format.md, section 11; item 7): GuestVM.prc is guest-vm's
# program as an application ('appl'/'SpVM', "Persistent VM"; a ROM run stays the test driver);
# StoreWrapper.prc is the Wrapper template that creating a store copies into it (type 'wrap',
# creator 'SpWr': the app manager does not list the template, only the stores).
wrapper_wasm="$(build_wasm "$STUB/store-wrapper/Cargo.toml" store_wrapper)"
wasm_to_c "$wrapper_wasm" "$OUT/gen/store-wrapper"
spawn link_app GuestVM "$OUT/gen/guest-vm" -DSDK_APP_ARENA_SIZE=0x60000 -DSDK_APP_STACK_SIZE=0x10000
spawn link_app StoreWrapper "$OUT/gen/store-wrapper" -DSDK_APP_ARENA_SIZE=0x30000
wait_jobs
pack_demo_app GuestVM SpVM "Persistent VM"
mapfile -t wrapper_res < "$RES_OUT/StoreWrapper.args"
if stale "$APP_OUT/StoreWrapper.prc" "$APP_OUT/StoreWrapper.elf" "$PRC_PACK" "$RES_OUT/StoreWrapper.args" "$RES_OUT/StoreWrapper"; then
    step "prc-pack -> target/guest/apps/StoreWrapper.prc"
    run "$PRC_PACK" "$APP_OUT/StoreWrapper.elf" -o "$APP_OUT/StoreWrapper.prc" --name StoreWrapper \
        --creator SpWr --type wrap --app-name "Store Wrapper" --version-string 1.0 "${wrapper_res[@]}" >/dev/null
fi
(cd "$APP_OUT" && m68k-linux-gnu-size GuestVM.elf StoreWrapper.elf)

# --- 7. The default card (emulator/src/frontend/default_card.rs) ----------------------------------
# target/guest/default-card/: the applications meant for users, which palmemu installs when the
# card file does not exist yet (--default-apps, default: default-card/ next to the ROM): the
# demo applications, and the persistent VM with the Wrapper template its stores are made from
# (type 'wrap', not listed by the app manager). Not the test programs (DmExerciseApp, SelfTestApp).
DEFAULT_APPS=(HelloApp Counter Memos GuestVM StoreWrapper)
DEFAULT_CARD="$OUT/default-card"
mkdir -p "$DEFAULT_CARD"
for f in "$DEFAULT_CARD"/*; do
    [[ -e "$f" ]] || continue
    keep=0
    for name in "${DEFAULT_APPS[@]}"; do [[ "$(basename "$f")" == "$name.prc" ]] && keep=1; done
    ((keep)) || rm -f "$f"
done
for name in "${DEFAULT_APPS[@]}"; do
    [[ -f "$APP_OUT/$name.prc" ]] || die "the default card needs target/guest/apps/$name.prc"
    if stale "$DEFAULT_CARD/$name.prc" "$APP_OUT/$name.prc"; then
        cp "$APP_OUT/$name.prc" "$DEFAULT_CARD/$name.prc"
    fi
done
step "default card (target/guest/default-card): ${DEFAULT_APPS[*]}"
