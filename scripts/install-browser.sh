#!/usr/bin/env bash
# Install the system Chromium (and CJK fonts) used by the Playwright UI tests.
# Idempotent: does nothing when /usr/bin/chromium already exists.  Never downloads a browser
# through Playwright (`playwright install`): the tests launch /usr/bin/chromium explicitly.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    # Not fatal: the browser tests skip with a clear reason when the browser is missing.
    echo "warning: $CHROMIUM is missing and this script is not running as root; browser tests will be skipped." >&2
    echo "         install it with: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "warning: $CHROMIUM is missing and apt-get is not available; browser tests will be skipped." >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-noto-cjk

if [ ! -x "$CHROMIUM" ]; then
    echo "error: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
