#!/usr/bin/env bash
# Render the example report to docs/report-page-N.png (render -o .pdf through LibreOffice, then pdftoppm) for the
# README. The official fonts are drawn with Noto CJK through the test alias file, as on CI.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
FONTCONFIG_FILE="$PWD/tests/fonts/fonts.conf" "$PY" -m assistant render assistant/data/example_2024.json -o "$tmp/example.pdf" >/dev/null
rm -f docs/report-page-*.png
pdftoppm -r 60 -png "$tmp/example.pdf" docs/report-page
ls docs/report-page-*.png
