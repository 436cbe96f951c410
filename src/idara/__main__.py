"""Allow `python -m idara`."""

from idara.cli import main

main()
