#!/usr/bin/env bash
# The browser the report tests drive: Chromium from the OS packages, never a browser download
# (no `playwright install`; the tests point Playwright at /usr/bin/chromium). Runs as root in CI.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no /usr/bin/chromium and no apt-get; install Chromium with your OS package manager" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
