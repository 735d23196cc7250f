//! Template syntax in a generator's Markdown: Hugo shortcodes (`{{< x >}}`,
//! `{{% x %}}`) and Liquid or Nunjucks tags (`{% x %}`, `{{ x }}`) are code
//! the generator runs; almanac does not, so they are taken out of the text
//! rather than shown to subscribers as braces (docs/sources.md).

use std::borrow::Cow;

/// The openers and closers of template syntax, longest first.
const PAIRS: [(&str, &str); 4] = [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}"), ("{{", "}}")];

/// `body` without template tags (`{% raw %}` and `{% endraw %}` go too,
/// the text between them stays). Unchanged (borrowed) when there is none. Code spans and blocks are
/// left alone: a post that shows template syntax means it.
pub fn strip_templates(body: &str) -> Cow<'_, str> {
    if !body.contains("{{") && !body.contains("{%") {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut fenced = false;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        }
        match fenced || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            true => out.push_str(line),
            false => strip_line(line, &mut out),
        }
    }
    Cow::Owned(out)
}

fn strip_line(line: &str, out: &mut String) {
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
        rest = &rest[at + open.len() + end + close.len()..];
    }
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
    fn code_is_kept_as_written() {
        let body = "Use `{{ x }}` here.\n```\n{% raw %}\n```\n";
        assert_eq!(strip_templates(body), body);
        assert!(matches!(strip_templates("plain\n"), Cow::Borrowed(_)));
    }
}
