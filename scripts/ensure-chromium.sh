#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the dashboard's browser test
# (test/dashboard.e2e-spec.ts) when /usr/bin/chromium is missing. Idempotent and
# quiet: prints one line when it installs, nothing when Chromium is already there.
# Needs root (CI runs as root); apt output goes to a log shown only on failure.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ensure-chromium: $CHROMIUM is missing and this is not root (install Debian's 'chromium' package)" >&2
    exit 1
  fi
fi

log=$(mktemp -t ensure-chromium.XXXXXX.log)
trap 'rm -f "$log"' EXIT
echo "ensure-chromium: installing Debian's chromium package (one-off)…" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
  echo "ensure-chromium: apt-get failed:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: chromium installed but $CHROMIUM is missing" >&2
  exit 1
fi
