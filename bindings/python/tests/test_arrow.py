"""Tables from any Arrow producer (the Arrow PyCapsule interface), read by the rules the
command line's Parquet reader follows, and results in the caller's library (issue 20)."""

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import retentionkit as rk
from retentionkit import _retentionkit as _rk


@pytest.fixture(scope="module")
def shop():
    """The demo shop as numpy columns (the reference route) and as a pyarrow table."""
    orders = rk.demo_shop(customers=2_000, days=400)
    ids = orders["customer_id"].to_numpy()
    days = orders["date"].to_numpy().astype("datetime64[D]").astype(np.int64).astype(np.int32)
    amounts = orders["amount"].to_numpy()
    table = pa.table({"customer_id": pa.array(ids), "date": pa.array(days, pa.date32()), "amount": pa.array(amounts)})
    numpy_cols = {"customer_id": ids, "date": days, "amount": amounts}
    return numpy_cols, table


def pandas_of(result):
    """A polars or pyarrow result as the pandas frame of the numpy route (index first)."""
    frame = result.to_pandas()
    return frame.set_index(frame.columns[0])


def assert_same(got, expected):
    assert list(got.columns) == list(expected.columns)
    np.testing.assert_array_equal(got.index.to_numpy(), expected.index.to_numpy())
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())


def test_pyarrow_table_is_read_without_a_copy_and_gives_a_pyarrow_table(shop):
    numpy_cols, table = shop
    expected = rk.summary(numpy_cols, amount="amount")
    got = rk.summary(table, amount="amount")
    assert isinstance(got, pa.Table)
    assert got.column_names == ["customer_id", "frequency", "recency", "T", "monetary_value"]
    assert_same(pandas_of(got), expected)
    # No copy: the log the core reads holds the very value buffer pyarrow allocated
    # (buffers()[1] of a primitive array is its values; [0] its validity bitmap).
    cols = _rk.ArrowColumns(table, "customer_id", "date", "amount")
    assert cols.zero_copy
    assert cols.ids_address == table.column("customer_id").chunk(0).buffers()[1].address


def test_several_batches_equal_one(shop):
    numpy_cols, table = shop
    batches = table.to_batches(max_chunksize=777)
    assert len(batches) > 3
    chunked = pa.Table.from_batches(batches)
    expected = rk.cohort_matrix(numpy_cols, values="count")
    assert_same(pandas_of(rk.cohort_matrix(chunked, values="count")), expected.rename(columns=str))
    reader = pa.RecordBatchReader.from_batches(table.schema, batches)
    got = rk.summary(reader, amount="amount")
    assert isinstance(got, pa.Table)
    assert_same(pandas_of(got), rk.summary(numpy_cols, amount="amount"))
    # Several batches are gathered into the core's columns: one copy, no longer zero-copy.
    assert not _rk.ArrowColumns(chunked, "customer_id", "date", "amount").zero_copy


def test_polars_in_polars_out(shop):
    numpy_cols, _ = shop
    frame = pl.DataFrame(
        {
            "customer_id": numpy_cols["customer_id"],
            "date": pl.Series(numpy_cols["date"]).cast(pl.Date),
            "amount": numpy_cols["amount"],
            "other": 1,  # a column the log does not read is not exported
        }
    )
    got = rk.summary(frame, amount="amount")
    assert isinstance(got, pl.DataFrame)
    assert_same(pandas_of(got), rk.summary(numpy_cols, amount="amount"))
    k = rk.kpis(frame, amount="amount")
    assert isinstance(k, pl.DataFrame) and k.columns[0] == "period"
    # A TransactionLog built from a polars frame returns polars tables too.
    assert isinstance(rk.rfm(rk.TransactionLog(frame, amount="amount")), pl.DataFrame)


def test_pandas_and_dicts_keep_pandas(shop):
    numpy_cols, table = shop
    assert isinstance(rk.summary(numpy_cols), pd.DataFrame)
    assert isinstance(rk.summary(pd.DataFrame(numpy_cols)), pd.DataFrame)
    # pandas with Arrow dtypes takes the Arrow route and stays pandas.
    arrow_frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    assert isinstance(arrow_frame["date"].dtype, pd.ArrowDtype)
    assert_same(rk.summary(arrow_frame, amount="amount"), rk.summary(numpy_cols, amount="amount"))


def test_duckdb_relation_or_a_stream_without_a_library(shop):
    numpy_cols, table = shop

    class Stream:
        """An Arrow producer of no known library (as a DuckDB relation is): pandas out."""

        def __init__(self, inner):
            self._inner = inner

        def __arrow_c_stream__(self, requested_schema=None):
            return self._inner.__arrow_c_stream__(requested_schema)

    got = rk.summary(Stream(table), amount="amount")
    assert isinstance(got, pd.DataFrame)
    assert_same(got, rk.summary(numpy_cols, amount="amount"))
    duckdb = pytest.importorskip("duckdb")
    rel = duckdb.from_arrow(table)
    assert_same(rk.summary(rel, amount="amount"), rk.summary(numpy_cols, amount="amount"))


def test_a_record_batch_through_arrow_c_array(shop):
    numpy_cols, table = shop

    class Batch:
        def __init__(self, inner):
            self._inner = inner

        def __arrow_c_array__(self, requested_schema=None):
            return self._inner.__arrow_c_array__(requested_schema)

    batch = table.combine_chunks().to_batches()[0]
    assert_same(rk.summary(Batch(batch), amount="amount"), rk.summary(numpy_cols, amount="amount"))


