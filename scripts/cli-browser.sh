#!/usr/bin/env bash
# The CLI's HTML report in headless Chromium: writes the demo report, opens
# it with playwright-core driving Debian's Chromium (scripts/chromium.sh),
# fails on any console error, page error or network request, and saves
# target/cli-report.png (screenshot) and target/cli-report.pdf (print) for a
# person to look at. Runnable by hand: bash scripts/cli-browser.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM="$(bash scripts/chromium.sh)"
(cd crates/retentionkit-cli/tests/browser && npm ci --no-audit --no-fund --loglevel=error)
cargo run --release --locked --quiet -p retentionkit-cli -- report --quiet --html target/cli-report.html > /dev/null
CHROMIUM="$CHROMIUM" node crates/retentionkit-cli/tests/browser/report.mjs \
  target/cli-report.html target/cli-report.png target/cli-report.pdf
