"""Tables back in the caller's library.

The package computes every table as a pandas DataFrame (indexed by customer,
period or cohort) and hands it back in the library of the table it was given:

- a polars DataFrame in: a polars DataFrame out, the index as its first column;
- a pyarrow Table, RecordBatch or RecordBatchReader in: a pyarrow Table out,
  the index as its first column;
- anything else (pandas, a dict of numpy columns, a DuckDB relation, another
  Arrow producer): the pandas DataFrame, as before.

A small dispatch of our own rather than narwhals: the package already depends
on pandas (and polars and pyarrow are optional, imported only when the input
came from them), the conversions are two calls (``polars.from_pandas``,
``pyarrow.Table.from_pandas``), and narwhals would be a further dependency and
a further version range to keep in step for that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _input

PANDAS = "pandas"
POLARS = "polars"
PYARROW = "pyarrow"


def library_of(data: Any) -> str:
    """The library a table given by the caller comes from (``"pandas"`` when it has none)."""
    source = getattr(data, "_library", None)  # a TransactionLog: the library of its table
    if isinstance(source, str):
        return source
    if _input._is_polars(data):
        return POLARS
    if type(data).__module__.split(".")[0] == "pyarrow":
        return PYARROW
    return PANDAS


def like(data: Any, frame: "pd.DataFrame") -> Any:
    """``frame`` in the library of ``data`` (see the module documentation).

    A polars or pyarrow result has the frame's index as its first column and
    string column names; the frame's ``attrs`` (such as the ``unit`` of a
    summary) stay with pandas results only.
    """
    library = library_of(data)
    if library == PANDAS:
        return frame
    flat = frame.reset_index()
    flat.columns = [str(c) for c in flat.columns]
    if library == POLARS:
        import polars as pl

        return pl.from_pandas(flat)
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs

    return pa.Table.from_pandas(flat, preserve_index=False)
