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

import numpy as np

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
    # Column by column from the frame's numpy arrays: numeric columns are handed
    # over without a copy where the library can take them so (pyarrow always, polars
    # for contiguous arrays), instead of a reset_index() copy and a conversion.
    columns = {str(frame.index.name or "index"): frame.index.to_numpy()}
    for c in frame.columns:
        columns[str(c)] = frame[c].to_numpy()
    if library == POLARS:
        import polars as pl

        return pl.DataFrame([_polars_series(pl, name, values) for name, values in columns.items()])
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs

    return pa.table({name: pa.array(_whole_days(values)) for name, values in columns.items()})


def _polars_series(pl: Any, name: str, values: Any) -> Any:
    """A polars Series of a numpy column. Dates in days or seconds (what pandas keeps of the
    package's ``datetime64[D]`` dates; polars takes neither unit) as ``pl.Date``."""
    values = _whole_days(values)
    if values.dtype.kind == "M" and np.datetime_data(values.dtype)[0] == "D":
        return pl.Series(name, values.astype(np.int64).astype(np.int32)).cast(pl.Date)
    return pl.Series(name, values)


def _whole_days(values: Any) -> Any:
    """Dates kept by pandas in seconds (the package's ``datetime64[D]`` dates: period starts
    and ends) back in days, which pyarrow gives as ``date32``; other columns as they are."""
    if values.dtype.kind == "M" and np.datetime_data(values.dtype)[0] == "s":
        return values.astype("datetime64[D]")
    return values
