from pmodesk.cli import main

main()
