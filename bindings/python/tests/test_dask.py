"""retentionkit.dask on a real two-process distributed.LocalCluster.

Every expected table here is the single-machine API's (retentionkit.kpis,
cohort_matrix, summary, a model's fit) on the same pandas data: the Dask path
computes partials per partition and merges them, a different route to the same
numbers. Counts must be equal exactly; sums of floats (revenue, monetary value)
may differ in the last bits because they are added in another order, which
pandas' default assert_frame_equal tolerance (rtol 1e-5) allows; the tests that
need bit equality say so with check_exact=True.
"""

import pickle
import numpy as np
import pandas as pd
import pytest

import retentionkit as rk

dd = pytest.importorskip("dask.dataframe")
pa = pytest.importorskip("pyarrow")
distributed = pytest.importorskip("distributed")
import retentionkit.dask as rkd  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def big():
    """10^6 orders of 150,000 customers over three years (seeded), ids sparse int64, amounts in cents."""
    rng = np.random.default_rng(20261123)
    n = 1_000_000
    customers = rng.choice(10**12, size=150_000, replace=False).astype(np.int64)
    # Skewed activity: some customers order far more often than others.
    who = customers[np.minimum(rng.zipf(1.3, n) - 1, len(customers) - 1)]
    day = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 1096, n), unit="D")
    amount = np.round(rng.lognormal(3.5, 0.7, n), 2)
    return pd.DataFrame({"customer": who, "day": day, "amount": amount})


def as_dask(frame, npartitions):
    # Unsorted rows split by position: every customer is in several partitions,
    # so the functions must shuffle.
    return dd.from_pandas(frame.sample(frac=1.0, random_state=7), npartitions=npartitions, sort=False)


# --- CDNOW (tests/data/CDNOW_sample.txt, 6,919 orders of 2,357 customers) ---------------


@pytest.mark.parametrize("unit", ["days", "weeks"])
def test_cdnow_summary_equals_single_machine(client, cdnow, unit):
    ddf = as_dask(cdnow[["id", "date", "amount"]], 4)
    ours = rkd.summary(ddf, customer_id="id", date="date", amount="amount", unit=unit)
    whole = rk.summary(cdnow, customer_id="id", date="date", amount="amount", unit=unit)
    # frequency, recency and T are integers of days (or days / 7): exact.
    pd.testing.assert_frame_equal(ours[["frequency", "recency", "T"]], whole[["frequency", "recency", "T"]], check_exact=True)
    pd.testing.assert_frame_equal(ours, whole)


@pytest.mark.parametrize("granularity", ["month", "quarter", "week"])
def test_cdnow_kpis_equal_single_machine(client, cdnow, granularity):
    ddf = as_dask(cdnow[["id", "date", "amount"]], 5)
    ours = rkd.kpis(ddf, customer_id="id", date="date", amount="amount", granularity=granularity)
    whole = rk.kpis(cdnow, customer_id="id", date="date", amount="amount", granularity=granularity)
    pd.testing.assert_frame_equal(ours.drop(columns=["revenue", "average_order_value"]),
                                  whole.drop(columns=["revenue", "average_order_value"]), check_exact=True)
    pd.testing.assert_frame_equal(ours, whole)


def test_cdnow_kpis_with_short_lookback_and_no_amounts(client, cdnow):
    ddf = as_dask(cdnow[["id", "date"]], 3)
    ours = rkd.kpis(ddf, customer_id="id", date="date", lookback_days=90)
    whole = rk.kpis(cdnow, customer_id="id", date="date", lookback_days=90)
    pd.testing.assert_frame_equal(ours, whole, check_exact=True)


@pytest.mark.parametrize("granularity", ["week", "quarter"])
def test_cdnow_lifecycle_equals_single_machine(client, cdnow, granularity):
    ddf = as_dask(cdnow[["id", "date"]], 4)
    ours = rkd.lifecycle(ddf, customer_id="id", date="date", granularity=granularity)
    whole = rk.lifecycle(cdnow, customer_id="id", date="date", granularity=granularity)
    pd.testing.assert_frame_equal(ours, whole, check_exact=True)


def test_lifecycle_partial_covers_the_whole_logs_periods_and_pickles():
    # retentionkit.lifecycle's docstring log: customers 1, 2, 1, 3, 2 on 2024-01-03,
    # 01-09, 02-02, 02-05, 03-01. The partition of customer 3 alone (5 Feb) still has
    # the whole log's three months: by hand 3 is new in February and dormant in March.
    first = int(np.datetime64("2024-01-03", "D").astype(np.int64))
    last = int(np.datetime64("2024-03-01", "D").astype(np.int64))
    part = pd.DataFrame({"customer_id": [3], "date": pd.to_datetime(["2024-02-05"])})
    p = pickle.loads(pickle.dumps(rkd.lifecycle_partial(part, first, last)))
    assert isinstance(p, rkd.LifecyclePartial) and len(p) == 3
    assert p.table()["new"].tolist() == [0, 1, 0]
    assert p.table()["dormant"].tolist() == [0, 0, -1]
    rest = pd.DataFrame(
        {"customer_id": [1, 2, 1, 2], "date": pd.to_datetime(["2024-01-03", "2024-01-09", "2024-02-02", "2024-03-01"])}
    )
    q = rkd.lifecycle_partial(rest, first, last)
    merged = rkd.lifecycle_from_partial(rkd.merge_lifecycle_partials([p, None, q]))
    whole = rk.lifecycle(pd.concat([rest, part]))
    pd.testing.assert_frame_equal(merged, whole, check_exact=True)
    # March: 2 resurrecting; 1 and 3 dormant: quick ratio (0 + 1) / 2.
    assert merged.loc["2024-03", "quick_ratio"] == 0.5


