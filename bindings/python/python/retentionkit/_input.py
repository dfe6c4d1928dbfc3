"""Turn what a notebook holds into the core's columns.

Ids become ``int64``/``uint64`` arrays (string ids are mapped to integers in
sorted order and the mapping kept), dates become ``int32`` days since
1970-01-01, amounts ``float64``. Arrays that already have the core's dtype
are passed on without a copy.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Any, Literal, Optional, Tuple

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from ._lazy import pandas_loaded

from . import _errors
from . import _retentionkit as _rk

_DAY_MIN = -719_162  # 0001-01-01
_DAY_MAX = 2_932_896  # 9999-12-31


def _is_polars(obj: Any) -> bool:
    return type(obj).__module__.split(".")[0] == "polars"


def _is_pandas(obj: Any) -> bool:
    """A pandas Series or Index (without importing pandas when nobody has)."""
    return pandas_loaded() and isinstance(obj, (pd.Series, pd.Index))


def _bad(column: str, row: int, reason: str) -> _rk.InvalidValueError:
    return _rk.InvalidValueError(f"column `{column}`, row {row}: {reason}", column=column, row=row)


def _has_arrow(obj: Any) -> bool:
    """Whether ``obj`` exports Arrow data through the Arrow PyCapsule interface."""
    kind = type(obj)
    return hasattr(kind, "__arrow_c_stream__") or hasattr(kind, "__arrow_c_array__")


def arrow_source(data: Any, customer_id: str, date: str, amount: Optional[str]) -> Any:
    """What the native ``ArrowColumns`` reads for the table ``data``, or None for the numpy route.

    The Arrow route (the Python README, "Inputs and outputs") takes every object with
    ``__arrow_c_stream__`` or ``__arrow_c_array__``: pyarrow tables, record batches and
    readers, DuckDB relations, polars DataFrames (the named columns only), and pandas
    frames whose named columns all have Arrow dtypes. Polars and pandas frames with an
    integer date column keep the numpy route, whose reading of integers (day numbers,
    or ``yyyymmdd`` dates when every value is one) they always had; other Arrow inputs
    read integer dates as the command line does (``yyyymmdd``, or ``date_format``).
    A frame lacking a named column also keeps the numpy route, which names it.
    """
    if isinstance(data, dict) or not _has_arrow(data):
        return None
    names = list(dict.fromkeys([customer_id, date] + ([] if amount is None else [amount])))
    if _is_polars(data):
        schema = getattr(data, "schema", None)
        if schema is None or not hasattr(data, "select") or any(n not in schema for n in names):
            return None
        if schema[date].is_integer():
            return None
        return data.select(names)
    if pandas_loaded() and isinstance(data, pd.DataFrame):
        if any(n not in data.columns for n in names):
            return None
        if not all(isinstance(data[n].dtype, pd.ArrowDtype) for n in names):
            return None
        import pyarrow as pa  # type: ignore[import-untyped]  # no stubs

        if pa.types.is_integer(data[date].dtype.pyarrow_dtype):
            return None
        return data[names]
    if (
        type(data).__module__.split(".")[0] == "pyarrow"
        and type(data).__name__ == "Table"
        and all(n in data.column_names for n in names)
    ):
        # The named columns only; several chunks joined by pyarrow (its allocator keeps
        # the memory of earlier calls, where a join in Rust faults in fresh pages every
        # call: 85 against 175-220 ms for 10^7 rows in 10 chunks, benches/python_routes.py),
        # so the core reads the joined buffers without a further copy.
        table = data.select(names)
        return table.combine_chunks() if any(c.num_chunks > 1 for c in table.columns) else table
    return data


def _to_numpy(values: Any, column: str) -> np.ndarray:
    """A 1-D numpy view (or copy when unavoidable) of a column-like object."""
    if _is_polars(values):
        if values.null_count() > 0:
            row = int(values.is_null().arg_true()[0])
            raise _bad(column, row, "missing value")
        import polars as pl

        if values.dtype == pl.Date:
            return values.cast(pl.Int32).to_numpy()
        if isinstance(values.dtype, pl.Datetime):
            return values.dt.date().cast(pl.Int32).to_numpy()
        if values.dtype in (pl.String, pl.Categorical) or isinstance(values.dtype, pl.Enum):
            return values.cast(pl.String).to_numpy()
        return values.to_numpy()
    if _is_pandas(values):
        na = values.isna()
        if bool(na.any()):
            row = int(np.flatnonzero(np.asarray(na))[0])
            raise _bad(column, row, "missing value")
        dtype = values.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None) if isinstance(values, pd.Series) else values.tz_localize(None)
            dtype = values.dtype
        if isinstance(dtype, np.dtype):
            return values.to_numpy()
        if pd.api.types.is_integer_dtype(dtype):
            return values.to_numpy(dtype="int64")
        if pd.api.types.is_float_dtype(dtype):
            return values.to_numpy(dtype="float64")
        if pd.api.types.is_datetime64_any_dtype(dtype):
            return values.to_numpy(dtype="datetime64[ns]")
        return values.to_numpy(dtype=object)
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise _rk.InvalidArgumentError(
            f"argument `{column}`: expected a 1-D column, got shape {arr.shape}", argument=column
        )
    return arr


def _id_kind(value: Any) -> str:
    """``"str"``, ``"int"`` (Python or numpy integers, bool excluded) or the type's name."""
    if isinstance(value, str):
        return "str"
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return "int"
    return type(value).__name__


