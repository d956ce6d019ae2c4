#!/usr/bin/env bash
# Makes promtool, amtool, prometheus, prometheus-alertmanager and prometheus-node-exporter (a real
# exporter nobody here wrote, for the live check's tests) available, in this order:
# already on PATH; the Debian packages (as root); the official container images through docker
# (wrapper scripts in .tools/bin, for machines without apt); otherwise a clear error.
# Prints the directory holding the tools, to prepend to PATH.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
tools=(promtool amtool prometheus prometheus-alertmanager prometheus-node-exporter)

have_all() {
  for tool in "${tools[@]}"; do command -v "$tool" >/dev/null 2>&1 || return 1; done
}

if have_all; then
  dirname "$(command -v promtool)"
  exit 0
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing prometheus, prometheus-alertmanager and prometheus-node-exporter from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends prometheus prometheus-alertmanager prometheus-node-exporter >&2
  # The packages start their services where an init system runs; tests start their own.
  if have_all; then
    dirname "$(command -v promtool)"
    exit 0
  fi
fi

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  echo "using the official container images through docker" >&2
  bin="$here/.tools/bin"
  mkdir -p "$bin"
  wrap() { # name image entrypoint
    printf '#!/usr/bin/env bash\nexec docker run --rm -i --network host -v "$PWD:$PWD" -w "$PWD" --entrypoint %s %s "$@"\n' "$3" "$2" >"$bin/$1"
    chmod +x "$bin/$1"
  }
  wrap promtool prom/prometheus:v2.42.0 promtool
  wrap prometheus prom/prometheus:v2.42.0 prometheus
  wrap amtool prom/alertmanager:v0.25.0 amtool
  wrap prometheus-alertmanager prom/alertmanager:v0.25.0 alertmanager
  wrap prometheus-node-exporter prom/node-exporter:v1.5.0 /bin/node_exporter
  echo "$bin"
  exit 0
fi

missing=()
for tool in "${tools[@]}"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
echo "not found and cannot be installed here: ${missing[*]}" >&2
cat >&2 <<'MSG'
Install them with one of:
  sudo apt-get update && sudo apt-get install -y prometheus prometheus-alertmanager prometheus-node-exporter   (Debian/Ubuntu)
  or put promtool, amtool, prometheus, alertmanager (as prometheus-alertmanager) and
     node_exporter (as prometheus-node-exporter) on PATH
  or run with a working docker engine (the official images are used)
MSG
exit 1
