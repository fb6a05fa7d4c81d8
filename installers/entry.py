"""The bundled program's entry point (PyInstaller freezes this file)."""

from pmodesk.cli import main

if __name__ == "__main__":
    main()
