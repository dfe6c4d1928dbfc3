//! Numbers and days as bytes, without `std::fmt`: the same text as
//! `format!("{x}")` for numbers and as `retentionkit::period::format_day`
//! for days, appended to a buffer.

use retentionkit::period::format_day;

/// Append `n` in decimal.
pub fn push_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Append `x` as `format!("{x}")` prints it: the shortest digits that read
/// back as `x`, never with an exponent (`1e-7` is `0.0000001`, `1e21` is
/// `1000000000000000000000`), no `.0` on whole numbers, `-0` for negative
/// zero, and `NaN`, `inf`, `-inf`.
///
/// The digits come from `zmij` (a shortest round-trip formatter, as Rust's
/// own); its text, which may have an exponent, is rewritten positionally.
/// The two differ when `x` lies exactly halfway between the two closest
/// shortest decimals (`3300600919020.53125`: `zmij` rounds to even, `…5312`,
/// Rust up, `…5313`): such values, which have a short exact decimal
/// expansion, go through `Display` itself.
pub fn push_f64(out: &mut Vec<u8>, x: f64) {
    if !x.is_finite() {
        out.extend_from_slice(if x.is_nan() {
            b"NaN"
        } else if x > 0.0 {
            b"inf"
        } else {
            b"-inf"
        });
        return;
    }
    // Whole numbers below 2^53 (days, counts, zeros) print as integers.
    // ok: the cast saturates; equality holds only for whole numbers.
    #[allow(clippy::cast_possible_truncation)]
    let whole = x.abs() < TWO_53 && (x as i64) as f64 == x;
    if whole {
        if x.is_sign_negative() {
            out.push(b'-');
        }
        // ok: a whole number below 2^53 in magnitude.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        push_u64(out, x.abs() as u64);
        return;
    }
    let tie = tie_digits(x);
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(x).as_bytes();
    // A fraction below 2^53 without an exponent (`0.25`,
    // `-78.86888888888888`) that cannot be a tie is already as `Display`
    // prints it. The exponent, if any, is in the last 5 bytes (`e-7`,
    // `e+300`).
    let has_exponent = text[text.len().saturating_sub(5)..].contains(&b'e');
    if !has_exponent && x.abs() < TWO_53 && tie.is_none() {
        out.extend_from_slice(text);
        return;
    }
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let (mantissa, exponent) = match text.iter().position(|&b| b == b'e' || b == b'E') {
        Some(p) => (&text[..p], parse_exponent(&text[p + 1..])),
        None => (text, 0),
    };
    // The mantissa's digits without its point, and where the point goes:
    // after `point` digits (negative: that many zeros before the digits).
    let mut digits = [0u8; 32];
    let mut n = 0usize;
    let mut point = None;
    for &b in mantissa {
        if b == b'.' {
            point = Some(n);
        } else if let Some(slot) = digits.get_mut(n) {
            *slot = b;
            n += 1;
        }
    }
    // ok: at most 32 digits.
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let mut point = point.unwrap_or(n) as i32 + exponent;
    let mut start = 0;
    while start < n && digits[start] == b'0' {
        start += 1;
        point -= 1;
    }
    while n > start && digits[n - 1] == b'0' {
        n -= 1;
    }
    if negative {
        out.push(b'-');
    }
    let digits = &digits[start..n];
    if digits.is_empty() {
        out.push(b'0');
        return;
    }
    if tie.is_some_and(|exact| exact > digits.len()) {
        out.extend_from_slice(x.abs().to_string().as_bytes());
        return;
    }
    // ok: at most 32 digits.
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let len = digits.len() as i32;
    if point <= 0 {
        out.extend_from_slice(b"0.");
        push_zeros(out, -point);
        out.extend_from_slice(digits);
    } else if point >= len {
        out.extend_from_slice(digits);
        push_zeros(out, point - len);
    } else {
        // ok: 0 < point < len.
        #[allow(clippy::cast_sign_loss)]
        let (whole, fraction) = digits.split_at(point as usize);
        out.extend_from_slice(whole);
        out.push(b'.');
        out.extend_from_slice(fraction);
    }
}

