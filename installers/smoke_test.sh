#!/usr/bin/env bash
# Run the built bundle with no virtual environment (or any Python of ours) on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(pwd)/dist/pmodesk/pmodesk
EXPECTED=$(.venv/bin/python -c 'from importlib.metadata import version; print(version("pmodesk"))')
WORK=$(mktemp -d)
cd "$WORK"
export PATH=/usr/bin:/bin
unset VIRTUAL_ENV PYTHONPATH PYTHONHOME
"$BIN" --version | tee version.txt
grep -q "version $EXPECTED" version.txt || { echo "the bundle reports the wrong version (expected $EXPECTED)"; exit 1; }
"$BIN" demo demo.pmodesk
"$BIN" check demo.pmodesk || test $? -eq 1   # the demo has governance gaps on purpose: exit 1
"$BIN" metrics demo.pmodesk --json > metrics.json
"$BIN" boardpack demo.pmodesk -o pack.pdf
pdfinfo pack.pdf | grep -E "^Pages:"
pdffonts pack.pdf | awk 'NR > 2 && $(NF-4) != "yes" { print "font not embedded: " $0; bad = 1 } END { exit bad }'
"$BIN" boardpack demo.pmodesk -o pack.pptx
test -s pack.pptx
"$BIN" frontier demo.pmodesk --json > frontier.json
"$BIN" risk demo.pmodesk --runs 500 --json > risk.json
"$BIN" template template.xlsx
"$BIN" export demo.pmodesk demo.xlsx
"$BIN" import demo.xlsx again.pmodesk --dry-run
QT_QPA_PLATFORM=offscreen PMODESK_QUIT_AFTER_MS=3000 HOME="$WORK" timeout 60 "$BIN" open demo.pmodesk
echo "smoke test passed in $WORK"
