"""``python -m fic2book``: the same command line as ``fic2book``."""

from fic2book.cli import main

if __name__ == "__main__":
    main(prog_name="fic2book")
