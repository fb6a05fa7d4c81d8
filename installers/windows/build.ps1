# Build pmodesk for Windows: one-folder bundle, then the Inno Setup installer. NOT TESTED (written on Linux).
# Needs: Python 3.11+, Inno Setup 6 (iscc on PATH). Run from the repository root:  .\installers\windows\build.ps1
$ErrorActionPreference = "Stop"
python -m venv .venv
.venv\Scripts\pip install --require-hashes -r requirements.lock
.venv\Scripts\pip install --no-deps --no-build-isolation -e .
$version = .venv\Scripts\python -c "from importlib.metadata import version; print(version('pmodesk'))"
.venv\Scripts\pyinstaller --noconfirm --workpath build\pyinstaller --distpath dist installers\pmodesk.spec
iscc /DAppVersion=$version installers\windows\pmodesk.iss
