"""Execute a notebook top to bottom (nbclient) and fail on the first cell that raises.

Usage: python bindings/python/tests/run_notebook.py docs/python-quickstart.ipynb
The notebook runs with its own folder as the working directory; nothing is written back.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def main(path: str) -> None:
    nb_path = Path(path).resolve()
    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(nb_path.parent)}},
    )
    client.execute()
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"{nb_path.name}: {cells} code cells ran without error")


if __name__ == "__main__":
    main(sys.argv[1])
