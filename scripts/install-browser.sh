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
    echo "error: $CHROMIUM is missing and this script is not running as root." >&2
    echo "       install it with: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-noto-cjk

if [ ! -x "$CHROMIUM" ]; then
    echo "error: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