@pytest.mark.parametrize("kind", ["n_period", "unbounded"])
@pytest.mark.parametrize("values", ["fraction", "count", "revenue"])
def test_cdnow_cohort_matrix_equals_single_machine(client, cdnow, kind, values):
    ddf = as_dask(cdnow[["id", "date", "amount"]], 4)
    args = dict(customer_id="id", date="date", amount="amount", kind=kind, values=values)
    ours = rkd.cohort_matrix(ddf, **args)
    whole = rk.cohort_matrix(cdnow, **args)
    pd.testing.assert_frame_equal(ours, whole, check_exact=values != "revenue")


def test_cdnow_cohort_matrix_with_an_earlier_observation_end(client, cdnow):
    ddf = as_dask(cdnow[["id", "date"]], 4)
    ours = rkd.cohort_matrix(ddf, customer_id="id", date="date", granularity="quarter",
                             values="count", observation_end="1997-09-30")
    whole = rk.cohort_matrix(cdnow, customer_id="id", date="date", granularity="quarter",
                             values="count", observation_end="1997-09-30")
    pd.testing.assert_frame_equal(ours, whole, check_exact=True)


def test_cdnow_bg_nbd_fit_equals_single_machine(client, cdnow):
    ddf = as_dask(cdnow[["id", "date", "amount"]], 4)
    ours = rkd.fit(rk.BetaGeo(), ddf, customer_id="id", date="date", unit="weeks")
    whole = rk.BetaGeo().fit(rk.summary(cdnow, customer_id="id", date="date", unit="weeks"))
    assert ours.status == "converged"
    # The same likelihood on the same (compressed) rows: the same optimum.
    for name, value in whole.params.items():
        assert ours.params[name] == pytest.approx(value, rel=1e-7)
    assert ours.log_likelihood == pytest.approx(whole.log_likelihood, rel=1e-12)


def test_cdnow_gamma_gamma_fit_equals_single_machine(client, cdnow):
    ddf = as_dask(cdnow[["id", "date", "amount"]], 4)
    ours = rkd.fit(rk.GammaGamma(), ddf, customer_id="id", date="date", amount="amount")
    whole = rk.GammaGamma().fit(rk.summary(cdnow, customer_id="id", date="date", amount="amount"))
    for name, value in whole.params.items():
        assert ours.params[name] == pytest.approx(value, rel=1e-6)


def test_compressed_table_counts_every_customer_once(client, cdnow):
    ddf = as_dask(cdnow[["id", "date", "amount"]], 4)
    table = rkd.compressed_summary(ddf, customer_id="id", date="date", unit="weeks")
    # 2,357 customers in the sample (tests/data/SOURCES.md).
    assert int(table["count"].sum()) == 2357
    whole = rk.summary(cdnow, customer_id="id", date="date", amount="amount", unit="weeks")
    # The non-partitioned table: the whole summary grouped by pandas (columns, dtypes, order).
    # (x, t_x, T) exactly; mean spends up to the last bits, as same-day amounts of a customer
    # are added in the shuffled order.
    for columns in (["frequency", "recency", "T"], ["frequency", "monetary_value"]):
        ours = rkd.compressed_summary(ddf, customer_id="id", date="date", amount="amount", unit="weeks", columns=columns)
        expected = whole.groupby(columns).size().rename("count").reset_index()
        pd.testing.assert_frame_equal(ours, expected, check_exact="recency" in columns)
    with pytest.raises(rk.InvalidArgumentError, match="argument `columns`"):
        rkd.compressed_summary(ddf, customer_id="id", date="date", columns=["recency", "T"])
    with pytest.raises(rk.MissingColumnError, match="`amount`"):
        rkd.compressed_summary(ddf, customer_id="id", date="date", columns=["frequency", "monetary_value"])


# --- 10^6 rows -------------------------------------------------------------------------


def test_million_rows_equal_single_machine(client, big, tmp_path):
    assert len(big) >= 1_000_000
    # Read from Parquet, as on a cluster: the workers load their own partitions.
    # Dates stored as Parquet date32, as most order logs are.
    shuffled = big.sample(frac=1.0, random_state=7)
    shuffled = shuffled.astype({"day": pd.ArrowDtype(pa.date32())})
    shuffled.to_parquet(tmp_path / "orders.parquet", row_group_size=125_000)
    ddf = dd.read_parquet(tmp_path / "orders.parquet", split_row_groups=True)
    assert ddf.npartitions == 8
    assert str(ddf.dtypes["day"]) == "date32[day][pyarrow]"
    args = dict(customer_id="customer", date="day", amount="amount")
    pd.testing.assert_frame_equal(rkd.summary(ddf, **args), rk.summary(big, **args))
    pd.testing.assert_frame_equal(rkd.kpis(ddf, **args), rk.kpis(big, **args))
    pd.testing.assert_frame_equal(
        rkd.cohort_matrix(ddf, values="count", **args), rk.cohort_matrix(big, values="count", **args),
        check_exact=True,
    )
    pd.testing.assert_frame_equal(
        rkd.cohort_matrix(ddf, values="revenue", **args), rk.cohort_matrix(big, values="revenue", **args)
    )
    ours = rkd.fit(rk.BetaGeo(), ddf, unit="weeks", **args)
    whole = rk.BetaGeo().fit(rk.summary(big, unit="weeks", **args))
    for name, value in whole.params.items():
        assert ours.params[name] == pytest.approx(value, rel=1e-6)


