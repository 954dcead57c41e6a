#!/usr/bin/env bash
# The main job: install what is missing, build the guest side and the emulator, then boot the
# stub ROM to its first application in a window (mouse = pen, keyboard = keys; closing the
# window suspends the app and saves the card). Without a display it says so in one line and
# runs headless (stops at the first EvtGetEvent, prints a summary). Extra arguments go to
# palmemu (e.g. --headless, --scale 3, --script FILE; see palmemu --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-guest.sh
cargo build --release -q -p emulator
exec target/release/palmemu "$@"
