//! Issue 19, "never wrong quietly": customer identity, column detection,
//! placeholder dates, messages in the user's words and CSV round trips
//! (docs/input.md has the rules these tests check).

use super::{data, fails, ok, scratch, stderr, stdout};

/// Write `text` to a file `name` in the test's scratch folder.
fn file(test: &str, name: &str, text: &[u8]) -> String {
    let p = scratch(test).join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// The first column of `summary` output, without the header: the ids as printed.
fn ids_of(path: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["summary", "-q", path];
    args.extend_from_slice(extra);
    let o = ok(&args);
    let out = stdout(&o);
    out.lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_customer_is_its_trimmed_text_whatever_the_other_rows() {
    // docs/input.md, "Customer ids": `007`, `7`, `+7` and `7.0` are four
    // customers, `7`, ` 7` and `7 ` one, printed as their trimmed text.
    let mixed = file(
        "ids-mixed",
        "orders.csv",
        b"id,date,amount\n007,2024-01-01,5\n7,2024-01-02,6\n 7,2024-01-03,1\n+7,2024-01-04,1\n7.0,2024-01-05,1\n7 ,2024-01-06,1\n",
    );
    let ids = ids_of(&mixed, &[]);
    assert_eq!(ids.len(), 4, "{ids:?}");
    for want in ["007", "7", "+7", "7.0"] {
        assert!(ids.iter().any(|i| i == want), "{want} in {ids:?}");
    }
    // The same two first rows with only numeric ids: still two customers,
    // `007` printed as written (it was `7` when every id was numeric).
    let numeric = file(
        "ids-numeric",
        "orders.csv",
        b"id,date,amount\n007,2024-01-01,5\n7,2024-01-02,6\n",
    );
    let mut ids = ids_of(&numeric, &[]);
    ids.sort();
    assert_eq!(ids, ["007", "7"]);
    // With a string id elsewhere the answer is the same.
    let with_text = file(
        "ids-with-text",
        "orders.csv",
        b"id,date,amount\n007,2024-01-01,5\n7,2024-01-02,6\nx,2024-01-03,1\n",
    );
    let mut ids = ids_of(&with_text, &[]);
    ids.sort();
    assert_eq!(ids, ["007", "7", "x"]);
    // Canonical decimals only (the integer fast path): whitespace merges.
    let spaced = file(
        "ids-spaced",
        "orders.csv",
        b"id,date,amount\n7,2024-01-01,5\n 7,2024-01-02,6\n7 ,2024-01-03,1\n",
    );
    assert_eq!(ids_of(&spaced, &[]), ["7"]);
}

#[test]
fn parquet_string_ids_follow_the_same_rule() {
    // ids.parquet (tests/data/SOURCES.md): `7`, ` 7`, `7 ` are one customer
    // (three orders: frequency 2), `007` and `+7` two more.
    let o = ok(&["summary", "-q", &data("ids.parquet")]);
    let out = stdout(&o);
    let mut rows: Vec<&str> = out.lines().skip(1).collect();
    rows.sort_unstable();
    let ids: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            let mut f = r.split(',');
            (f.next().unwrap(), f.next().unwrap())
        })
        .collect();
    assert_eq!(ids, [("+7", "0"), ("007", "0"), ("7", "2")]);
    // A number column not named like an amount: the command asks.
    let p = data("unnamed_amount.parquet");
    fails(
        &["summary", &p],
        2,
        r#"cannot tell whether "paid" holds the order amounts: name it with --amount "paid", or give --amount none"#,
    );
    ok(&["summary", "-q", &p, "--amount", "paid"]);
}

#[test]
fn parquet_columns_found_by_name_are_recorded() {
    // small.parquet holds the ids of small.csv as a string column: the
    // summary is the CSV's (checked in main.rs); the columns were found by
    // name, which the JSON records.
    let o = ok(&["report", "--json", "-q", &data("small.parquet")]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v["columns"]["chosen_by"],
        serde_json::json!({"id": "name", "date": "name", "amount": "name"})
    );
}