# --- partitioning ----------------------------------------------------------------------


def test_frame_indexed_by_customer_is_not_shuffled_and_gives_the_same_result(client, cdnow):
    ddf = as_dask(cdnow[["id", "date", "amount"]], 4).set_index("id")
    assert ddf.known_divisions
    whole = rk.summary(cdnow, customer_id="id", date="date", amount="amount")
    ours = rkd.summary(ddf, customer_id="id", date="date", amount="amount")
    pd.testing.assert_frame_equal(ours, whole)
    # Forcing the shuffle of an indexed frame gives the same too.
    pd.testing.assert_frame_equal(
        rkd.summary(ddf, customer_id="id", date="date", amount="amount", partitioned=False), whole
    )


def test_string_ids_and_many_empty_partitions(client):
    orders = pd.DataFrame(
        {
            "user": ["b", "a", "b", "c", "a"],
            "day": ["2024-01-03", "2024-01-09", "2024-02-02", "2024-02-05", "2024-03-01"],
        }
    )
    ddf = dd.from_pandas(orders, npartitions=5, sort=False).repartition(npartitions=12)
    pd.testing.assert_frame_equal(
        rkd.summary(ddf, customer_id="user", date="day"), rk.summary(orders, customer_id="user", date="day")
    )
    pd.testing.assert_frame_equal(
        rkd.kpis(ddf, customer_id="user", date="day", lookback_months=1),
        rk.kpis(orders, customer_id="user", date="day", lookback_months=1),
        check_exact=True,
    )


def test_observation_end_before_some_customers_first_order(client):
    # Customer 2 starts after the observation end: left out of the summary, as on one
    # machine, also when the partition holding it has nobody else.
    orders = pd.DataFrame(
        {"customer_id": [1, 1, 3, 2, 2], "date": ["2024-01-01", "2024-03-02", "2024-01-20", "2024-03-05", "2024-04-01"]}
    )
    ddf = dd.from_pandas(orders, npartitions=2, sort=False)  # rows 0-2 | rows 3-4 (customer 2 only)
    for end in ["2024-02-01", "2024-03-03"]:
        pd.testing.assert_frame_equal(
            rkd.summary(ddf, observation_end=end, partitioned=True), rk.summary(orders, observation_end=end)
        )
        pd.testing.assert_frame_equal(
            rkd.cohort_matrix(ddf, observation_end=end, partitioned=True),
            rk.cohort_matrix(orders, observation_end=end),
            check_exact=True,
        )
    with pytest.raises(rk.InvalidArgumentError, match="before the first purchase"):
        rkd.summary(ddf, observation_end="2023-12-31")


def test_a_customer_in_two_partitions_is_refused(client, cdnow):
    ddf = as_dask(cdnow[["id", "date"]], 4)
    with pytest.raises(rk.IncompatibleError, match=r"customer \d+ appears in more than one part"):
        rkd.summary(ddf, customer_id="id", date="date", partitioned=True)


def test_missing_column_and_bad_arguments(client, cdnow):
    ddf = as_dask(cdnow[["id", "date"]], 2)
    with pytest.raises(rk.MissingColumnError, match="`customer_id`"):
        rkd.summary(ddf, date="date")
    with pytest.raises(rk.InvalidArgumentError, match="argument `kind`"):
        rkd.cohort_matrix(ddf, customer_id="id", date="date", kind="weekly")
    with pytest.raises(rk.MissingColumnError, match="`amount`"):
        rkd.fit(rk.GammaGamma(), ddf, customer_id="id", date="date")
    # A bad row is refused as by the single-machine log, with the class it raises there.
    bad = dd.from_pandas(pd.DataFrame({"id": [1, -2], "date": ["2024-01-01", "2024-01-02"]}), npartitions=1)
    with pytest.raises(rk.InvalidValueError, match="negative id -2"):
        rkd.kpis(bad, customer_id="id", date="date")
    with pytest.raises(rk.InvalidValueError, match="negative id -2"):
        rkd.cohort_matrix(bad, customer_id="id", date="date")


def test_a_workers_error_arrives_as_its_class_with_its_attributes(client):
    # The log is validated on a worker process; the error is pickled to the client.
    bad = dd.from_pandas(
        pd.DataFrame({"id": [1, 2, 3], "date": ["2024-01-01", "2024-01-02", "2024-01-03"], "spend": [1.0, -3.0, 2.0]}),
        npartitions=1,
    )
    with pytest.raises(rk.RetentionError) as caught:
        rkd.summary(bad, customer_id="id", date="date", amount="spend", partitioned=True)
    err = caught.value
    assert type(err) is rk.InvalidValueError
    assert str(err) == "column `spend`, row 1: negative amount -3 (refunds must be netted before building the log)"
    assert (err.column, err.row, err.value, err.argument, err.expected, err.got) == ("spend", 1, None, None, None, None)
    with pytest.raises(rk.InvalidValueError) as caught:
        rkd.kpis(bad, customer_id="id", date="date", amount="spend", partitioned=True)
    assert (caught.value.column, caught.value.row) == ("spend", 1)


# --- the partials by hand --------------------------------------------------------------