/// The number of significant digits of the exact decimal expansion of `x`
/// when it ends in 5 and is short enough to be a tie: `x` printed with
/// fewer digits may then lie exactly halfway between two decimals of that
/// many digits (a tie needs an expansion of at most 18 digits). `None`: no
/// tie possible; `Some(usize::MAX)`: not worked out (beyond `u128`), take
/// the slow path. False positives only cost the slow path.
fn tie_digits(x: f64) -> Option<usize> {
    let bits = x.abs().to_bits();
    let exponent_bits = bits >> 52;
    let fraction = bits & ((1 << 52) - 1);
    // x = m * 2^k exactly, m odd.
    let (mut m, mut k) = if exponent_bits == 0 {
        (fraction, -1074i32)
    } else {
        // ok: the exponent has 11 bits.
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
        let e = exponent_bits as i32;
        (fraction | (1 << 52), e - 1075)
    };
    if m == 0 {
        return None;
    }
    let zeros = m.trailing_zeros();
    m >>= zeros;
    // ok: at most 63.
    #[allow(clippy::cast_possible_wrap)]
    let zeros = zeros as i32;
    k += zeros;
    // The exact expansion has at least (bits of m - 1) * log10(2) + (-k) *
    // log10(5) digits: past 18, no tie (a quick exit for most fractions).
    if k < 0 {
        let bits = i64::from(64 - m.leading_zeros());
        if (bits - 1) * 30_102 + i64::from(-k) * 69_897 >= 1_800_000 {
            return None;
        }
    }
    let exact = if k >= 0 {
        if k > 74 {
            // Beyond u128: take the slow path.
            return Some(usize::MAX);
        }
        u128::from(m) << k
    } else {
        // m * 5^-k: the digits of m * 2^k = m * 5^-k / 10^-k. Longer than
        // u128 means more than 38 digits: no tie.
        5u128
            .checked_pow(k.unsigned_abs())
            .and_then(|p| p.checked_mul(u128::from(m)))?
    };
    let mut v = exact;
    while v % 10 == 0 {
        v /= 10;
    }
    if v % 10 != 5 {
        return None;
    }
    let mut digits = 0;
    while v > 0 {
        v /= 10;
        digits += 1;
    }
    Some(digits)
}

/// 2^53: every `f64` at least this large is a whole number.
const TWO_53: f64 = 9_007_199_254_740_992.0;

fn push_zeros(out: &mut Vec<u8>, count: i32) {
    for _ in 0..count {
        out.push(b'0');
    }
}

/// The exponent after `e`: an optional sign and decimal digits (at most 3
/// for an `f64`).
fn parse_exponent(text: &[u8]) -> i32 {
    let (sign, digits) = match text.split_first() {
        Some((b'-', rest)) => (-1, rest),
        Some((b'+', rest)) => (1, rest),
        _ => (1, text),
    };
    sign * digits
        .iter()
        .fold(0i32, |e, &d| e * 10 + i32::from(d.wrapping_sub(b'0')))
}

/// The first and last day written by the fast path (0001-01-01 and
/// 9999-12-31 as days since 1970-01-01); others go through `format_day`.
const FAST_DAYS: std::ops::RangeInclusive<i32> = -719_162..=2_932_896;

/// Append a day number as `format_day` prints it: `YYYY-MM-DD`.
pub fn push_day(out: &mut Vec<u8>, day: i32) {
    if !FAST_DAYS.contains(&day) {
        out.extend_from_slice(format_day(day).as_bytes());
        return;
    }
    let (y, m, d) = civil_from_days(day);
    // ok: 1 <= y <= 9999, 1 <= m <= 12, 1 <= d <= 31 in the fast range.
    #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
    let (y, m, d) = (y as u32, m as u8, d as u8);
    let digit = |v: u32| b'0' + (v % 10) as u8;
    out.extend_from_slice(&[
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        b'0' + m / 10,
        b'0' + m % 10,
        b'-',
        b'0' + d / 10,
        b'0' + d % 10,
    ]);
}

