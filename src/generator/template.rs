//! Template syntax in a generator's Markdown: Hugo shortcodes (`{{< x >}}`,
//! `{{% x %}}`) and Liquid or Nunjucks tags (`{% x %}`, `{{ x }}`) are code
//! the generator runs; almanac does not, so they are taken out of the text
//! rather than shown to subscribers as braces (docs/sources.md).

use std::borrow::Cow;

/// The openers and closers of template syntax, longest first.
const PAIRS: [(&str, &str); 4] = [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}"), ("{{", "}}")];

/// A shortcode almanac does not know, dropped: its name and body line
/// (0-based), the first of each name only.
pub type Unknown = Vec<(String, usize)>;

/// `body` with Hugo's common shortcodes rendered (`figure`, `youtube`,
/// `vimeo`, `gist`, `highlight`, `ref`, `relref`) and every other template
/// tag taken out (`{% raw %}` and `{% endraw %}` go too, the text between
/// them stays). Unchanged (borrowed) when there is none. Code spans and
/// blocks are left alone: a post that shows template syntax means it.
pub fn strip_templates(body: &str) -> Cow<'_, str> {
    render_templates(body).0
}

/// [`strip_templates`], with the shortcodes it did not know.
pub fn render_templates(body: &str) -> (Cow<'_, str>, Unknown) {
    let mut unknown = Unknown::new();
    if !body.contains("{{") && !body.contains("{%") {
        return (Cow::Borrowed(body), unknown);
    }
    let mut out = String::with_capacity(body.len());
    let mut fenced = false;
    for (index, line) in body.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        fenced ^= fence;
        match fenced || fence {
            true => out.push_str(line),
            false => strip_line(line, &mut out, &mut |name| {
                if !unknown.iter().any(|(known, _)| known == name) {
                    unknown.push((name.to_string(), index));
                }
            }),
        }
    }
    (Cow::Owned(out), unknown)
}

fn strip_line(line: &str, out: &mut String, unknown: &mut dyn FnMut(&str)) {
    let mut rest = line;
    loop {
        let found = PAIRS
            .iter()
            .filter_map(|(open, close)| rest.find(open).map(|at| (at, *open, *close)))
            .min_by_key(|(at, open, _)| (*at, std::cmp::Reverse(open.len())));
        let Some((at, open, close)) = found else {
            out.push_str(rest);
            return;
        };
        // Inside a code span: kept as written.
        if rest[..at].matches('`').count() % 2 == 1 {
            out.push_str(&rest[..at + open.len()]);
            rest = &rest[at + open.len()..];
            continue;
        }
        out.push_str(&rest[..at]);
        let Some(end) = rest[at + open.len()..].find(close) else {
            out.push_str(&rest[at..]);
            return;
        };
        let inner = &rest[at + open.len()..at + open.len() + end];
        if matches!(open, "{{<" | "{{%") {
            shortcode(inner, out, unknown);
        }
        rest = &rest[at + open.len() + end + close.len()..];
    }
}

/// Renders one Hugo shortcode into `out`, or names it to `unknown`.
fn shortcode(inner: &str, out: &mut String, unknown: &mut dyn FnMut(&str)) {
    let inner = inner
        .trim()
        .trim_start_matches("/*")
        .trim_end_matches("*/")
        .trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim()),
        None => (false, inner),
    };
    let mut words = arguments(inner).into_iter();
    let name = words.next().map(|(_, v)| v).unwrap_or_default();
    let args: Vec<(Option<String>, String)> = words.collect();
    let get = |key: &str, position: usize| argument(&args, key, position);
    let link = |url: String| format!("<a href=\"{url}\">{url}</a>");
    match (name.as_str(), closing) {
        ("highlight", true) => out.push_str("```"),
        ("highlight", false) => out.push_str(&format!("```{}", get("lang", 0).unwrap_or_default())),
        (_, true) => {}
        ("figure", _) => figure(&args, out),
        ("youtube", _) => {
            let id = get("id", 0).unwrap_or_default();
            out.push_str(&link(format!("https://www.youtube.com/watch?v={id}")));
        }
        ("vimeo", _) => out.push_str(&link(format!(
            "https://vimeo.com/{}",
            get("id", 0).unwrap_or_default()
        ))),
        ("gist", _) => {
            let (user, id) = (
                get("user", 0).unwrap_or_default(),
                get("id", 1).unwrap_or_default(),
            );
            out.push_str(&link(format!("https://gist.github.com/{user}/{id}")));
        }
        ("ref" | "relref", _) => reference(&get("path", 0).unwrap_or_default(), out),
        (name, _) => unknown(name),
    }
}

