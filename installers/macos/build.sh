#!/usr/bin/env bash
# Build pmodesk.app and a .dmg on macOS. NOT TESTED (written on Linux). Run from the repository root:
#   bash installers/macos/build.sh
set -euo pipefail
python3 -m venv .venv
.venv/bin/pip install --require-hashes -r requirements.lock
.venv/bin/pip install --no-deps --no-build-isolation -e .
VERSION=$(.venv/bin/python -c 'from importlib.metadata import version; print(version("pmodesk"))')
.venv/bin/pyinstaller --noconfirm --windowed --name pmodesk --osx-bundle-identifier org.pmodesk.app \
  --add-data "resources/fonts:pmodesk/resources/fonts" --add-data "resources/icons:pmodesk/resources/icons" \
  --collect-data pmodesk --collect-submodules pmodesk --paths src installers/entry.py
# Declare the .pmodesk document type so Finder opens such files in pmodesk.
/usr/libexec/PlistBuddy -c "Add :CFBundleDocumentTypes array" \
  -c "Add :CFBundleDocumentTypes:0:CFBundleTypeName string 'pmodesk portfolio'" \
  -c "Add :CFBundleDocumentTypes:0:CFBundleTypeRole string Editor" \
  -c "Add :CFBundleDocumentTypes:0:CFBundleTypeExtensions array" \
  -c "Add :CFBundleDocumentTypes:0:CFBundleTypeExtensions:0 string pmodesk" \
  -c "Set :CFBundleShortVersionString $VERSION" dist/pmodesk.app/Contents/Info.plist
hdiutil create -volname pmodesk -srcfolder dist/pmodesk.app -ov -format UDZO "dist/pmodesk-$VERSION.dmg"
