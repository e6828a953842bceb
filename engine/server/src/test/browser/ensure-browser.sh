#!/bin/sh
# Makes sure the ops dashboard's browser test has what it needs, installing what is missing:
#   - Debian's chromium (apt-get; a test tool's own browser download does not work here);
#   - playwright-core from npm, into target/browser-tools (no browser download: it drives the
#     system chromium through executablePath).
# Idempotent and quick when both are present. Usage: ensure-browser.sh <tools-directory>
# Exit status 0 when ready; non-zero with a reason on stderr otherwise.
set -eu
tools="${1:?usage: ensure-browser.sh <tools-directory>}"
PLAYWRIGHT_VERSION="1.64.1"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium is missing and cannot be installed (needs root and apt-get)" >&2
    exit 3
  fi
  echo "installing Debian chromium ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
fi

if [ ! -f "$tools/node_modules/playwright-core/package.json" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: cannot install playwright-core" >&2
    exit 4
  fi
  echo "installing playwright-core $PLAYWRIGHT_VERSION into $tools ..." >&2
  mkdir -p "$tools"
  # No browser download: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is belt and braces for -core.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$tools" --no-audit --no-fund \
      --silent "playwright-core@$PLAYWRIGHT_VERSION" >&2
fi
command -v chromium
