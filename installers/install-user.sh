#!/usr/bin/env sh
# Install pmodesk for the current user from this unpacked tarball: program, launcher, menu entry,
# icon and the .pmodesk file type. Re-run to upgrade; remove ~/.local/opt/pmodesk to uninstall.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
mkdir -p "$PREFIX/opt" "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/mime/packages" \
         "$PREFIX/share/icons/hicolor/256x256/apps"
rm -rf "$PREFIX/opt/pmodesk"
cp -a "$HERE/pmodesk" "$PREFIX/opt/pmodesk"
ln -sf "$PREFIX/opt/pmodesk/pmodesk" "$PREFIX/bin/pmodesk"
sed "s#^Exec=pmodesk#Exec=$PREFIX/bin/pmodesk#" "$HERE/pmodesk.desktop" > "$PREFIX/share/applications/pmodesk.desktop"
cp "$HERE/pmodesk-mime.xml" "$PREFIX/share/mime/packages/pmodesk.xml"
cp "$HERE/pmodesk-256.png" "$PREFIX/share/icons/hicolor/256x256/apps/pmodesk.png"
command -v update-mime-database >/dev/null && update-mime-database "$PREFIX/share/mime" || true
echo "pmodesk installed in $PREFIX/opt/pmodesk; run: $PREFIX/bin/pmodesk"
