#!/usr/bin/env bash
# Check (and on Debian as root, install) the system libraries the pipeline needs:
# Pango/HarfBuzz for WeasyPrint, harfbuzz-subset for reproducible font subsetting,
# poppler-utils for the PDF tests and Chromium for the HTML twin's browser test (--test),
# optionally Chromium for the bench (--bench).
# Prints the exact command when it cannot install.
#
# Works under cron's PATH (env -i PATH=/usr/bin:/bin make): ldconfig lives in /usr/sbin, so it is
# looked for there too, and without it the usual library folders are searched. apt-get runs
# only when a library is missing, and then waits (up to BRIEFING_APT_WAIT seconds, 300 by
# default) for another apt or dpkg to release its lock instead of failing.
set -euo pipefail
missing=()
ldconfig_bin="$(command -v ldconfig 2>/dev/null || true)"
for candidate in /usr/sbin/ldconfig /sbin/ldconfig; do
  if [ -z "$ldconfig_bin" ] && [ -x "$candidate" ]; then ldconfig_bin="$candidate"; fi
done
have_lib() {
  # (grep without -q: under pipefail, an early exit of grep would fail ldconfig with SIGPIPE)
  if [ -n "$ldconfig_bin" ] && "$ldconfig_bin" -p 2>/dev/null | grep -F "$1" >/dev/null; then return 0; fi
  local dir
  for dir in /usr/lib /usr/lib64 /lib /lib64 /usr/local/lib /usr/lib/*-linux-gnu* /lib/*-linux-gnu*; do
    [ -e "$dir/$1" ] && return 0
  done
  return 1
}
# Locks apt and dpkg hold while they run (fcntl locks: tested with Python's lockf).
apt_locks="${BRIEFING_DPKG_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock}"
apt_lock_held() {
  command -v python3 >/dev/null 2>&1 || return 1
  local lock
  for lock in $apt_locks; do
    [ -e "$lock" ] || continue
    python3 - "$lock" <<'PY' || return 0
import fcntl, sys
with open(sys.argv[1], "a") as fh:
    try:
        fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(1)
PY
  done
  return 1
}
wait_for_apt() {
  local limit="${BRIEFING_APT_WAIT:-300}" waited=0
  while apt_lock_held; do
    if [ "$waited" -ge "$limit" ]; then
      echo "error: another apt or dpkg still holds its lock after ${limit} s" >&2
      echo "  fix: let it finish (or see 'ps aux | grep -E \"apt|dpkg\"'), then run make again" >&2
      exit 1
    fi
    [ "$waited" -eq 0 ] && echo "waiting for another apt or dpkg to finish (up to ${limit} s) ..." >&2
    sleep 2
    waited=$((waited + 2))
  done
}
if [ "${1:-}" = "--wait-for-apt" ]; then wait_for_apt; exit 0; fi
apt_get() { wait_for_apt; apt-get -o DPkg::Lock::Timeout="${BRIEFING_APT_WAIT:-300}" "$@"; }
have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
if [ "${1:-}" = "--test" ]; then
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  # tests/test_html_twin.py opens output/briefing.html in headless Chromium
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
fi
can_apt() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; }
if [ "${1:-}" = "--bench" ] && ! command -v chromium >/dev/null 2>&1; then
  # Optional: the bench prints the seed's HTML with headless Chromium too (information only).
  # A failed install only skips that comparison; the bench says so.
  if can_apt; then
    echo "installing chromium for the bench's WeasyPrint/Chromium comparison (optional)" >&2
    (export DEBIAN_FRONTEND=noninteractive; apt_get update -qq >/dev/null \
      && apt_get install -y -qq chromium >/dev/null 2>&1) \
      || echo "warning: could not install chromium; the bench skips the Chromium comparison" >&2
  else
    echo "note: 'sudo apt-get install chromium' adds the bench's Chromium comparison (optional)" >&2
  fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if can_apt; then
  echo "installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if apt_get update -qq >/dev/null && apt_get install -y -qq "${missing[@]}" >/dev/null; then exit 0; fi
  echo "error: could not install system packages: ${missing[*]}" >&2
  echo "  fix: run 'apt-get install ${missing[*]}' and read its message (network? disk space?)" >&2
  exit 1
fi
echo "error: missing system packages: ${missing[*]}" >&2
echo "  fix: sudo apt-get install ${missing[*]}   (Debian/Ubuntu; Pango >= 1.44 is required)" >&2
exit 1