def test_kpi_partial_covers_the_whole_logs_periods():
    # The log of retentionkit.kpis' docstring: customers 1, 2, 1, 3, 2 on
    # 2024-01-03, 01-09, 02-02, 02-05, 03-01, look-back one month. The partition
    # holding only customer 3 (one order on 5 Feb) spans February alone, but its
    # partial has the whole log's three months: by hand, customer 3 is new and
    # active at the end of February (ordered in [1 Feb, 1 Mar)), active at the
    # start of March, and not active on 1 April.
    first = int(np.datetime64("2024-01-03", "D").astype(np.int64))  # the whole log's first day
    last = int(np.datetime64("2024-03-01", "D").astype(np.int64))  # and its last
    part = pd.DataFrame({"customer_id": [3], "date": pd.to_datetime(["2024-02-05"])})
    p = rkd.kpi_partial(part, first, last, lookback_months=1)
    assert isinstance(p, rkd.KpiPartial) and len(p) == 3
    t = p.table()
    assert list(t["period"]) == ["2024-01", "2024-02", "2024-03"]
    assert t["start_customers"].tolist() == [0, 0, 1]
    assert t["end_customers"].tolist() == [0, 1, 0]
    assert t["new_customers"].tolist() == [0, 1, 0]
    assert t["orders"].tolist() == [0, 1, 0]
    # The other part (customers 1 and 2), added: February has S = 2 (1 and 2 ordered
    # in January), E = 2 (1 and 3), N = 1 (3), as in the docstring.
    rest = pd.DataFrame(
        {"customer_id": [1, 2, 1, 2], "date": pd.to_datetime(["2024-01-03", "2024-01-09", "2024-02-02", "2024-03-01"])}
    )
    q = rkd.kpi_partial(rest, first, last, lookback_months=1)
    k = rkd.kpis_from_partial(rkd.merge_kpi_partials([p, None, q]))
    feb = k.loc["2024-02"]
    assert (int(feb.start_customers), int(feb.end_customers), int(feb.new_customers)) == (2, 2, 1)
    assert float(feb.retention_rate) == 0.5  # (E - N) / S = (2 - 1) / 2


def _kpi_log():
    # retentionkit.kpis' docstring log (customers 1, 2, 1, 3, 2 on 2024-01-03, 01-09,
    # 02-02, 02-05, 03-01) with amounts, and its first and last day.
    orders = pd.DataFrame({"customer_id": [1, 2, 1, 3, 2],
                           "date": pd.to_datetime(["2024-01-03", "2024-01-09", "2024-02-02", "2024-02-05", "2024-03-01"]),
                           "amount": [10.0, 20.0, 30.0, 40.0, 50.0]})
    first = int(np.datetime64("2024-01-03", "D").astype(np.int64))
    last = int(np.datetime64("2024-03-01", "D").astype(np.int64))
    return orders, first, last


def test_kpi_partials_pickle_and_merge_into_the_whole_log():
    # Three customer-disjoint parts {1}, {2}, {3}, each partial pickled and unpickled
    # (as a Dask worker or Spark ships it): the merge equals the single-machine table.
    orders, first, last = _kpi_log()
    parts = [orders[orders.customer_id == c] for c in (1, 2, 3)]
    kp = [pickle.loads(pickle.dumps(rkd.kpi_partial(p, first, last, amount="amount", lookback_months=1)))
          for p in parts]
    assert all(isinstance(p, rkd.KpiPartial) for p in kp)
    merged = rkd.merge_kpi_partials(kp)
    # Exactly: the counts add exactly, and these amounts (whole numbers) sum exactly in any
    # order. (On general amounts revenue differs by the rounding of another summation order:
    # 7e-12 on CDNOW's revenue in 5 parts.)
    pd.testing.assert_frame_equal(
        rkd.kpis_from_partial(merged), rk.kpis(orders, amount="amount", lookback_months=1), check_exact=True
    )
    # The unpickled merge is the same table too, and its bytes are the same state.
    again = pickle.loads(pickle.dumps(merged))
    assert bytes(again) == bytes(merged)
    pd.testing.assert_frame_equal(rkd.kpis_from_partial(again), rkd.kpis_from_partial(merged), check_exact=True)


def test_incompatible_kpi_partials_raise():
    orders, first, last = _kpi_log()
    a, b = orders[orders.customer_id == 1], orders[orders.customer_id != 1]
    p = rkd.kpi_partial(a, first, last, amount="amount")
    # Other periods: a last day one month later adds April.
    with pytest.raises(rk.IncompatibleError):
        rkd.merge_kpi_partials([p, rkd.kpi_partial(b, first, last + 31, amount="amount")])
    # Another look-back.
    with pytest.raises(rk.IncompatibleError):
        rkd.merge_kpi_partials([p, rkd.kpi_partial(b, first, last, amount="amount", lookback_months=1)])
    # Revenue in one part only.
    with pytest.raises(rk.IncompatibleError):
        rkd.merge_kpi_partials([p, rkd.kpi_partial(b, first, last)])
    # Bytes that are no partial's state.
    with pytest.raises(rk.InvalidArgumentError):
        rkd.KpiPartial(b"not json")
    assert rkd.merge_kpi_partials([None, None]) is None
    with pytest.raises(rk.EmptyError):
        rkd.kpis_from_partial(None)