#[test]
fn quoted_ids_round_trip_and_control_characters_are_rejected() {
    // RFC 4180: `"a""b"` is the id a"b; summary writes it back the same way,
    // and reading that output gives the same id again.
    let quoted = file(
        "ids-quoted",
        "orders.csv",
        b"id,date,amount\n\"a\"\"b\",2024-01-01,10\n\"c,d\",2024-01-02,20\n",
    );
    let o = ok(&["summary", "-q", &quoted, "--unit", "days"]);
    let first = stdout(&o);
    assert!(first.contains("\n\"a\"\"b\",0,"), "{first}");
    assert!(first.contains("\n\"c,d\",0,"), "{first}");
    let again = file("ids-quoted", "summary.csv", first.as_bytes());
    let o = ok(&[
        "summary",
        "-q",
        &again,
        "--id",
        "customer_id",
        "--date",
        "first_order",
        "--amount",
        "none",
    ]);
    // One order each (read by first_order): the same ids, quoted the same way.
    let second = stdout(&o);
    assert!(second.contains("\n\"a\"\"b\",0,"), "{second}");
    assert!(second.contains("\n\"c,d\",0,"), "{second}");
    // A NUL byte or an escape sequence in an id: rejected at its line, the
    // message from the core's rule (log::ids::text_id).
    let nul = file(
        "ids-nul",
        "orders.csv",
        b"id,date,amount\nok,2024-01-01,1\na\0b,2024-01-02,10\n",
    );
    fails(
        &["summary", &nul],
        2,
        &format!(
            r#"{nul}:3: column "id": id "a\0b" holds a control character (U+0000); ids may not hold control characters"#
        ),
    );
    let esc = file(
        "ids-esc",
        "orders.csv",
        b"id,date,amount\nx\x1b[31m,2024-01-02,10\n",
    );
    fails(
        &["summary", &esc],
        2,
        &format!(r#"{esc}:2: column "id": id "x\u{{1b}}[31m" holds a control character (U+001B)"#),
    );
}

#[test]
fn an_extra_field_is_rejected_at_its_line() {
    let extra = file(
        "extra",
        "orders.csv",
        b"id,date,amount\n1,2024-01-01,5\n2,2024-01-02,6,oops\n",
    );
    // Line 3 has a fourth field; the header names three columns.
    fails(
        &["summary", &extra],
        2,
        &format!(
            r#"{extra}:3: column "4": an extra field "oops": the line has 4 fields, the header names 3"#
        ),
    );
    // --skip-bad-rows skips it and says so.
    let o = ok(&["summary", &extra, "--skip-bad-rows"]);
    assert!(
        stderr(&o).contains("skipped 1 bad row(s), at line(s) 3;"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_detector_never_picks_a_column_its_values_contradict() {
    // `date,amount`: no id column (the amount has decimals, the date is the
    // date); it used to become id = "amount".
    let no_id = file(
        "detect-no-id",
        "orders.csv",
        b"date,amount\n2024-01-01,10.5\n2024-01-02,3.25\n",
    );
    fails(
        &["summary", &no_id],
        2,
        "found no column for the customer id (the columns are \"date\" and \"amount\"",
    );
    let err = fails(&["summary", &no_id], 2, "name it with --id");
    assert!(!err.contains("panicked"), "{err}");

    // Headerless `1,2024-01-01,10`: columns 1 and 3 both hold whole numbers,
    // so which is the id is not certain (it used to read no amount at all).
    let headerless = file(
        "detect-headerless",
        "orders.csv",
        b"1,2024-01-01,10\n2,2024-01-02,20\n1,2024-02-01,30\n",
    );
    fails(
        &["summary", &headerless],
        2,
        r#"cannot tell which column holds the customer id: columns "1" and "3" could; name it with --id"#,
    );
    // Given the id, the amount is still a guess: the command asks.
    fails(
        &["summary", &headerless, "--id", "1"],
        2,
        r#"cannot tell whether column "3" holds the order amounts (whole numbers); name the amount with --amount "3", or give --amount none"#,
    );
    // Named, it reads: customer 1 spent 10 + 30 = 40.
    let o = ok(&["summary", "-q", &headerless, "--id", "1", "--amount", "3"]);
    assert!(stdout(&o).contains("\n1,1,31,31,30,"), "{}", stdout(&o));
    // A decimal column is the amount; whole numbers then are the id.
    let decimals = file(
        "detect-decimals",
        "orders.csv",
        b"1,2024-01-01,10.5\n2,2024-01-02,20\n",
    );
    let o = ok(&["report", "--json", "-q", &decimals]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["columns"]["id"], "1");
    assert_eq!(v["columns"]["amount"], "3");
    assert_eq!(
        v["columns"]["chosen_by"],
        serde_json::json!({"id": "values", "date": "values", "amount": "values"})
    );
    // Flags are recorded as such.
    let o = ok(&[
        "report", "--json", "-q", &decimals, "--id", "1", "--amount", "none",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v["columns"]["chosen_by"],
        serde_json::json!({"id": "flag", "date": "values", "amount": "flag"})
    );
    assert!(v["columns"]["amount"].is_null());
}

#[test]
fn a_column_named_date_reports_its_bad_value() {
    // The header says `date`; line 3 holds a date that does not exist. It
    // used to say "found no column of dates".
    let bad = file(
        "detect-bad-date",
        "orders.csv",
        b"id,date,amount\n1,2024-01-01,10.5\n2,2024-13-45,3.5\n",
    );
    fails(
        &["summary", &bad],
        2,
        &format!(r#"{bad}:3: column "date": expected a date like 2024-01-31, found "2024-13-45""#),
    );
    // Nothing in it is a date at all: the first value, at its line.
    let words = file(
        "detect-word-date",
        "orders.csv",
        b"id,date,amount\n1,soon,10.5\n2,later,3.5\n",
    );
    fails(
        &["summary", &words],
        2,
        &format!(r#"{words}:2: column "date": expected a date (such as 2024-01-31), found "soon""#),
    );
}

#[test]
fn two_date_columns_are_not_guessed() {
    let two = file(
        "detect-two-dates",
        "orders.csv",
        b"who,ordered,shipped,paid\nann,2024-01-01,2024-01-03,10.5\nbob,2024-01-02,2024-01-05,3.5\n",
    );
    fails(
        &["summary", &two],
        2,
        r#"cannot tell which column holds the order date: columns "ordered" and "shipped" could; name it with --date"#,
    );
    let o = ok(&["summary", "-q", &two, "--date", "ordered"]);
    assert!(stdout(&o).starts_with("customer_id,"), "{}", stdout(&o));
}

#[test]
fn placeholder_dates_are_rejected_at_their_line() {
    // docs/input.md, "Dates": orders from 1900-01-01 to 2199-12-31 (the
    // core's log::FIRST_ORDER_DAY..=LAST_ORDER_DAY). 0001-01-01 used to stop
    // `report` with a message about `lookback`, and 0001-01-01 with
    // 9999-12-31 `predict` with "argument `a`".
    let early = file(
        "dates-early",
        "orders.csv",
        b"id,date,amount\n1,2024-01-01,10\n2,0001-01-01,20\n1,2024-02-01,5\n",
    );
    for cmd in ["report", "predict", "summary"] {
        fails(
            &[cmd, &early],
            2,
            &format!(
                r#"{early}:3: column "date": 0001-01-01 is outside the supported order dates 1900-01-01..=2199-12-31"#
            ),
        );
    }
    let late = file(
        "dates-late",
        "orders.csv",
        b"id,date,amount\n1,2024-01-01,10\n1,2024-02-01,5\n2,9999-12-31,20\n",
    );
    fails(
        &["predict", &late],
        2,
        &format!(r#"{late}:4: column "date": 9999-12-31 is outside the supported order dates"#),
    );
    // --skip-bad-rows computes the rest and names the line.
    let o = ok(&["report", "--json", &early, "--skip-bad-rows"]);
    assert!(
        stderr(&o).contains("skipped 1 bad row(s), at line(s) 3;"),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["data"]["first_day"], "2024-01-01");
    // The ends of the range are orders, and predict works across it.
    let wide = file(
        "dates-wide",
        "orders.csv",
        b"id,date,amount\n1,1900-01-01,10.5\n1,2024-02-01,20.5\n2,2199-12-31,5.5\n3,2024-02-01,1.5\n",
    );
    let o = ok(&["predict", "-q", &wide]);
    assert_eq!(stdout(&o).lines().count(), 4, "{}", stdout(&o));
}

#[test]
fn errors_name_the_flags_the_user_gave() {
    let small = data("small.csv");
    // small.csv's orders run from 2024-01-03 to 2024-03-09.
    fails(
        &["fit", "-q", &small, "--calibration-end", "2020-01-01"],
        2,
        "--calibration-end 2020-01-01: before the first order; the orders run from 2024-01-03 to 2024-03-09",
    );
    fails(
        &["fit", "-q", &small, "--calibration-end", "2030-01-01"],
        2,
        "--calibration-end 2030-01-01: not before the last order",
    );
    for cmd in ["fit", "report", "predict"] {
        let err = fails(
            &[cmd, "-q", &small, "--holdout", "99999w"],
            2,
            "--holdout 99999w: longer than the log (the orders run from 2024-01-03 to 2024-03-09, 66 days)",
        );
        assert!(!err.contains("observation_end"), "{err}");
    }
    fails(
        &["report", "-q", &small, "--lookback", "99999999m"],
        2,
        "--lookback: the window before",
    );
    // Every customer bought once: said in words, with what to do.
    let once = file(
        "one-time",
        "orders.csv",
        b"id,date,amount\n1,2024-01-01,10.5\n2,2024-02-01,20.5\n3,2024-03-01,5.5\n",
    );
    for cmd in ["fit", "predict"] {
        let err = fails(
            &[cmd, "-q", &once],
            2,
            "every customer ordered on one day only (no repeat purchases), so the BG/NBD model cannot be fitted",
        );
        assert!(!err.contains("argument `frequency`"), "{err}");
        assert!(
            err.contains("use a log that covers a longer period"),
            "{err}"
        );
    }
    // The report leaves the model out and says why, in the same words.
    let o = ok(&["report", "--json", "-q", &once]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("BG/NBD not fitted: every customer ordered on one day only"),
        "{}",
        v["notes"]
    );
}
