//! The base-string diff: components aligned (method, URI, each parameter), and inside a
//! changed component, which characters differ. Pure: renderers add the colour.

use similar::algorithms::{myers, Capture, Replace};
use similar::{ChangeTag, DiffOp, TextDiff};

use super::model::Component;

/// A run of characters, marked when it differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Whether this run differs from the other side.
    pub changed: bool,
    /// The characters.
    pub text: String,
}

/// One line of the diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// The same on both sides.
    Same(Component),
    /// Only in the server's (RFC) base string.
    OnlyRfc(Component),
    /// Only in the client's base string.
    OnlyClient(Component),
    /// Present on both sides, different inside.
    Changed {
        /// Component label.
        label: &'static str,
        /// The RFC side, split into runs.
        rfc: Vec<Segment>,
        /// The client side, split into runs.
        client: Vec<Segment>,
    },
}

/// Diffs the RFC components against the client's.
pub fn diff(rfc: &[Component], client: &[Component]) -> Vec<Line> {
    let mut out = Vec::new();
    // The Replace hook turns a delete next to an insert into one replacement, so a changed
    // component is diffed inside instead of shown as removed and added.
    let mut hook = Replace::new(Capture::new());
    // Capture and Replace cannot fail.
    let _ = myers::diff(&mut hook, rfc, 0..rfc.len(), client, 0..client.len());
    for op in hook.into_inner().into_ops() {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                out.extend(
                    rfc[old_index..old_index + len]
                        .iter()
                        .cloned()
                        .map(Line::Same),
                );
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend(
                rfc[old_index..old_index + old_len]
                    .iter()
                    .cloned()
                    .map(Line::OnlyRfc),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend(
                client[new_index..new_index + new_len]
                    .iter()
                    .cloned()
                    .map(Line::OnlyClient),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let olds = &rfc[old_index..old_index + old_len];
                let news = &client[new_index..new_index + new_len];
                let paired = old_len.min(new_len);
                for (a, b) in olds.iter().zip(news) {
                    out.push(changed(a, b));
                }
                out.extend(olds[paired..].iter().cloned().map(Line::OnlyRfc));
                out.extend(news[paired..].iter().cloned().map(Line::OnlyClient));
            }
        }
    }
    out
}

fn changed(a: &Component, b: &Component) -> Line {
    let d = TextDiff::from_chars(a.text.as_str(), b.text.as_str());
    let mut rfc: Vec<Segment> = Vec::new();
    let mut client: Vec<Segment> = Vec::new();
    let push = |v: &mut Vec<Segment>, changed: bool, s: &str| match v.last_mut() {
        Some(last) if last.changed == changed => last.text.push_str(s),
        _ => v.push(Segment {
            changed,
            text: s.to_string(),
        }),
    };
    for c in d.iter_all_changes() {
        match c.tag() {
            ChangeTag::Equal => {
                push(&mut rfc, false, c.value());
                push(&mut client, false, c.value());
            }
            ChangeTag::Delete => push(&mut rfc, true, c.value()),
            ChangeTag::Insert => push(&mut client, true, c.value()),
        }
    }
    Line::Changed {
        label: a.label,
        rfc,
        client,
    }
}

/// A base string (`METHOD&uri&params`, RFC 5849 3.4.1.1) split into the components the
/// diff aligns: for base strings that come from outside (a server that revealed its own).
pub fn components_of(base_string: &str) -> Vec<Component> {
    let mut parts = base_string.splitn(3, '&');
    let dec = |s: &str| {
        String::from_utf8_lossy(&crate::rfc5849::encode::decode(s.as_bytes(), false)).into_owned()
    };
    let mut out = vec![Component {
        label: "method",
        text: parts.next().unwrap_or_default().to_string(),
    }];
    if let Some(uri) = parts.next() {
        out.push(Component {
            label: "uri",
            text: dec(uri),
        });
    }
    if let Some(params) = parts.next() {
        out.extend(
            dec(params)
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| Component {
                    label: "param",
                    text: p.to_string(),
                }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(label: &'static str, text: &str) -> Component {
        Component {
            label,
            text: text.to_string(),
        }
    }

    #[test]
    fn marks_the_port_inside_the_uri() {
        let rfc = [
            c("method", "GET"),
            c("uri", "https://h/x"),
            c("param", "a=1"),
        ];
        let cl = [
            c("method", "GET"),
            c("uri", "https://h:443/x"),
            c("param", "a=1"),
        ];
        let d = diff(&rfc, &cl);
        assert_eq!(d[0], Line::Same(c("method", "GET")));
        let Line::Changed { client, .. } = &d[1] else {
            panic!("{d:?}")
        };
        let marked: String = client
            .iter()
            .filter(|s| s.changed)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, ":443");
        assert_eq!(d[2], Line::Same(c("param", "a=1")));
    }
}