def test_cohort_partials_add_cell_by_cell():
    # retentionkit.cohort_matrix's docstring log: customers 1, 2 acquired in
    # January 2024, 3 in February; 1 orders again in March, 3 in March.
    # Split as {1, 3} and {2}: by hand the January cohort is 1 + 1 = 2 customers,
    # 0 active in February, 1 (customer 1) in March; February's cohort is 1, then 1.
    end = int(np.datetime64("2024-03-31").astype(int))
    a = pd.DataFrame({"customer_id": [1, 3, 1, 3],
                      "date": ["2024-01-02", "2024-02-07", "2024-03-01", "2024-03-31"]})
    b = pd.DataFrame({"customer_id": [2], "date": ["2024-01-05"]})
    merged = rkd.merge_cohort_partials([rkd.cohort_partial(a, end), rkd.cohort_partial(b, end)])
    m = rkd.cohort_matrix_from_partial(merged, values="count")
    assert m.loc["2024-01"].tolist() == [2.0, 0.0, 1.0]
    assert m.loc["2024-02"].tolist()[:2] == [1.0, 1.0]
    assert np.isnan(m.loc["2024-02", 2])


def test_cohort_partials_pickle_and_merge_into_the_whole_log():
    # The log of _kpi_log split into {1}, {2}, {3}, each partial pickled and unpickled:
    # every matrix of the merge equals the single-machine one exactly.
    orders, first, last = _kpi_log()
    parts = [orders[orders.customer_id == c] for c in (1, 2, 3)]
    cp = [pickle.loads(pickle.dumps(rkd.cohort_partial(p, last, amount="amount"))) for p in parts]
    assert all(isinstance(p, rkd.CohortPartial) for p in cp)
    assert [len(p) for p in cp] == [1, 1, 1]  # one cohort each: 1 and 2 in January, 3 in February
    merged = rkd.merge_cohort_partials(cp)
    assert len(merged) == 2  # January and February
    for kind in ["n_period", "unbounded"]:
        for values in ["fraction", "count", "revenue"]:
            pd.testing.assert_frame_equal(
                rkd.cohort_matrix_from_partial(merged, kind=kind, values=values),
                rk.cohort_matrix(orders, amount="amount", kind=kind, values=values),
                check_exact=True,
            )
    assert bytes(pickle.loads(pickle.dumps(merged))) == bytes(merged)


def test_incompatible_cohort_partials_raise():
    orders, first, last = _kpi_log()
    a, b = orders[orders.customer_id == 1], orders[orders.customer_id != 1]
    p = rkd.cohort_partial(a, last, amount="amount")
    with pytest.raises(rk.IncompatibleError):  # another observation end
        rkd.merge_cohort_partials([p, rkd.cohort_partial(b, last + 1, amount="amount")])
    with pytest.raises(rk.IncompatibleError):  # another granularity
        rkd.merge_cohort_partials([p, rkd.cohort_partial(b, last, amount="amount", granularity="week")])
    with pytest.raises(rk.IncompatibleError):  # revenue in one part only
        rkd.merge_cohort_partials([p, rkd.cohort_partial(b, last)])
    with pytest.raises(rk.InvalidArgumentError):
        rkd.CohortPartial(b"{}")
    with pytest.raises(rk.MissingColumnError):  # no amounts: no revenue matrix
        rkd.cohort_matrix_from_partial(rkd.cohort_partial(a, last), values="revenue")


def assert_bracket_frames_equal(ours, whole):
    pd.testing.assert_frame_equal(ours, whole, check_exact=True)
    pd.testing.assert_frame_equal(ours.attrs["partial"], whole.attrs["partial"], check_exact=True)


@pytest.mark.parametrize("values", ["fraction", "count"])
def test_cdnow_bracket_retention_equals_single_machine(client, cdnow, values):
    ddf = as_dask(cdnow[["id", "date"]], 4)
    brackets = [(0, 1), (1, 4), (2, 7), range(6, 12), (12, None)]  # overlapping and open ones
    for args in (dict(), dict(granularity="quarter", observation_end="1997-09-30")):
        ours = rkd.bracket_retention(ddf, brackets, customer_id="id", date="date", values=values, **args)
        whole = rk.bracket_retention(cdnow, brackets, customer_id="id", date="date", values=values, **args)
        assert_bracket_frames_equal(ours, whole)


def test_bracket_partials_add_and_keep_unobserved_brackets():
    # The log of test_cohort_partials_add_cell_by_cell, split as {1, 3} and {2}.
    # By hand: January's cohort {1, 2}; months 1-2 (Feb, Mar): customer 1 (Mar).
    # February's cohort {3}; months 1-2 (Mar, Apr): customer 3 (Mar), and April is
    # not observed, so the cell is partial. Month 3 (April/May) is not observed
    # for either cohort: NaN.
    end = int(np.datetime64("2024-03-31").astype(int))
    a = pd.DataFrame({"customer_id": [1, 3, 1, 3],
                      "date": ["2024-01-02", "2024-02-07", "2024-03-01", "2024-03-31"]})
    b = pd.DataFrame({"customer_id": [2], "date": ["2024-01-05"]})
    brackets = [(1, 3), (3, None)]
    merged = rkd.merge_bracket_partials([rkd.bracket_partial(a, end, brackets), None,
                                         rkd.bracket_partial(b, end, brackets)])
    m = rkd.bracket_retention_from_partial(merged, values="count")
    assert m.columns.tolist() == ["1-2", "3+"]
    assert m["1-2"].tolist() == [1.0, 1.0] and m["3+"].isna().all()
    assert m.attrs["partial"].values.tolist() == [[False, True], [True, True]]
    f = rkd.bracket_retention_from_partial(merged)
    assert f["1-2"].tolist() == [0.5, 1.0]  # 1 of 2, 1 of 1
    with pytest.raises(rk.EmptyError):
        rkd.bracket_retention_from_partial(rkd.merge_bracket_partials([None]))
    with pytest.raises(rk.InvalidArgumentError, match="brackets"):
        rkd.bracket_partial(a, end, [(2, 1)])


