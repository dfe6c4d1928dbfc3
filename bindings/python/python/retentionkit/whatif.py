"""What-if: what a few more points of retention per period are worth.

Under a constant retention ``r`` per period a customer pays in period 0 and
stays each further period with probability ``r``: the expected lifespan is
``1 / (1 - r)`` periods (``(1 - r**h) / (1 - r)`` within ``h`` periods) and
the CLV at discount rate ``d`` is ``m (1 + d) / (1 + d - r)`` for a value
``m`` per period (docs/metrics.md, "What-if").
"""

from __future__ import annotations

import dataclasses
from typing import Any, Optional, Tuple

import numpy as np

from . import _retentionkit as _rk


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise _rk.InvalidArgumentError(f"argument `{name}`: {value!r} is not a number", argument=name)
    return float(value)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What a scenario is expected to bring: lifespan (periods), CLV and revenue, customers left after the horizon."""

    lifespan: float
    clv: float
    revenue: float
    customers_remaining: float

    @classmethod
    def _of(cls, t: Tuple[float, float, float, float]) -> "Outcome":
        return cls(*(float(v) for v in t))


@dataclasses.dataclass(frozen=True)
class Lift:
    """A scenario's outcome before and after a retention lift, and the changes."""

    before: Outcome
    after: Outcome

    @property
    def revenue_change(self) -> float:
        """Extra revenue from the lift."""
        return self.after.revenue - self.before.revenue

    @property
    def clv_change(self) -> float:
        """Extra CLV per customer."""
        return self.after.clv - self.before.clv

    @property
    def lifespan_change(self) -> float:
        """Extra periods of expected lifespan."""
        return self.after.lifespan - self.before.lifespan

    @property
    def customers_change(self) -> float:
        """Extra customers left after the horizon."""
        return self.after.customers_remaining - self.before.customers_remaining

    def __repr__(self) -> str:
        return (
            f"Lift(revenue {self.before.revenue:,.2f} -> {self.after.revenue:,.2f}, "
            f"clv {self.before.clv:,.2f} -> {self.after.clv:,.2f}, "
            f"lifespan {self.before.lifespan:.4g} -> {self.after.lifespan:.4g})"
        )


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A customer base under constant retention per period.

    ``retention`` is in [0, 1) (1 only with a finite ``horizon`` in periods);
    ``customers``, ``value_per_period`` and ``discount_rate`` are finite and
    >= 0. A bad value raises :class:`InvalidArgumentError` here.

    >>> import retentionkit as rk
    >>> s = rk.Scenario(customers=1000, value_per_period=50, retention=0.9)
    >>> round(s.outcome().revenue, 6)  # 1,000 × 50 × 1 / (1 - 0.9)
    500000.0
    """

    customers: float
    value_per_period: float
    retention: float
    discount_rate: float = 0.0
    horizon: Optional[int] = None

    def __post_init__(self) -> None:
        for name in ("customers", "value_per_period", "retention", "discount_rate"):
            object.__setattr__(self, name, _number(getattr(self, name), name))
        h = self.horizon
        if h is not None:
            if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or not 0 <= int(h) <= 4_294_967_295:
                raise _rk.InvalidArgumentError(f"argument `horizon`: {h!r} is not a whole number of periods >= 0", argument="horizon")
            object.__setattr__(self, "horizon", int(h))
        self.outcome()  # validates

    def _args(self) -> Tuple[float, float, float]:
        return (self.customers, self.value_per_period, self.retention)

    @classmethod
    def from_lifespan(cls, customers: float, value_per_period: float, lifespan: float) -> "Scenario":
        """The scenario whose expected lifespan is ``lifespan`` periods: retention ``1 - 1 / lifespan``.

        >>> import retentionkit as rk
        >>> s = rk.Scenario.from_lifespan(1000, 50, 10)  # 1,000 members paying 50 a month for 10 months
        >>> s.retention, round(s.outcome().revenue, 6)
        (0.9, 500000.0)
        """
        c = _number(customers, "customers")
        v = _number(value_per_period, "value_per_period")
        r = float(_rk.whatif_retention_of_lifespan(c, v, _number(lifespan, "lifespan")))
        return cls(c, v, r)

    def outcome(self) -> Outcome:
        """Expected lifespan, CLV, revenue and remaining customers.

        >>> import retentionkit as rk
        >>> o = rk.Scenario(100, 10, 0.5, horizon=2).outcome()  # paid periods 1 + 0.5; 100 × 0.5² left
        >>> o.lifespan, o.clv, o.revenue, o.customers_remaining
        (1.5, 15.0, 1500.0, 25.0)
        """
        return Outcome._of(_rk.whatif_outcome(*self._args(), self.discount_rate, self.horizon))

    def lift(self, points: float) -> Lift:
        """The effect of raising retention by ``points`` (a fraction: 0.02 is two points).

        >>> import retentionkit as rk
        >>> s = rk.Scenario.from_lifespan(1000, 50, 10)
        >>> lift = s.lift(11 / 12 - 0.9)  # a 12-month lifespan: 600,000
        >>> round(lift.revenue_change, 6), round(lift.lifespan_change, 9)
        (100000.0, 2.0)
        """
        before, after = _rk.whatif_lift(
            *self._args(), _number(points, "points"), self.discount_rate, self.horizon
        )
        return Lift(Outcome._of(before), Outcome._of(after))
