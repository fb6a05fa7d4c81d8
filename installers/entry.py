"""The bundled program's entry point (PyInstaller freezes this file)."""

import multiprocessing

if __name__ == "__main__":
    # The window computes value at risk in a child process started with "spawn": in a bundle that child
    # is this program again, and freeze_support() runs the child's work and exits instead of the CLI.
    multiprocessing.freeze_support()
    from pmodesk.cli import main

    main()