type Arguments = [(Option<String>, String)];

/// The argument named `key`, else the unnamed one at `position`, escaped.
fn argument(args: &Arguments, key: &str, position: usize) -> Option<String> {
    args.iter()
        .find(|(k, _)| k.as_deref() == Some(key))
        .or_else(|| args.iter().filter(|(k, _)| k.is_none()).nth(position))
        .map(|(_, v)| escape(v))
}

/// `figure`: the image, with its caption (or title) under it.
fn figure(args: &Arguments, out: &mut String) {
    let src = argument(args, "src", 0).unwrap_or_default();
    let alt = argument(args, "alt", usize::MAX).unwrap_or_default();
    out.push_str(&format!("<figure><img src=\"{src}\" alt=\"{alt}\">"));
    let caption =
        argument(args, "caption", usize::MAX).or_else(|| argument(args, "title", usize::MAX));
    if let Some(caption) = caption {
        out.push_str(&format!("<figcaption>{caption}</figcaption>"));
    }
    out.push_str("</figure>");
}

/// `ref`/`relref`: the page's path without its extension, as a link target.
fn reference(target: &str, out: &mut String) {
    let (page, anchor) = target.split_once('#').unwrap_or((target, ""));
    let page = page
        .trim_end_matches(".md")
        .trim_end_matches("/index")
        .trim_end_matches("/_index");
    out.push_str(&format!("/{}/", page.trim_matches('/')).replace("//", "/"));
    if !anchor.is_empty() {
        out.push_str(&format!("#{anchor}"));
    }
}

/// A shortcode's words: the name, then `key="value"` or `"value"` arguments.
fn arguments(inner: &str) -> Vec<(Option<String>, String)> {
    let mut words = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return words;
        }
        let mut key = None;
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            match c {
                '"' | '`' => {
                    chars.next();
                    word.extend(chars.by_ref().take_while(|&d| d != c));
                }
                '=' if key.is_none() => {
                    chars.next();
                    key = Some(std::mem::take(&mut word));
                }
                c if c.is_whitespace() => break,
                c => {
                    chars.next();
                    word.push(c);
                }
            }
        }
        words.push((key, word));
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_and_liquid_tags_leave_no_braces() {
        let body = "A {{< venue name=\"Hall\" >}} B {{% note %}}x{{% /note %}}\n\
                    {% include venue.html %} and {{ site.title }}.\n";
        assert_eq!(strip_templates(body), "A  B x\n and .\n");
    }

    #[test]
    fn common_shortcodes_are_rendered_and_others_named_once() {
        let body = "{{< figure src=\"/a.jpg\" caption=\"A & B\" >}}\n\
                    {{< youtube abc123 >}} {{< gist ann 42 >}}\n\
                    [x]({{< ref \"posts/kiln.md\" >}}) {{< venue >}}\n{{< venue x >}}\n\
                    {{< highlight go >}}\nfmt.Println()\n{{< /highlight >}}\n";
        let (text, unknown) = render_templates(body);
        assert!(
            text.contains(
                "<figure><img src=\"/a.jpg\" alt=\"\"><figcaption>A &amp; B</figcaption></figure>"
            ),
            "{text}"
        );
        assert!(
            text.contains("https://www.youtube.com/watch?v=abc123"),
            "{text}"
        );
        assert!(text.contains("https://gist.github.com/ann/42"), "{text}");
        assert!(text.contains("[x](/posts/kiln/)"), "{text}");
        assert!(text.contains("```go\nfmt.Println()\n```\n"), "{text}");
        assert_eq!(unknown, vec![("venue".to_string(), 2)]);
    }

    #[test]
    fn code_is_kept_as_written() {
        let body = "Use `{{ x }}` here.\n```\n{% raw %}\n```\n";
        assert_eq!(strip_templates(body), body);
        assert!(matches!(strip_templates("plain\n"), Cow::Borrowed(_)));
    }
}
