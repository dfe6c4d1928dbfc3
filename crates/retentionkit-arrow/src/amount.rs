//! Amounts written as text: a finite, non-negative decimal number within
//! the core's bound (`retentionkit::log::check_amount`, at most 2^53). The
//! CSV reader and the Arrow conversion (text amount columns) read them alike.

use crate::dates::trim;

/// Parse an amount: a decimal number, optionally with a leading `$`/`€`/`£`
/// sign is not accepted (the value must be a plain number).
///
/// # Errors
/// Why the text is not an amount (not a number, negative, not finite, or
/// above the core's bound), in the words of the readers' messages.
///
/// # Examples
/// ```
/// use retentionkit_arrow::amount::parse_amount;
/// assert_eq!(parse_amount(b" 29.33 "), Ok(29.33));
/// assert!(parse_amount(b"-1").unwrap_err().contains("non-negative"));
/// ```
pub fn parse_amount(s: &[u8]) -> std::result::Result<f64, String> {
    let v = parse_number(s)?;
    // The core's bound (at most 2^53), in its words.
    match retentionkit::log::check_amount(v, 0) {
        Err(retentionkit::Error::InvalidValue { reason, .. }) => Err(reason),
        _ => Ok(v),
    }
}

/// A finite, non-negative decimal number.
fn parse_number(s: &[u8]) -> std::result::Result<f64, String> {
    let t = trim(s);
    if let Some(v) = simple_decimal(t) {
        return Ok(v);
    }
    let text = std::str::from_utf8(t)
        .map_err(|_| "expected an amount like 12.50, found bytes that are not UTF-8".to_string())?;
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(v) if v.is_finite() => Err(format!(
            "expected a non-negative amount (net refunds before reading), found {text:?}"
        )),
        Ok(v) => Err(format!("expected a finite amount, found {v}")),
        Err(_) => Err(format!("expected an amount like 12.50, found {text:?}")),
    }
}

/// Powers of ten exactly representable in `f64`.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// `123.45` with at most 15 digits: the digits as an integer divided by a
/// power of ten. Both are exact in `f64`, so the one division is correctly
/// rounded and equals what `str::parse` gives (Clinger's fast path).
/// `None` for anything else (signs, exponents, more digits), which then
/// takes the general parser.
pub fn simple_decimal(t: &[u8]) -> Option<f64> {
    let mut mantissa: u64 = 0;
    let mut digits = 0usize;
    let mut decimals: Option<usize> = None;
    for &b in t {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
                if digits > 15 {
                    return None;
                }
                if let Some(d) = decimals.as_mut() {
                    *d += 1;
                }
            }
            b'.' if decimals.is_none() => decimals = Some(0),
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)] // ok: below 10^15 < 2^53, exact
    let m = mantissa as f64;
    Some(m / POW10[decimals.unwrap_or(0)])
}
