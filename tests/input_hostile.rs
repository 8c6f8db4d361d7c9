//! The hostile-input table of issue 6 for request capture: every entry is refused with one
//! line naming what and where, or, where the input is legal, read correctly. Never a panic.

use sigdoctor::cli::RequestInput;
use sigdoctor::input::{parse_text, require_oauth, to_text};
use sigdoctor::request::Request;

/// Capture plus the OAuth check the analysing commands make.
fn run(bytes: &[u8]) -> Result<Vec<Request>, String> {
    let text = to_text(bytes.to_vec(), "stdin").map_err(|e| e.to_string())?;
    let reqs = parse_text(&text, "stdin", &RequestInput::default()).map_err(|e| e.to_string())?;
    for r in &reqs {
        require_oauth(r).map_err(|e| e.to_string())?;
    }
    Ok(reqs)
}

#[test]
fn refused_with_one_clear_line() {
    let big = format!("https://h/x?oauth_nonce={}", "a".repeat(10 << 20));
    let table: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", b"".to_vec(), "stdin is empty"),
        ("whitespace", b" \n\t\r\n ".to_vec(), "stdin is empty"),
        ("not a URL", b"example.com/x".to_vec(), "expected scheme://host/path"),
        ("prose", b"please fix my request".to_vec(), "cannot tell what this is"),
        ("unsupported scheme", b"ftp://h/x?oauth_nonce=1".to_vec(), "unsupported scheme `ftp`"),
        ("no OAuth parameter", b"https://h/x?a=1".to_vec(), "no OAuth parameter"),
        ("invalid UTF-8", b"https://h/\xe9t\xe9".to_vec(), "not UTF-8 at byte offset 10"),
        ("NUL byte", b"curl https://h/\0".to_vec(), "NUL byte at byte offset 15"),
        ("truncated curl", b"curl -X POST 'https://h/x?oauth_nonce=1".to_vec(), "unterminated ' quote at line 1, column 14"),
        ("curl without URL", b"curl -X POST".to_vec(), "truncated curl command: no URL"),
        ("invalid HAR", b"{\"log\": {\"entries\": [{]}}".to_vec(), "not a HAR file"),
        ("HAR without OAuth", br#"{"log":{"entries":[{"request":{"method":"GET","url":"https://h/"}},{"request":{"method":"GET","url":"https://h/b"}}]}}"#.to_vec(), "HAR has 2 entries, none carries OAuth parameters"),
        ("broken Authorization header", b"curl https://h/ -H 'Authorization: OAuth oauth_nonce=\"abc'".to_vec(), "unterminated quote in the value of `oauth_nonce`"),
        ("10 MB of junk", "x y ".repeat(10 << 18).into_bytes(), "cannot tell what this is"),
        ("bad port", b"https://h:99999/?oauth_nonce=1".to_vec(), "bad host or port"),
        ("raw HTTP without host", b"GET /x?oauth_nonce=1 HTTP/1.1\r\n\r\n".to_vec(), "raw HTTP line 1, column 1"),
    ];
    for (what, input, want) in table {
        let e = run(&input).expect_err(what);
        assert!(e.contains(want), "{what}: got `{e}`");
        assert!(!e.contains('\n'), "{what}: more than one line: {e}");
    }
    // A 10 MB URL is legal, if odd: read, not refused.
    assert_eq!(
        run(big.as_bytes()).unwrap()[0].params[0].value.len(),
        10 << 20
    );
}

#[test]
fn legal_oddities_are_read_correctly() {
    let dup = run(b"https://h/x?oauth_nonce=1&oauth_nonce=2&oauth_nonce=").unwrap();
    let values: Vec<_> = dup[0].params.iter().map(|p| p.value_str()).collect();
    assert_eq!(values, ["1", "2", ""]);

    let many: String = (0..100_000).map(|i| format!("&p{i}=v")).collect();
    let r = run(format!("https://h/x?oauth_nonce=1{many}").as_bytes()).unwrap();
    assert_eq!(r[0].params.len(), 100_001);
}

/// Found by fuzz/sign_roundtrip: a NUL in `-d` given through the library reached sign's
/// curl output, which then could not be read back.
#[test]
fn nul_in_command_line_parts_is_refused() {
    let input = RequestInput {
        request: "https://h/x".into(),
        data: Some("a=\0".into()),
        ..Default::default()
    };
    let e = sigdoctor::input::capture(&input).unwrap_err().to_string();
    assert_eq!(e, "REQUEST: -d: NUL byte at byte offset 2");
}

/// Found by fuzz/sign_roundtrip: a backtick before a line break inside a quoted body was
/// taken for a PowerShell continuation, and a `^"` inside one for cmd.exe quoting.
#[test]
fn continuation_marks_inside_quotes_are_data() {
    for body in ["`\r\r", "`\n", "a^\"b", "x ^\ny"] {
        let text = format!("curl https://h/ --data-raw '{body}'");
        let r = parse_text(&text, "t", &RequestInput::default()).unwrap();
        assert_eq!(r[0].body.as_deref(), Some(body), "{text:?}");
    }
    let ps = parse_text("curl https://h/ `\n  -X PUT", "t", &RequestInput::default()).unwrap();
    assert_eq!(ps[0].method, "PUT");
}
