#!/usr/bin/env bash
# Every test: install what is missing, build the guest side (68k ELFs into target/guest), then
# run the host workspace's tests (unit + integration, including the differential self-test)
# and the guest crates' native unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-guest.sh
cargo build --release -q --workspace --bins
cargo test --release --workspace
for manifest in guest-sdk/Cargo.toml guest-sdk/selftest/Cargo.toml roms-stub/first-app/Cargo.toml guest-vm/Cargo.toml; do
    CARGO_TARGET_DIR=target/guest/native cargo test --release --manifest-path "$manifest"
done
CARGO_TARGET_DIR=target/guest/native cargo test --release --manifest-path roms-stub/launcher/Cargo.toml # the app manager's logic (src/logic.rs)