/// Year, month and day of a day number (days since 1970-01-01) in the
/// proleptic Gregorian calendar: Howard Hinnant's `civil_from_days`
/// (<https://howardhinnant.github.io/date_algorithms.html>), in 400-year eras.
fn civil_from_days(day: i32) -> (i32, i32, i32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..=365, from March 1
    let mp = (5 * doy + 2) / 153; // 0..=11, March = 0
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(x: f64) -> String {
        let mut out = Vec::new();
        push_f64(&mut out, x);
        String::from_utf8(out).unwrap()
    }

    /// splitmix64: a small seeded generator for the property tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
    }

    #[track_caller]
    fn same_as_display(x: f64) {
        assert_eq!(text(x), format!("{x}"), "bits {:#x}", x.to_bits());
    }

    #[test]
    fn edge_values_print_as_display() {
        let edges = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.5,
            1e-7,
            1e21,
            1e22,
            1e23,
            1e-300,
            1e300,
            1e308,
            -1e-300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            -5e-324,
            2.225_073_858_507_201e-308,
            123_456_789.0,
            9_007_199_254_740_992.0,
            9_007_199_254_740_993.0,
            0.3,
            2.0 / 3.0,
            24.0 / 7.0,
            100.0,
            1e15,
            1e16,
            1e17,
            123.456,
            0.000_123_456,
            // 3300600919020.53125: exactly halfway between two 17-digit decimals.
            f64::from_bits(0x4288_03d9_299f_6440),
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in edges {
            same_as_display(x);
        }
        assert_eq!(text(1e-7), "0.0000001");
        assert_eq!(text(1e21), "1000000000000000000000");
        assert_eq!(text(-0.0), "-0");
        assert_eq!(text(66.0), "66");
    }

    #[test]
    fn random_values_print_as_display() {
        let mut rng = Rng(20);
        for _ in 0..200_000 {
            // Any bit pattern: every exponent, subnormals, NaNs and infinities.
            same_as_display(f64::from_bits(rng.next()));
        }
        for _ in 0..200_000 {
            // Values like the outputs: whole numbers, cents, ratios, small
            // probabilities.
            let r = rng.next();
            let k = (r >> 11) % 10_000_000;
            let scale = [1.0, 7.0, 100.0, 1e3, 1e-5, 1e9, 3.0][(r % 7) as usize];
            #[allow(clippy::cast_precision_loss)]
            let k = k as f64;
            same_as_display(k);
            same_as_display(k / scale);
            same_as_display(k * scale);
            same_as_display(-(k / scale));
        }
        for _ in 0..200_000 {
            // Short binary fractions and large multiples of powers of two:
            // the values whose exact decimals are short, where ties live.
            let r = rng.next();
            #[allow(clippy::cast_precision_loss)]
            let m = (r >> 11) as f64;
            let j = (rng.next() % 80) as i32;
            same_as_display(m / 2f64.powi(j));
            same_as_display(m * 2f64.powi(j));
            same_as_display((m / 1e6).round() / 2f64.powi(j % 12));
        }
    }

    #[test]
    fn integers_print_as_display() {
        let mut out = Vec::new();
        for n in [0, 1, 9, 10, 99, 100, 12_345, u64::MAX] {
            out.clear();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn days_print_as_format_day() {
        let mut out = Vec::new();
        let mut check = |day: i32| {
            out.clear();
            push_day(&mut out, day);
            assert_eq!(String::from_utf8(out.clone()).unwrap(), format_day(day));
        };
        // Every day from 1600 to 2400, then every 97th over the whole range
        // and past both ends.
        for day in -135_140..=157_000 {
            check(day);
        }
        for day in (-720_000..=2_934_000).step_by(97) {
            check(day);
        }
        for day in [
            i32::MIN,
            i32::MAX,
            *FAST_DAYS.start(),
            *FAST_DAYS.end(),
            FAST_DAYS.start() - 1,
            FAST_DAYS.end() + 1,
        ] {
            check(day);
        }
    }
}
