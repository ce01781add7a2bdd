#!/usr/bin/env bash
# Check (and on Debian as root, install) the system libraries the pipeline needs:
# Pango/HarfBuzz for WeasyPrint, harfbuzz-subset for reproducible font subsetting,
# poppler-utils for the PDF tests and Chromium for the HTML twin's browser test (--test),
# optionally Chromium for the bench (--bench).
# Prints the exact command when it cannot install.
set -euo pipefail
missing=()
have_lib() { ldconfig -p 2>/dev/null | grep "$1" >/dev/null; }
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
    (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq >/dev/null \
      && apt-get install -y -qq chromium >/dev/null 2>&1) \
      || echo "warning: could not install chromium; the bench skips the Chromium comparison" >&2
  else
    echo "note: 'sudo apt-get install chromium' adds the bench's Chromium comparison (optional)" >&2
  fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if can_apt; then
  echo "installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "error: missing system packages: ${missing[*]}" >&2
echo "  fix: sudo apt-get install ${missing[*]}   (Debian/Ubuntu; Pango >= 1.44 is required)" >&2
exit 1
