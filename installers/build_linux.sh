#!/usr/bin/env bash
# Build the one-folder bundle, then a .deb and a self-installing tarball from it; print size and cold start.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
VERSION=$($PY -c 'from importlib.metadata import version; print(version("pmodesk"))')
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)
rm -rf build/pyinstaller dist/pmodesk
.venv/bin/pyinstaller --noconfirm --log-level WARN --workpath build/pyinstaller --distpath dist installers/pmodesk.spec

# .deb: /opt/pmodesk, a launcher on PATH, desktop entry, icon and the .pmodesk MIME type
STAGE=build/deb/pmodesk_${VERSION}_${ARCH}
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/mime/packages" "$STAGE/usr/share/icons/hicolor/256x256/apps"
cp -a dist/pmodesk "$STAGE/opt/pmodesk"
ln -s /opt/pmodesk/pmodesk "$STAGE/usr/bin/pmodesk"
cp resources/linux/pmodesk.desktop "$STAGE/usr/share/applications/"
cp resources/linux/pmodesk-mime.xml "$STAGE/usr/share/mime/packages/pmodesk.xml"
cp resources/icons/pmodesk-256.png "$STAGE/usr/share/icons/hicolor/256x256/apps/pmodesk.png"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: pmodesk
Version: ${VERSION}
Architecture: ${ARCH}
Maintainer: pmodesk <pmodesk@localhost>
Depends: libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libdbus-1-3, libglib2.0-0, libxcb-cursor0
Section: office
Priority: optional
Description: Value Delivery Office desktop application
 Is each initiative delivering the business value it was funded for? One SQLite file per portfolio.
CONTROL
cat > "$STAGE/DEBIAN/postinst" <<'POST'
#!/bin/sh
set -e
command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
command -v update-desktop-database >/dev/null && update-desktop-database -q || true
POST
chmod 755 "$STAGE/DEBIAN/postinst"
dpkg-deb --root-owner-group --build "$STAGE" "dist/pmodesk_${VERSION}_${ARCH}.deb" >/dev/null

# tarball for any distribution: the bundle plus install.sh for the current user
TARDIR=build/tar/pmodesk-${VERSION}
rm -rf "$TARDIR" && mkdir -p "$TARDIR"
cp -a dist/pmodesk "$TARDIR/pmodesk"
cp resources/linux/pmodesk.desktop resources/linux/pmodesk-mime.xml resources/icons/pmodesk-256.png "$TARDIR/"
cp installers/install-user.sh "$TARDIR/install.sh"
tar -C build/tar -czf "dist/pmodesk-${VERSION}-linux-${ARCH}.tar.gz" "pmodesk-${VERSION}"

echo "bundle:  dist/pmodesk ($(du -sh dist/pmodesk | cut -f1) on disk)"
echo "deb:     dist/pmodesk_${VERSION}_${ARCH}.deb ($(du -h "dist/pmodesk_${VERSION}_${ARCH}.deb" | cut -f1) compressed; goal < 150 MB)"
echo "tarball: dist/pmodesk-${VERSION}-linux-${ARCH}.tar.gz ($(du -h "dist/pmodesk-${VERSION}-linux-${ARCH}.tar.gz" | cut -f1))"
dist/pmodesk/pmodesk demo build/installer-start.pmodesk --replace >/dev/null
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
START=$(date +%s.%N)
QT_QPA_PLATFORM=offscreen PMODESK_QUIT_AFTER_MS=1 timeout 60 dist/pmodesk/pmodesk open build/installer-start.pmodesk \
    >/dev/null 2>&1 || true
END=$(date +%s.%N)
echo "cold start to the window on a new demo (offscreen): $(echo "$END - $START" | bc) s (goal < 3 s)"
