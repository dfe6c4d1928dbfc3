#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) for the browser tests (the
# CLI's HTML report and the wasm demo page). Browsers cannot be downloaded by
# test tools on these machines; Debian's package can. Idempotent; does
# nothing when chromium is already there. Prints the path.
set -euo pipefail
if ! [ -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core >/dev/null
fi
echo /usr/bin/chromium
