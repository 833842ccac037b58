#!/usr/bin/env bash
# Render the example report to docs/report-page-N.png (LibreOffice, then pdftoppm) for the README.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
.venv/bin/python -m assistant render assistant/data/example_2024.json -o "$tmp/example.docx"
FONTCONFIG_FILE="$PWD/tests/fonts/fonts.conf" HOME="$tmp" soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/example.docx" >/dev/null
rm -f docs/report-page-*.png
pdftoppm -r 60 -png "$tmp/example.pdf" docs/report-page
ls docs/report-page-*.png