def test_string_and_dictionary_ids_follow_the_numpy_route():
    ids = ["b", " a", "c", "b", "a "]  # text ids are trimmed: " a" and "a " are "a"
    days = [19_723, 19_724, 19_730, 19_750, 19_760]
    expected = rk.summary({"customer_id": np.array(ids, dtype=object), "date": np.array(days, dtype=np.int32)})
    for id_array in (pa.array(ids), pa.array(ids, pa.large_string()), pa.array(ids).dictionary_encode()):
        table = pa.table({"customer_id": id_array, "date": pa.array(days, pa.date32())})
        got = pandas_of(rk.summary(table))
        assert list(got.index) == ["a", "b", "c"]
        assert_same(got, expected)
    log = rk.TransactionLog(pa.table({"customer_id": pa.array(ids), "date": pa.array(days, pa.date32())}))
    assert list(log.labels) == ["a", "b", "c"]


def test_timestamps_with_a_zone_are_dates_in_that_zone():
    # 2024-01-01 23:30 UTC is 2024-01-02 00:30 in Berlin (UTC+1 in winter): day 19724,
    # one day after 2024-01-01 (day 19723 = 54 years * 365 + 13 leap days since 1970).
    instant = dt.datetime(2024, 1, 1, 23, 30, tzinfo=dt.timezone.utc)
    utc = pa.array([instant], pa.timestamp("us", tz="UTC"))
    berlin = pa.array([instant], pa.timestamp("us", tz="Europe/Berlin"))
    for dates, day in ((utc, 19_723), (berlin, 19_724)):
        log = rk.TransactionLog(pa.table({"customer_id": pa.array([1], pa.int64()), "date": dates}))
        assert log.days.tolist() == [day]


def test_a_null_names_its_row_and_column():
    table = pa.table(
        {
            "user": pa.array([1, 2, 3], pa.int64()),
            "day": pa.array([19_723, None, 19_724], pa.date32()),
        }
    )
    with pytest.raises(rk.InvalidValueError, match=r"column `day`, row 1: expected a date, found an empty value") as e:
        rk.summary(table, customer_id="user", date="day")
    assert (e.value.column, e.value.row) == ("day", 1)
    # In a later batch, the row counts the rows of the batches before it.
    two = pa.Table.from_batches(
        [pa.record_batch({"user": pa.array([1, 2], pa.int64()), "day": pa.array([19_723, 19_724], pa.date32())}),
         pa.record_batch({"user": pa.array([None, 4], pa.int64()), "day": pa.array([19_723, 19_724], pa.date32())})]
    )
    with pytest.raises(rk.InvalidValueError, match=r"column `user`, row 2: ") as e:
        rk.summary(two, customer_id="user", date="day")
    assert e.value.row == 2


def test_a_wrong_type_names_the_column():
    table = pa.table({"customer_id": pa.array([1.5, 2.0]), "date": pa.array([19_723, 19_724], pa.date32())})
    with pytest.raises(rk.InvalidArgumentError, match=r'column "customer_id" is of type float64; expected customer ids'):
        rk.summary(table)
    table = pa.table({"customer_id": pa.array([1, 2]), "when": pa.array([True, False])})
    with pytest.raises(rk.InvalidArgumentError, match=r'column "when" is of type boolean; expected order dates'):
        rk.summary(table, date="when")
    with pytest.raises(rk.MissingColumnError, match=r"column `date` is required .* 'customer_id', 'when'"):
        rk.summary(table)


def test_bad_values_are_the_cores_errors_at_their_rows():
    # The zero-copy route leaves the checks to the core: a negative int64 id at row 1.
    table = pa.table({"customer_id": pa.array([1, -5], pa.int64()), "date": pa.array([19_723, 19_724], pa.date32())})
    with pytest.raises(rk.InvalidValueError, match=r"row 1") as e:
        rk.summary(table)
    assert e.value.row == 1


def test_int32_day_numbers_of_a_log_take_one_pass_and_the_core_checks_them():
    # The numpy route reads an int32 column of day numbers as it is (its maximum tells it
    # from yyyymmdd dates); a day outside the core's 1900-01-01..2199-12-31 is still an
    # error at its row: -800000 is before 0001-01-01 (day -719162).
    days = np.array([19_723, -800_000, 19_724], dtype=np.int32)
    with pytest.raises(rk.InvalidValueError, match=r"column `day`, row 1: .*outside") as e:
        rk.summary({"customer_id": np.array([1, 2, 3]), "day": days}, date="day")
    assert e.value.row == 1
    # yyyymmdd int32 dates are still dates: 1997-01-01 is day 9862 (27 * 365 + 7 leap days).
    log = rk.TransactionLog({"customer_id": [1], "date": np.array([19970101], dtype=np.int32)})
    assert log.days.tolist() == [9862]


def test_lifecycle_follows_the_input_library(shop):
    numpy_cols, table = shop
    expected = rk.lifecycle(numpy_cols)
    got = rk.lifecycle(table)
    assert isinstance(got, pa.Table) and got.column_names[0] == "period"
    assert got.column("new").to_pylist() == expected["new"].tolist()


def test_period_dates_are_dates_in_every_library(shop):
    numpy_cols, table = shop
    polars_kpis = rk.kpis(pl.from_arrow(table), amount="amount")
    assert polars_kpis.schema["start"] == pl.Date
    arrow_kpis = rk.kpis(table, amount="amount")
    assert arrow_kpis.schema.field("start").type == pa.date32()
    expected = rk.kpis(numpy_cols, amount="amount")
    assert arrow_kpis.column("start").to_pylist() == [d.date() for d in expected["start"]]