def test_bracket_partials_pickle_and_merge_into_the_whole_log():
    # The log of _kpi_log split into {1}, {2}, {3}, each partial pickled and unpickled:
    # the merge equals rk.bracket_retention exactly, partial flags and column labels too.
    orders, first, last = _kpi_log()
    brackets = [(0, 1), (1, 3), (2, None)]
    parts = [orders[orders.customer_id == c] for c in (1, 2, 3)]
    bp = [pickle.loads(pickle.dumps(rkd.bracket_partial(p, last, brackets))) for p in parts]
    assert all(isinstance(p, rkd.BracketPartial) for p in bp)
    merged = rkd.merge_bracket_partials(bp)
    assert len(merged) == 2  # the January and February cohorts
    for values in ["fraction", "count"]:
        ours = rkd.bracket_retention_from_partial(merged, values=values)
        assert ours.columns.tolist() == ["0", "1-2", "2+"]
        assert_bracket_frames_equal(ours, rk.bracket_retention(orders, brackets, values=values))
    assert bytes(pickle.loads(pickle.dumps(merged))) == bytes(merged)


def test_incompatible_bracket_partials_raise():
    orders, first, last = _kpi_log()
    a, b = orders[orders.customer_id == 1], orders[orders.customer_id != 1]
    p = rkd.bracket_partial(a, last, [(1, 3)])
    with pytest.raises(rk.IncompatibleError):  # other brackets
        rkd.merge_bracket_partials([p, rkd.bracket_partial(b, last, [(1, 4)])])
    with pytest.raises(rk.IncompatibleError):  # another observation end
        rkd.merge_bracket_partials([p, rkd.bracket_partial(b, last + 1, [(1, 3)])])
    with pytest.raises(rk.IncompatibleError):  # another granularity
        rkd.merge_bracket_partials([p, rkd.bracket_partial(b, last, [(1, 3)], granularity="week")])
    with pytest.raises(rk.InvalidArgumentError):
        rkd.BracketPartial(b"[]")


def _string_log():
    # Customers "ann", "bob", "cy", "dee" with amounts; split as {"cy", "ann"} | {"dee", "bob"},
    # so each part codes its own customers 0, 1 and the codes of the two parts overlap.
    orders = pd.DataFrame({
        "user": ["cy", "ann", "dee", "bob", "ann", "cy", "bob", "dee"],
        "day": pd.to_datetime(["2024-01-02", "2024-01-05", "2024-01-07", "2024-01-10",
                               "2024-02-01", "2024-02-11", "2024-03-01", "2024-03-01"]),
        "spend": [10.0, 20.0, 30.0, 40.0, 25.0, 15.0, 45.0, 35.0],
    })
    end = int(np.datetime64("2024-03-31", "D").astype(np.int64))
    a = orders[orders.user.isin(["cy", "ann"])]
    b = orders[orders.user.isin(["dee", "bob"])]
    return orders, end, a, b


def test_summary_partials_with_string_ids_merge_by_id_not_by_code():
    orders, end, a, b = _string_log()
    args = dict(customer_id="user", date="day", amount="spend")
    pa, pb = rkd.summary_partial(a, end, **args), rkd.summary_partial(b, end, **args)
    assert isinstance(pa, rkd.SummaryPartial) and (len(pa), len(pb)) == (2, 2)
    merged = rkd.merge_summary_partials([pb, None, pa])
    assert len(merged) == 4
    ours = rkd.summary_from_partial(merged)
    whole = rk.summary(orders, observation_end="2024-03-31", **args)
    pd.testing.assert_frame_equal(ours, whole, check_exact=True)
    assert ours.attrs == whole.attrs == {"unit": "days"}
    # By hand: ann on Jan 5 and Feb 1 (x = 1, t_x = 27, T = 86 days to Mar 31, m = 25);
    # cy on Jan 2 and Feb 11 (x = 1, t_x = 40, T = 89, m = 15); bob, dee: x = 1, m = 45, 35.
    assert ours.index.tolist() == ["ann", "bob", "cy", "dee"]
    assert ours.loc["ann"].tolist() == [1.0, 27.0, 86.0, 25.0]
    assert ours.loc["cy"].tolist() == [1.0, 40.0, 89.0, 15.0]
    assert ours["monetary_value"].tolist() == [25.0, 45.0, 15.0, 35.0]
    # In weeks, the unit is kept.
    weeks = rkd.summary_from_partial(rkd.merge_summary_partials(
        [rkd.summary_partial(p, end, unit="weeks", **args) for p in (a, b)]))
    pd.testing.assert_frame_equal(weeks, rk.summary(orders, observation_end="2024-03-31", unit="weeks", **args))
    assert weeks.attrs == {"unit": "weeks"}


