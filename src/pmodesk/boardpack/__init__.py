"""The PDF board pack (DESIGN.md section 10). Numbers come only from :mod:`pmodesk.engine`."""