def _object_ids(arr: np.ndarray, column: str) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """An object column of ids: all ``str`` (text ids) or all ``int``; anything else,
    a mix included, is an error at the first row whose kind differs from the first row's."""
    inferred = pd.api.types.infer_dtype(arr, skipna=False)
    if inferred == "string":
        return _text_ids(arr.tolist(), column)
    if inferred != "integer" and len(arr):
        first = _id_kind(arr[0])
        for row, value in enumerate(arr.tolist()):
            kind = _id_kind(value)
            if kind not in ("str", "int"):
                raise _bad(column, row, f"{value!r} ({kind}) is not a customer id: ids are strings or integers")
            if kind != first:
                raise _bad(
                    column,
                    row,
                    f"{value!r} is {'a string' if kind == 'str' else 'an integer'}, but the ids before it are "
                    f"{'strings' if first == 'str' else 'integers'}: a column of ids holds strings or "
                    f"integers, not both (convert it with .astype(str) to read every id as text)",
                )
    values = arr.tolist()
    try:
        return np.asarray(values, dtype=np.int64), None
    except OverflowError:
        pass
    try:
        return np.asarray(values, dtype=np.uint64), None
    except OverflowError:
        pass
    # Neither 64-bit type holds every id: name the first row that does not fit
    # (past 2**64 - 1 or below -2**63), or, when each fits alone, the first
    # negative id of a column that also holds ids past 2**63 - 1.
    for row, value in enumerate(values):
        if not -(2**63) <= value < 2**64:
            raise _bad(
                column,
                row,
                f"{value} is outside the 64-bit integer range [-2**63, 2**64 - 1] of integer ids "
                f"(convert the column with .astype(str) to read every id as text)",
            )
    row = next(i for i, v in enumerate(values) if v < 0)
    raise _bad(
        column,
        row,
        f"{values[row]} is negative while the column also holds ids past 2**63 - 1: no 64-bit "
        f"integer type holds both (convert the column with .astype(str) to read every id as text)",
    )


def _text_ids(texts: Any, column: str) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """Text ids by the core's rule (docs/input.md, "Customer ids"): trimmed text,
    compared exactly, coded in sorted order."""
    with _column_named(column):
        codes, labels = _rk.code_text_ids(texts)
    return codes, np.asarray(labels, dtype=object)


class _column_named:
    """Name the user's column in a core error about ``customer_id``."""

    def __init__(self, column: str) -> None:
        self._column = column

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, err: Any, tb: Any) -> "Literal[False]":
        if isinstance(err, _rk.RetentionError) and err.column == "customer_id" and self._column != "customer_id":
            msg = str(err).replace("column `customer_id`", f"column `{self._column}`", 1)
            raise _errors._with(err, msg, column=self._column) from None
        return False


