//! Embeds the browser page (web/dist, made by web/build.sh) into the binary for
//! `sigdoctor web`, when it exists. A fresh clone has no web/dist and needs no wasm tools to
//! build: the list is then empty and `sigdoctor web` says how to make the page.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=web");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("web/dist");
    let mut code = String::from("/// web/dist at build time: (file name, contents).\n");
    code.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    // Only the command line serves the page; the wasm build of the core (web/) must not
    // embed the page it is a part of.
    let cli = std::env::var_os("CARGO_FEATURE_CLI").is_some();
    if let (true, Ok(entries)) = (
        cli && dist.join("index.html").is_file(),
        std::fs::read_dir(&dist),
    ) {
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        for name in names {
            let path = dist.join(&name);
            let _ = writeln!(
                code,
                "    ({name:?}, include_bytes!({:?})),",
                path.display().to_string()
            );
        }
    }
    code.push_str("];\n");
    if let Err(e) = std::fs::write(Path::new(&out).join("web_dist.rs"), code) {
        panic!("build.rs: cannot write web_dist.rs: {e}");
    }
}
