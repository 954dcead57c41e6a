#!/usr/bin/env bash
# The main job: install what is missing, build the guest side and the emulator, then boot the
# stub ROM headless to its first application. Extra arguments go to palmemu.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-guest.sh
cargo build --release -q -p emulator
exec target/release/palmemu --headless "$@"