def test_a_customer_in_two_summary_partials_is_refused_by_name():
    orders, end, a, b = _string_log()
    args = dict(customer_id="user", date="day")
    # "bob" in both parts.
    bob = orders[orders.user == "bob"]
    with pytest.raises(rk.IncompatibleError, match='customer "bob" appears in more than one part'):
        rkd.merge_summary_partials([rkd.summary_partial(b, end, **args), rkd.summary_partial(bob, end, **args)])
    ints, _, int_end = _kpi_log()
    one = ints[ints.customer_id == 1]
    with pytest.raises(rk.IncompatibleError, match="customer 1 appears in more than one part"):
        rkd.merge_summary_partials([rkd.summary_partial(ints, int_end), rkd.summary_partial(one, int_end)])
    # Other settings: an integer-id part with a string-id part, another end, amounts in one part only.
    with pytest.raises(rk.IncompatibleError, match="integer customer ids and some string ids"):
        rkd.merge_summary_partials([rkd.summary_partial(one, end), rkd.summary_partial(a, end, **args)])
    with pytest.raises(rk.IncompatibleError, match="observation ends"):
        rkd.merge_summary_partials([rkd.summary_partial(a, end, **args), rkd.summary_partial(b, end + 1, **args)])
    with pytest.raises(rk.IncompatibleError, match="amounts"):
        rkd.merge_summary_partials(
            [rkd.summary_partial(a, end, **args), rkd.summary_partial(b, end, amount="spend", **args)]
        )
    assert rkd.merge_summary_partials([None]) is None
    with pytest.raises(rk.EmptyError):
        rkd.summary_from_partial(None)
    # Ids that are neither integers nor strings (here dates) are not ids (docs/input.md).
    with pytest.raises(rk.InvalidArgumentError, match="ids must be integers or strings"):
        rkd.summary_partial(orders.assign(user=orders["day"]), end, **args)


def test_summary_and_compressed_partials_pickle_and_merge_into_the_whole_log():
    # The string-id log split in two, every partial pickled and unpickled (as Dask or
    # Spark ships it): the merges give the single-machine tables exactly.
    orders, end, a, b = _string_log()
    args = dict(customer_id="user", date="day", amount="spend")
    sp = [pickle.loads(pickle.dumps(rkd.summary_partial(p, end, **args))) for p in (a, b)]
    assert all(isinstance(p, rkd.SummaryPartial) for p in sp)
    merged = rkd.merge_summary_partials(sp)
    again = pickle.loads(pickle.dumps(merged))
    assert bytes(again) == bytes(merged)
    whole = rk.summary(orders, observation_end="2024-03-31", **args)
    pd.testing.assert_frame_equal(rkd.summary_from_partial(again), whole, check_exact=True)
    for columns, kind in [(("frequency", "recency", "T"), rkd.CompressedPartial),
                          (("frequency", "monetary_value"), rkd.CompressedSpendPartial)]:
        assert kind.COLUMNS == columns
        cp = [pickle.loads(pickle.dumps(rkd.compressed_partial(s, columns))) for s in sp]
        assert all(type(p) is kind for p in cp)
        m = rkd.merge_compressed_partials(cp)
        assert bytes(pickle.loads(pickle.dumps(m))) == bytes(m)
        # The non-partitioned table: the whole summary grouped by pandas.
        expected = whole.groupby(list(columns)).size().rename("count").reset_index()
        pd.testing.assert_frame_equal(rkd.compressed_summary_from_partial(m), expected, check_exact=True)
    # By hand: every customer has x = 1; (x, m) rows (1, 15), (1, 25), (1, 35), (1, 45), one each.
    spend = rkd.compressed_summary_from_partial(
        rkd.merge_compressed_partials([rkd.compressed_partial(s, ("frequency", "monetary_value")) for s in sp]))
    assert spend.values.tolist() == [[1.0, 15.0, 1], [1.0, 25.0, 1], [1.0, 35.0, 1], [1.0, 45.0, 1]]
    for cls, state in [(rkd.SummaryPartial, b"{}"), (rkd.CompressedPartial, b"[]"),
                       (rkd.CompressedSpendPartial, b"not json")]:
        with pytest.raises(rk.InvalidArgumentError):
            cls(state)


def test_compressed_partials_add_equal_rows():
    # The log of _kpi_log, parts {1}, {2}, {3} at its last day (2024-03-01). By hand, in days:
    # customer 1 on Jan 3 and Feb 2 (x = 1, t_x = 30, T = 58); 2 on Jan 9 and Mar 1
    # (x = 1, t_x = 52, T = 52); 3 once on Feb 5 (x = 0, t_x = 0, T = 25).
    orders, first, last = _kpi_log()
    sp = [rkd.summary_partial(orders[orders.customer_id == c], last, amount="amount") for c in (1, 2, 3)]
    cp = [rkd.compressed_partial(s, ["frequency", "recency", "T"]) for s in sp]
    t = rkd.compressed_summary_from_partial(rkd.merge_compressed_partials(cp + cp))  # every customer twice
    assert t.values.tolist() == [[0.0, 0.0, 25.0, 2], [1.0, 30.0, 58.0, 2], [1.0, 52.0, 52.0, 2]]
    assert t["count"].dtype == np.int64
    # Another unit: refused by the core.
    weeks = rkd.compressed_partial(rkd.summary_partial(orders, last, unit="weeks"), ["frequency", "recency", "T"])
    with pytest.raises(rk.IncompatibleError, match="units"):
        rkd.merge_compressed_partials([cp[0], weeks])
    # Gamma-Gamma's table needs amounts.
    with pytest.raises(rk.MissingColumnError):
        rkd.compressed_partial(rkd.summary_partial(orders, last), ["frequency", "monetary_value"])
    with pytest.raises(rk.InvalidArgumentError, match="argument `columns`"):
        rkd.compressed_partial(sp[0], ["frequency"])
    assert rkd.compressed_partial(None, ["frequency", "recency", "T"]) is None
    assert rkd.merge_compressed_partials([None]) is None
    with pytest.raises(rk.EmptyError):
        rkd.compressed_summary_from_partial(None)