def ids(values: Any, column: str = "customer_id") -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """Customer ids as ``int64``/``uint64`` and, for text ids, the labels.

    The rule of docs/input.md, "Customer ids": integer columns are integers
    (no copy for ``int64``/``uint64``); string columns are text ids, each its
    text without surrounding whitespace, compared exactly, coded by their
    rank among the sorted distinct ids (returned as labels); an object
    column holds all strings or all integers, and a mix raises
    :class:`InvalidValueError` at the first row of the other kind.
    """
    arr = _to_numpy(values, column)
    kind = arr.dtype.kind
    if kind == "u":
        return np.ascontiguousarray(arr, dtype=np.uint64), None
    if kind == "i":
        return np.ascontiguousarray(arr, dtype=np.int64), None
    if kind == "b":
        raise _rk.InvalidArgumentError(f"argument `{column}`: booleans are not customer ids", argument=column)
    if kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.floor(arr))
        if bool(bad.any()):
            row = int(np.flatnonzero(bad)[0])
            raise _bad(column, row, f"id {arr[row]!r} is not an integer")
        return np.ascontiguousarray(arr, dtype=np.int64), None
    if kind == "U":
        return _text_ids(arr.tolist(), column)
    if kind == "O":
        missing = pd.isna(arr)
        if bool(missing.any()):
            row = int(np.flatnonzero(missing)[0])
            raise _bad(column, row, "missing value")
        return _object_ids(arr, column)
    raise _rk.InvalidArgumentError(
        f"argument `{column}`: ids must be integers or strings, got dtype {arr.dtype}", argument=column
    )


def _days_from_datetime64(arr: np.ndarray, column: str) -> np.ndarray:
    nat = np.isnat(arr)
    if bool(nat.any()):
        row = int(np.flatnonzero(nat)[0])
        raise _bad(column, row, "missing date")
    return _days_from_int(arr.astype("datetime64[D]").view(np.int64), column)


def _days_from_int(arr: np.ndarray, column: str, order_days: bool = False) -> np.ndarray:
    """Integers as days since 1970-01-01; a column whose every value is a calendar date
    written ``yyyymmdd`` (as CDNOW ships, and as the CLI reads) as those dates.

    ``order_days``: the days are a transaction log's, which the core checks itself
    (``TransactionLog::new``: 1900-01-01..=2199-12-31, naming the row), more narrowly than
    the range below. Then an ``int32`` column takes one pass, its maximum (which tells
    ``yyyymmdd`` dates apart), and is passed on as it is.
    """
    if order_days and arr.dtype == np.int32 and arr.size and int(arr.max()) <= _DAY_MAX:
        return np.ascontiguousarray(arr)
    if arr.size == 0 or (int(arr.min()) >= _DAY_MIN and int(arr.max()) <= _DAY_MAX):
        return np.ascontiguousarray(arr, dtype=np.int32)
    days, ok = _yyyymmdd(arr)
    if bool(ok.all()):
        return days
    if bool(ok.any()):
        first, row = int(np.flatnonzero(ok)[0]), int(np.flatnonzero(~ok)[0])
        raise _bad(
            column,
            row,
            f"{arr[row]} is not a date written yyyymmdd like row {first}'s {arr[first]}: a column of "
            f"integer dates holds days since 1970-01-01 or yyyymmdd dates, not both",
        )
    row = int(np.flatnonzero((arr < _DAY_MIN) | (arr > _DAY_MAX))[0])
    raise _bad(column, row, f"day {arr[row]} is outside 0001-01-01..9999-12-31")


