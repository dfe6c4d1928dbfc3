"""Shared fixtures: the CDNOW sample and the donations data of tests/data."""

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


@pytest.fixture(scope="session")
def cdnow() -> pd.DataFrame:
    """CDNOW sample (tests/data/SOURCES.md): 6,919 purchases of 2,357 customers."""
    raw = pd.read_csv(
        DATA / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["master", "id", "date", "cds", "amount"],
    )
    raw["date"] = pd.to_datetime(raw["date"].astype(str), format="%Y%m%d")
    return raw


@pytest.fixture(scope="session")
def donations() -> pd.DataFrame:
    """Fader, Hardie & Shang (2010) donations: x, t_x, n = 6 with weights."""
    return pd.read_csv(DATA / "donations.csv")
