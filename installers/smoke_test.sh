#!/usr/bin/env bash
# Run the built bundle with no virtual environment (or any Python of ours) on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=$ROOT/dist/pmodesk/pmodesk
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
# A large file starts the child process that computes value at risk ("spawn": the bundle runs itself again
# and freeze_support() turns it into the child). Still there seconds later = it started as a child, not as
# the command line. make bench's large portfolio if there is one, else one of 120 initiatives (over the 4 MB
# from which a file opens in the background) made by make bench's generator.
if [ -f "$ROOT/build/bench-large.pmodesk" ]; then
  cp "$ROOT/build/bench-large.pmodesk" large.pmodesk
else
  (cd "$ROOT" && .venv/bin/python -c "import sys; sys.path.insert(0, 'bench'); from pathlib import Path; \
from generate import generate; generate(Path(sys.argv[1]), initiatives=120)" "$WORK/large.pmodesk")
fi
if [ "$(stat -c %s large.pmodesk)" -ge 4000000 ]; then
  QT_QPA_PLATFORM=offscreen PMODESK_QUIT_AFTER_MS=8000 HOME="$WORK" "$BIN" open large.pmodesk &
  WINDOW=$!
  sleep 5
  pgrep -P "$WINDOW" -f -- "--multiprocessing-fork" >/dev/null || { echo "the bundle's child process did not start"; kill "$WINDOW"; exit 1; }
  wait "$WINDOW"
  echo "the bundle's child process started"
fi
echo "smoke test passed in $WORK"