# --- merge(part(a), part(b)) == part(a ∪ b) for random splits, without Dask ----------------


@pytest.mark.parametrize("seed", range(12))
def test_partials_of_any_customer_split_merge_into_the_whole(seed):
    # Random small logs (up to 40 customers over about 2 years) split into 1-5 random
    # customer-disjoint parts: the merged partials must give the single-machine tables.
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 200))
    ids = rng.integers(1, 40, n)
    days = int(np.datetime64("2023-01-01", "D").astype(np.int64)) + rng.integers(0, 700, n)
    orders = pd.DataFrame({"customer_id": ids, "date": days.astype("datetime64[D]"),
                           "amount": np.round(rng.uniform(1, 100, n), 2)})
    granularity = ["day", "week", "month", "quarter"][seed % 4]
    lookback = {"lookback_days": int(rng.integers(100, 400))} if seed % 2 else {}
    first, last = int(days.min()), int(days.max())
    k = int(rng.integers(1, 6))
    owner = rng.integers(0, k, 40)[ids]  # each customer's part
    parts = [orders[owner == i] for i in range(k)]

    kp = [rkd.kpi_partial(p, first, last, amount="amount", granularity=granularity, **lookback) for p in parts]
    pd.testing.assert_frame_equal(
        rkd.kpis_from_partial(rkd.merge_kpi_partials(kp)),
        rk.kpis(orders, amount="amount", granularity=granularity, **lookback),
    )
    cp = [rkd.cohort_partial(p, last, amount="amount", granularity=granularity) for p in parts]
    for kind in ["n_period", "unbounded"]:
        pd.testing.assert_frame_equal(
            rkd.cohort_matrix_from_partial(rkd.merge_cohort_partials(cp), kind=kind),
            rk.cohort_matrix(orders, amount="amount", granularity=granularity, kind=kind),
            check_exact=True,
        )
    brackets = [(0, 2), (1, 3), (2, None)]
    bp = [rkd.bracket_partial(p, last, brackets, granularity=granularity) for p in parts]
    assert_bracket_frames_equal(
        rkd.bracket_retention_from_partial(rkd.merge_bracket_partials(bp)),
        rk.bracket_retention(orders, brackets, granularity=granularity),
    )
    sp = [rkd.summary_partial(p, last, amount="amount") for p in parts]
    whole = rk.summary(orders, amount="amount")
    pd.testing.assert_frame_equal(rkd.summary_from_partial(rkd.merge_summary_partials(sp)), whole)
    for columns in (["frequency", "recency", "T"], ["frequency", "monetary_value"]):
        merged = rkd.merge_compressed_partials([rkd.compressed_partial(s, columns) for s in sp])
        # The non-partitioned table: the whole summary grouped by pandas; mean spends
        # up to the last bits (summation order), as the summary's.
        expected = whole.groupby(columns).size().rename("count").reset_index()
        ours = rkd.compressed_summary_from_partial(merged)
        pd.testing.assert_frame_equal(ours, expected, check_exact="recency" in columns)


# --- RFM and Kaplan–Meier (merged with the core's Rfm::merge and KaplanMeier::merge) ---


@pytest.mark.parametrize("npartitions", [1, 4])
def test_cdnow_rfm_equals_single_machine(client, cdnow, npartitions):
    ddf = as_dask(cdnow[["id", "date", "amount"]], npartitions)
    ours = rkd.rfm(ddf, customer_id="id", date="date", amount="amount")
    whole = rk.rfm(cdnow, customer_id="id", date="date", amount="amount")
    # Scores depend on every customer: equal only if they were recomputed over the merged values.
    pd.testing.assert_frame_equal(ours, whole)
    assert ours.attrs == whole.attrs


def test_rfm_observation_end_and_errors(client, cdnow):
    ddf = as_dask(cdnow[["id", "date"]], 3)
    end = pd.Timestamp("1997-02-15")
    pd.testing.assert_frame_equal(
        rkd.rfm(ddf, customer_id="id", observation_end=end),
        rk.rfm(cdnow, customer_id="id", observation_end=end),
    )
    with pytest.raises(rk.InvalidArgumentError, match="observation_end"):
        rkd.rfm(ddf, customer_id="id", observation_end="1990-01-01")
    with pytest.raises(rk.MissingColumnError, match="spend"):
        rkd.rfm(ddf, customer_id="id", amount="spend")


@pytest.mark.parametrize("npartitions", [1, 5])
def test_kaplan_meier_equals_single_machine(client, npartitions):
    from pathlib import Path

    fixture = pd.read_csv(Path(__file__).resolve().parents[3] / "tests" / "data" / "survival" / "fixture.csv")
    ddf = dd.from_pandas(fixture.sample(frac=1.0, random_state=1), npartitions=npartitions, sort=False)
    ours = rkd.kaplan_meier(ddf, horizon=12.0)
    whole = rk.kaplan_meier(fixture["duration"], fixture["observed"], horizon=12.0)
    pd.testing.assert_frame_equal(ours.table, whole.table, check_exact=True)
    assert (ours.median, ours.restricted_mean) == (whole.median, whole.restricted_mean)
    with pytest.raises(rk.InvalidValueError, match="column `observed`"):
        rkd.kaplan_meier(dd.from_pandas(fixture.assign(observed=2), npartitions=2))
