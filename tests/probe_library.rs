//! The probe as a library call, the way `demo` uses it: `app::probe::run` with a loopback
//! URL and the secret in an environment variable, and `probe::probe` for the report itself.

mod support;

use sigdoctor::cli::{ColorChoice, Format, GlobalArgs, ProbeArgs};
use support::{start_gallery, Normalization, KEY, SECRET, SECRET_VAR};

#[test]
fn app_probe_run_from_code() {
    std::env::set_var(SECRET_VAR, SECRET);
    let (addr, _g) = start_gallery("https://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let url = format!("http://127.0.0.1:{}/gallery/", addr.port());
    let mut options = sigdoctor::app::probe::default_options(KEY, &format!("env:{SECRET_VAR}"));
    options.rate = 0.0;
    let global = GlobalArgs {
        color: ColorChoice::Never,
        verbose: false,
    };
    let args = ProbeArgs {
        url: url.clone(),
        options: options.clone(),
        format: Format::Human,
        redact: Default::default(),
    };
    assert_eq!(sigdoctor::app::probe::run(args, &global).unwrap(), 1);

    let config = sigdoctor::app::probe::config(&url, &options, None, None).unwrap();
    let report = sigdoctor::probe::probe(&config).unwrap();
    assert_eq!(report.verdict, sigdoctor::probe::Verdict::Mismatch);
    assert_eq!(
        report.base_address.as_deref(),
        Some(format!("https://127.0.0.1:{}/gallery/", addr.port()).as_str())
    );
}

#[test]
fn probe_from_inside_a_tokio_runtime() {
    std::env::set_var(SECRET_VAR, SECRET);
    let (addr, _g) = start_gallery("http://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let url = format!("http://127.0.0.1:{}/gallery/", addr.port());
    let options = sigdoctor::app::probe::default_options(KEY, &format!("env:{SECRET_VAR}"));
    let config = sigdoctor::app::probe::config(&url, &options, None, None).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = rt.block_on(async { sigdoctor::probe::probe(&config).unwrap() });
    assert_eq!(report.verdict, sigdoctor::probe::Verdict::Ok);
}
