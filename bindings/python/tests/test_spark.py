"""The Spark recipe of docs/scaling.md (bindings/python/examples/spark_recipe.py) in local mode.

Expected tables are the single-machine API's on the same CDNOW orders
(tests/data/CDNOW_sample.txt); skipped when pyspark or Java is missing.
"""

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

import retentionkit as rk

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

RECIPE = Path(__file__).resolve().parents[1] / "examples" / "spark_recipe.py"


@pytest.fixture(scope="module")
def recipe():
    spec = importlib.util.spec_from_file_location("spark_recipe", RECIPE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # Spark's Python workers run this interpreter, where retentionkit is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("retentionkit-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_recipe_equals_single_machine_on_cdnow(recipe, spark):
    orders = recipe.cdnow()
    out = recipe.retention_tables(spark.createDataFrame(orders), buckets=5)
    args = dict(amount="amount")
    pd.testing.assert_frame_equal(out["kpis"], rk.kpis(orders, **args))
    pd.testing.assert_frame_equal(out["cohorts"], rk.cohort_matrix(orders, **args), check_exact=True)
    pd.testing.assert_frame_equal(out["summary"], rk.summary(orders, **args))
    whole = rk.BetaGeo().fit(rk.summary(orders))
    for name, value in whole.params.items():
        assert out["bg_nbd"].params[name] == pytest.approx(value, rel=1e-6)
