#!/usr/bin/env bash
# Makes headless Chromium available for the tests that render HTML reports: already on PATH,
# else the Debian package `chromium` (as root, after `apt-get update`), else a clear error.
# Prints the path of the browser.
set -euo pipefail

find_browser() {
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if find_browser; then exit 0; fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing chromium from the Debian package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends chromium fonts-dejavu-core >&2
  if find_browser; then exit 0; fi
fi

cat >&2 <<'MSG'
headless Chromium not found and cannot be installed here.
Install it with:
  sudo apt-get update && sudo apt-get install -y chromium   (Debian/Ubuntu)
  or put chromium (or chromium-browser, google-chrome) on PATH
MSG
exit 1
