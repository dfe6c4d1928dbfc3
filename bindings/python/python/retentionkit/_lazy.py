"""pandas, imported on first use.

Every table the package returns is a pandas DataFrame, but many calls return
none (KPIs of one period, model predictions on numpy arrays, what-if
numbers), and importing pandas (and the pyarrow it loads) costs about 0.5 s
and 100 MiB of resident memory. The modules bind ``pd`` to :data:`pandas`
below; its first attribute access imports pandas. Checks of the form "is
this a pandas object" look at ``sys.modules`` first (:func:`pandas_loaded`):
no pandas object can exist before pandas is imported.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any


class LazyModule:
    """A module imported on the first attribute access."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


pandas = LazyModule("pandas")


def pandas_loaded() -> bool:
    """Whether pandas has been imported (by anyone) in this process."""
    return "pandas" in sys.modules
