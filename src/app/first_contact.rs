//! What a new user gets wrong before any signature is looked at, each answered with the
//! fix: an OAuth 2 bearer token where OAuth 1.0a was expected (Alteryx 2022.1+ `/webapi/`),
//! and a URL the shell cut at its first unquoted `&`.

use crate::error::Error;
use crate::request::url::shorten;
use crate::request::Request;

/// Refuses a request explain cannot judge, saying why in the user's terms; a request with
/// no OAuth at all and no better explanation is left to the caller's own error.
pub fn check_request(req: &Request, given: &str) -> Result<(), Error> {
    let from_argv = given != "-" && !given.starts_with('@');
    if !req.has_oauth() {
        if let Some(auth) = req.header("authorization") {
            if auth.trim_start().to_ascii_lowercase().starts_with("bearer") {
                let webapi = req.url.path.to_ascii_lowercase().contains("/webapi/");
                return Err(Error::input(format!(
                    "this request carries `Authorization: Bearer ...`: that is OAuth 2, not OAuth \
                     1.0a{}; sigdoctor explains OAuth 1.0a signatures (a bearer token has none)",
                    if webapi {
                        " (Alteryx Server 2022.1+ /webapi/ takes OAuth 2 only; the legacy \
                         /gallery/api/ endpoints keep OAuth 1.0a)"
                    } else {
                        ""
                    }
                )));
            }
        }
        if from_argv && cut_at_ampersand(req) {
            return Err(Error::input(format!(
                "no OAuth parameter in `{}`: if the URL went on after a `&`, the shell cut it \
                 there; quote the URL ('...' in bash, zsh and PowerShell, \"...\" in cmd)",
                shorten(&req.url.text)
            )));
        }
        // Otherwise the caller's own "no OAuth parameter" error.
        return Ok(());
    }
    if from_argv && req.param("oauth_signature").is_none() && cut_at_ampersand(req) {
        return Err(quote_hint(req));
    }
    Ok(())
}

/// A URL given on the command line whose query holds one parameter and no `&`, with no
/// Authorization header: what an unquoted URL looks like after the shell ran the rest of it
/// in the background.
fn cut_at_ampersand(req: &Request) -> bool {
    req.header("authorization").is_none()
        && req
            .url
            .query
            .as_deref()
            .is_some_and(|q| !q.is_empty() && !q.contains('&'))
}

fn quote_hint(req: &Request) -> Error {
    Error::input(format!(
        "no oauth_signature: the URL stops after its first query parameter (`{}`), where the \
         shell cut it at `&`; quote the URL ('...' in bash, zsh and PowerShell, \"...\" in cmd)",
        shorten(&req.url.text)
    ))
}