def _yyyymmdd(arr: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 of integers ``yyyymmdd`` (years 1000..9999), and which values
    are real calendar dates in that form (the days of the others are meaningless)."""
    v = np.clip(arr.astype(np.int64), 10_000_101, 99_991_231)
    y, m, d = v // 10_000, (v // 100) % 100, v % 100
    ok = (v == arr) & (m >= 1) & (m <= 12) & (d >= 1)
    month = ((y - 1970) * 12 + np.clip(m, 1, 12) - 1).astype("datetime64[M]")
    first = month.astype("datetime64[D]")
    length = ((month + 1).astype("datetime64[D]") - first).astype(np.int64)
    ok &= d <= length
    return np.ascontiguousarray(first.astype(np.int64) + (d - 1), dtype=np.int32), ok


def _days_with_format(values: Any, column: str, date_format: str) -> np.ndarray:
    """Text (or integer) dates in the ``strftime`` pattern ``date_format``, as days."""
    arr = _to_numpy(values, column)
    if arr.dtype.kind not in "iuOUS":
        raise _rk.InvalidArgumentError(
            f"argument `date_format`: the column `{column}` holds {arr.dtype} values, not text; "
            f"date_format reads dates written as text",
            argument="date_format",
        )
    text = pd.Series(arr.astype(str) if arr.dtype.kind in "iu" else arr.astype(object))
    parsed = pd.to_datetime(text, format=date_format, errors="coerce")
    nat = parsed.isna().to_numpy()
    if bool(nat.any()):
        row = int(np.flatnonzero(nat)[0])
        raise _bad(column, row, f"{text[row]!r} is not a date in the format {date_format!r}")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    return _days_from_datetime64(parsed.to_numpy(), column)


def days(
    values: Any, column: str = "date", date_format: Optional[str] = None, *, order_days: bool = False
) -> np.ndarray:
    """Dates as ``int32`` days since 1970-01-01.

    Accepts ``datetime64`` of any unit, pandas and polars date and datetime
    columns (time of day dropped, time zones as wall-clock dates), Python
    dates and datetimes, ISO strings (``YYYY-MM-DD``), and integers (taken
    as days since 1970-01-01, or as ``yyyymmdd`` dates when every value of
    the column is a calendar date written so: such values are past any day
    number's range, so the two readings never compete). With
    ``date_format`` (a ``strftime`` pattern), text or integers in that format.
    ``order_days=True`` (a transaction log's dates, which the core checks) reads an
    ``int32`` column of day numbers in one pass (see :func:`_days_from_int`).
    """
    if date_format is not None:
        return _days_with_format(values, column, date_format)
    dtype = getattr(values, "dtype", None)
    if pandas_loaded() and isinstance(dtype, pd.ArrowDtype) and not bool(values.isna().any()):
        import pyarrow as pa  # type: ignore[import-untyped]  # no stubs

        if pa.types.is_date32(dtype.pyarrow_dtype):
            # Arrow date32 (what Parquet readers give) is days since 1970-01-01,
            # retentionkit's day numbers: one cast, not a Python date per row.
            arrow = values.array.__arrow_array__()
            return np.require(arrow.cast(pa.int32()).to_numpy(), dtype=np.int32, requirements=["C", "A"])
    arr = _to_numpy(values, column)
    if arr.size == 0:
        # An empty column has no dtype to speak of (pandas makes it float64 or
        # object): the log's own check says the log is empty.
        return np.empty(0, dtype=np.int32)
    kind = arr.dtype.kind
    if kind == "M":
        return _days_from_datetime64(arr, column)
    if kind in "iu":
        return _days_from_int(arr, column, order_days)
    if kind in "OUS":
        obj = arr.astype(object, copy=False)
        # Python dates and datetimes pass through; strings are parsed as ISO 8601.
        try:
            parsed = pd.to_datetime(pd.Series(obj), errors="coerce", format="ISO8601")
        except ValueError:
            # Mixed UTC offsets (pandas parses only one offset per column): each
            # value's own wall-clock date, as for a column with one time zone.
            parsed = pd.Series([_wall_clock(v) for v in obj], dtype="datetime64[ns]")
        nat = parsed.isna().to_numpy()
        if bool(nat.any()):
            row = int(np.flatnonzero(nat)[0])
            raise _bad(column, row, f"{obj[row]!r} is not a date (expected an ISO date such as '2024-03-01')")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_localize(None)
        # In the unit pandas chose: forcing nanoseconds would wrap a date past
        # 2262 (9999-12-31 became 1816-03-29) instead of reporting it.
        as_dates = parsed.to_numpy()
        if as_dates.dtype.kind != "M":
            as_dates = parsed.to_numpy(dtype="datetime64[ns]")
        return _days_from_datetime64(as_dates, column)
    raise _rk.InvalidArgumentError(
        f"argument `{column}`: cannot read dates from dtype {arr.dtype}", argument=column
    )


def _wall_clock(value: Any) -> Any:
    """One date or date-time value as a time-zone-naive wall-clock timestamp (NaT when it is none)."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return pd.NaT
    return ts if ts is pd.NaT or ts.tzinfo is None else ts.tz_localize(None)


def amounts(values: Any, column: str = "amount") -> np.ndarray:
    """Amounts as ``float64`` (no copy when they already are)."""
    arr = _to_numpy(values, column)
    if arr.dtype.kind not in "iuf":
        raise _rk.InvalidArgumentError(
            f"argument `{column}`: amounts must be numbers, got dtype {arr.dtype}", argument=column
        )
    return np.ascontiguousarray(arr, dtype=np.float64)


def day(value: Any, name: str) -> int:
    """One date argument (string, date, datetime, numpy or pandas) as a day number."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        try:
            return int(_rk.parse_day(value))
        except _rk.RetentionError:
            raise _rk.InvalidArgumentError(
                f"argument `{name}`: {value!r} is not an ISO date such as '2024-03-01'", argument=name
            ) from None
    if pandas_loaded() and isinstance(value, (pd.Timestamp, type(pd.NaT))):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            raise _rk.InvalidArgumentError(f"argument `{name}`: missing date", argument=name)
        return int((ts.normalize().tz_localize(None) - pd.Timestamp("1970-01-01")).days)
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise _rk.InvalidArgumentError(f"argument `{name}`: missing date", argument=name)
        # Whole days, rounded down as pandas' normalize() does.
        return int(value.astype("datetime64[D]").astype(np.int64))
    if isinstance(value, _dt.datetime):
        value = value.date()  # the wall-clock date, time zone dropped
    if isinstance(value, _dt.date):
        return (value - _dt.date(1970, 1, 1)).days
    raise _rk.InvalidArgumentError(
        f"argument `{name}`: cannot read a date from {type(value).__name__}", argument=name
    )


def dates_of(day_numbers: Any) -> np.ndarray:
    """Day numbers as ``datetime64[D]``."""
    return np.asarray(day_numbers, dtype=np.int64).astype("datetime64[D]")


def optional_days(values: Any, column: str) -> Tuple[np.ndarray, np.ndarray]:
    """Dates that may be missing (None, NaN, NaT, null): ``int32`` day numbers (0 where
    missing) and a ``bool`` mask that is True where a date is given.

    Row numbers in errors count all rows, missing ones included.
    """
    if _is_polars(values):
        missing = values.is_null().to_numpy()
    elif _is_pandas(values):
        missing = np.asarray(values.isna())
        values = values.to_numpy()
    else:
        values = np.asarray(values)
        if values.ndim != 1:
            raise _rk.InvalidArgumentError(
                f"argument `{column}`: expected a 1-D column, got shape {values.shape}", argument=column
            )
        missing = np.isnat(values) if values.dtype.kind == "M" else np.asarray(pd.isna(values))
    missing = np.asarray(missing, dtype=bool)
    present = ~missing
    out = np.zeros(len(present), dtype=np.int32)
    rows = np.flatnonzero(present)
    if len(rows):
        if _is_polars(values):
            import polars as pl

            given = values.filter(pl.Series(present))
        else:
            given = values[present]
            if given.dtype.kind == "O" and all(
                isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in given
            ):
                given = given.astype(np.int64)  # day numbers with None among them
            elif given.dtype.kind == "f" and bool(np.all(given == np.floor(given))):
                given = given.astype(np.int64)  # day numbers with NaN among them
        try:
            out[present] = days(given, column)
        except _rk.InvalidValueError as err:
            # The row number counts the given dates only: count all rows.
            match = re.search(r"row (\d+)", str(err))
            if match is None:
                raise
            row = int(rows[int(match.group(1))])
            raise _errors._with(err, str(err).replace(match.group(0), f"row {row}", 1), row=row) from None
    return out, np.ascontiguousarray(present)



def native(values: Any, dtype: Any) -> np.ndarray:
    """A C-contiguous, aligned array of ``dtype``, as the native module takes
    (buffers unpickled on a Dask worker can be misaligned; only those are copied)."""
    return np.require(np.asarray(values), dtype=dtype, requirements=["C", "A"])
