//! The names of the crate's option and status enums, defined once.
//!
//! Every front-end (the CLI's flags and JSON, Python's string arguments,
//! the npm package's string options) spells a granularity, time unit, fit
//! status or repeat model the same way: the name given here, which is also
//! the enum's serde name. Each enum has `as_str`, `Display`, `FromStr`
//! (an unknown name is [`Error::InvalidArgument`] listing the known ones)
//! and `ALL` in a fixed order.
//!
//! ```
//! use retentionkit::optim::FitStatus;
//! use retentionkit::period::Granularity;
//! assert_eq!(Granularity::Quarter.as_str(), "quarter");
//! assert_eq!("max_iterations".parse::<FitStatus>()?, FitStatus::MaxIterations);
//! let err = "fortnight".parse::<Granularity>().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "argument `granularity`: \"fortnight\" is not one of day, week, month, quarter, year"
//! );
//! # Ok::<(), retentionkit::Error>(())
//! ```

use crate::error::{invalid_arg, Error};

/// `as_str`, `ALL`, `Display` and `FromStr` for a fieldless enum:
/// `names!(Type, "argument name", { Variant => "name", ... })`.
macro_rules! names {
    ($ty:ident, $arg:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            #[doc = concat!("Every `", stringify!($ty), "`, in the order of its names' list.")]
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            #[doc = concat!(
                "The name of the `", stringify!($ty), "` (also its serde name): one of ",
                $("`\"", $name, "\"` "),+
            )]
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl Named for $ty {
            const ALL: &'static [Self] = $ty::ALL;

            fn name(self) -> &'static str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self, Error> {
                $ty::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| unknown($arg, s, $ty::ALL.iter().map(|v| v.as_str())))
            }
        }
    };
}

/// What every named enum has, for front-ends generic over them (an option
/// parser that lists the allowed names, say).
///
/// # Examples
/// ```
/// use retentionkit::{names::Named, period::Granularity};
/// // An option parser that lists the allowed names.
/// fn choices<T: Named>() -> String { T::names().join("|") }
/// assert_eq!(choices::<Granularity>(), "day|week|month|quarter|year");
/// assert_eq!("quarter".parse::<Granularity>()?, Granularity::Quarter);
/// assert!("fortnight".parse::<Granularity>().is_err());
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub trait Named: Copy + Sized + 'static {
    /// Every value, in a fixed order.
    const ALL: &'static [Self];

    /// The value's name (its `as_str`).
    fn name(self) -> &'static str;

    /// Every name, in the order of [`Named::ALL`].
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.name()).collect()
    }
}

fn unknown<'a>(arg: &'static str, got: &str, known: impl Iterator<Item = &'a str>) -> Error {
    let list: Vec<&str> = known.collect();
    invalid_arg(arg, format!("{got:?} is not one of {}", list.join(", ")))
}

use crate::models::interval::{BgBbTarget, SpendTarget};
#[cfg(feature = "simulate")]
use crate::models::interval::{Method, Target};
use crate::models::repeat::RepeatKind;
use crate::optim::FitStatus;
use crate::period::Granularity;
use crate::summary::{HoldoutSpend, TimeUnit};
use crate::survival::cox::{Ties, TimeTransform};

names!(Granularity, "granularity", {
    Day => "day",
    Week => "week",
    Month => "month",
    Quarter => "quarter",
    Year => "year",
});

names!(TimeUnit, "unit", {
    Days => "days",
    Weeks => "weeks",
});

names!(FitStatus, "status", {
    Converged => "converged",
    MaxIterations => "max_iterations",
    LineSearchFailed => "line_search_failed",
    AtBoundary => "at_boundary",
});

names!(HoldoutSpend, "holdout_spend", {
    PerDay => "per_day",
    PerOrder => "per_order",
});

names!(Ties, "ties", {
    Efron => "efron",
    Breslow => "breslow",
});

names!(TimeTransform, "time_transform", {
    Rank => "rank",
    Identity => "identity",
    Log => "log",
    Km => "km",
});

#[cfg(feature = "simulate")]
names!(Target, "quantity", {
    Parameters => "parameters",
    ExpectedPurchases => "expected_purchases",
    ProbabilityAlive => "probability_alive",
    TotalPurchases => "total_purchases",
    Clv => "clv",
    TotalClv => "total_clv",
});

names!(BgBbTarget, "quantity", {
    Parameters => "parameters",
    ProbabilityAlive => "probability_alive",
    ExpectedTransactions => "expected_transactions",
    TotalTransactions => "total_transactions",
});

names!(SpendTarget, "quantity", {
    Parameters => "parameters",
    MeanSpend => "mean_spend",
});

#[cfg(feature = "simulate")]
names!(Method, "method", {
    Delta => "delta",
    Bootstrap => "bootstrap",
});

names!(RepeatKind, "model", {
    BgNbd => "bg_nbd",
    MbgNbd => "mbg_nbd",
    ParetoNbd => "pareto_nbd",
});

/// A snake_case name in camelCase, the npm package's spelling:
/// `start_customers` → `startCustomers`.
///
/// ```
/// assert_eq!(retentionkit::names::camel_case("average_order_value"), "averageOrderValue");
/// assert_eq!(retentionkit::names::camel_case("retained"), "retained");
/// ```
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `as_str` is the serde name and `FromStr` its inverse, for every
    /// variant of every named enum.
    #[cfg(feature = "serde")]
    fn round_trip<T>(all: &[T], as_str: fn(&T) -> &'static str)
    where
        T: std::str::FromStr<Err = Error> + PartialEq + std::fmt::Debug,
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        for v in all {
            let name = as_str(v);
            assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{name}\""));
            assert_eq!(
                &serde_json::from_str::<T>(&format!("\"{name}\"")).unwrap(),
                v
            );
            assert_eq!(&name.parse::<T>().unwrap(), v);
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn names_are_serde_names_and_parse_back() {
        round_trip(Granularity::ALL, |g| g.as_str());
        round_trip(TimeUnit::ALL, |u| u.as_str());
        round_trip(FitStatus::ALL, |s| s.as_str());
        round_trip(RepeatKind::ALL, |k| k.as_str());
        round_trip(HoldoutSpend::ALL, |h| h.as_str());
        round_trip(BgBbTarget::ALL, |t| t.as_str());
        round_trip(SpendTarget::ALL, |t| t.as_str());
        #[cfg(feature = "simulate")]
        {
            use crate::models::interval::{Method, Target};
            round_trip(Target::ALL, |t| t.as_str());
            round_trip(Method::ALL, |m| m.as_str());
        }
        assert_eq!(FitStatus::ALL.len(), 4);
        assert_eq!(format!("{}", TimeUnit::Weeks), "weeks");
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let err = "Days".parse::<TimeUnit>().unwrap_err();
        assert_eq!(
            err,
            Error::InvalidArgument {
                name: "unit",
                reason: "\"Days\" is not one of days, weeks".into()
            }
        );
        assert!(matches!(
            "unknown".parse::<FitStatus>(),
            Err(Error::InvalidArgument { name: "status", .. })
        ));
    }
}
