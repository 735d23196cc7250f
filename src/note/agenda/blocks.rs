//! A note body as a flat list of blocks (headings, list items, paragraphs,
//! table rows, code), each with its source line and plain text. The slot
//! scanner reads this list; it never sees Markdown syntax.

use crate::note::markdown;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Heading(u8),
    /// A list item at nesting depth ≥ 1.
    Item(usize),
    Paragraph,
    /// A table row; `header` for the head row.
    Row {
        header: bool,
    },
    Code,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    /// 1-based line inside the body.
    pub line: usize,
    /// Plain text of the block's own inline content (not its nested blocks).
    pub text: String,
    /// `rich()` when a link made it differ from `text`; most blocks have
    /// none, and a second copy of every block's text would be read for
    /// nothing (docs/performance.md).
    rich: Option<String>,
    /// `{#id}` on a heading.
    pub id: Option<String>,
    /// The text begins with inline code, so it cannot open a slot.
    pub starts_with_code: bool,
    /// Cells of a table row.
    pub cells: Vec<String>,
    /// An HTML row's rowspan per position (0: covered by a cell above);
    /// empty when every cell spans one row.
    pub spans: Vec<usize>,
    /// List depth the block sits in (0 outside lists).
    pub depth: usize,
}

impl Block {
    fn new(kind: Kind, line: usize, depth: usize) -> Self {
        Self {
            kind,
            line,
            text: String::new(),
            rich: None,
            id: None,
            starts_with_code: false,
            cells: Vec::new(),
            spans: Vec::new(),
            depth,
        }
    }
}

impl Block {
    /// A block read from raw HTML (`html.rs`).
    pub(super) fn html(kind: Kind, line: usize, depth: usize) -> Self {
        Self::new(kind, line, depth)
    }

    /// Like `text`, with link targets kept: `slides <https://…>`.
    pub fn rich(&self) -> &str {
        self.rich.as_deref().unwrap_or(&self.text)
    }
}

/// Maps byte offsets to 1-based line numbers. Blocks start in document
/// order, so each lookup counts newlines from the one before it.
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            // Not reached by pulldown-cmark's block starts; counted afresh.
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.text[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

/// Splits `body` into blocks in document order.
pub fn blocks(body: &str) -> Vec<Block> {
    let body = markdown::prepare(body);
    let body = body.as_ref();
    let mut lines = Lines::new(body);
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    let mut list_depth = 0usize;
    let mut in_table_head = false;
    let mut links: Vec<pulldown_cmark::CowStr> = Vec::new();
    // Raw HTML being gathered: its text and first line. A table or list
    // split by blank lines is several HTML blocks; it is read once closed.
    let mut html: Option<(String, usize)> = None;
    let mut link_text_start: Vec<usize> = Vec::new();

    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        let mut line = || lines.line(range.start);
        match event {
            Event::Start(Tag::HtmlBlock) => {
                flush(&mut open, &mut out);
                let at = line();
                match html.as_mut() {
                    None => html = Some((String::new(), at)),
                    // The blank lines between the blocks are in no block:
                    // put them back, so the HTML's lines are the file's.
                    Some((buffer, first)) => {
                        let reached = *first + buffer.matches('\n').count();
                        buffer.extend(std::iter::repeat_n('\n', at.saturating_sub(reached)));
                    }
                }
            }
            Event::Html(text) => {
                if let Some((buffer, _)) = html.as_mut() {
                    buffer.push_str(&text);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((buffer, _)) = &html
                    && is_closed(buffer)
                    && let Some((buffer, first)) = html.take()
                {
                    out.extend(super::html::blocks(&buffer, first, list_depth));
                }
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                flush(&mut open, &mut out);
                let mut block = Block::new(Kind::Heading(heading_level(level)), line(), list_depth);
                block.id = id.map(|id| id.to_string());
                open = Some(block);
            }
            Event::Start(Tag::Item) => {
                flush(&mut open, &mut out);
                open = Some(Block::new(Kind::Item(list_depth), line(), list_depth));
            }
            Event::Start(Tag::List(_)) => {
                flush(&mut open, &mut out);
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut open, &mut out);
                list_depth = list_depth.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph) => {
                // A loose list item wraps its first line in a paragraph.
                let continues_item = open
                    .as_ref()
                    .is_some_and(|b| matches!(b.kind, Kind::Item(_)) && b.text.is_empty());
                if !continues_item {
                    flush(&mut open, &mut out);
                    open = Some(Block::new(Kind::Paragraph, line(), list_depth));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut open, &mut out);
                open = Some(Block::new(Kind::Code, line(), list_depth));
            }
            Event::End(TagEnd::CodeBlock) => {
                flush(&mut open, &mut out);
            }
            Event::Start(Tag::TableHead) => {
                flush(&mut open, &mut out);
                in_table_head = true;
                open = Some(Block::new(Kind::Row { header: true }, line(), list_depth));
            }
            Event::Start(Tag::TableRow) => {
                flush(&mut open, &mut out);
                open = Some(Block::new(
                    Kind::Row {
                        header: in_table_head,
                    },
                    line(),
                    list_depth,
                ));
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                flush(&mut open, &mut out);
            }
            Event::End(TagEnd::TableRow) => flush(&mut open, &mut out),
            Event::Start(Tag::TableCell) => {
                if let Some(block) = open.as_mut() {
                    block.cells.push(String::new());
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item) => {
                flush(&mut open, &mut out);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push(dest_url);
                link_text_start.push(open.as_ref().map_or(0, |b| b.text.len()));
            }
            Event::End(TagEnd::Link) => {
                let dest = links.pop().unwrap_or(pulldown_cmark::CowStr::Borrowed(""));
                let start = link_text_start.pop().unwrap_or(0);
                if let Some(block) = open.as_mut() {
                    let label = block.text.get(start..).unwrap_or("").trim();
                    if !dest.is_empty() && label != &*dest {
                        let rich = block.rich.get_or_insert_with(|| block.text.clone());
                        rich.push_str(" <");
                        rich.push_str(&dest);
                        rich.push('>');
                    }
                }
            }
            Event::Text(text) => push_text(&mut open, &text),
            Event::Code(code) => {
                if let Some(block) = open.as_mut()
                    && block.text.trim().is_empty()
                    && block.cells.is_empty()
                {
                    block.starts_with_code = true;
                }
                push_text(&mut open, &code);
            }
            Event::SoftBreak | Event::HardBreak => push_text(&mut open, "\n"),
            Event::TaskListMarker(done) => push_text(&mut open, if done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
    flush(&mut open, &mut out);
    if let Some((buffer, first)) = html {
        out.extend(super::html::blocks(&buffer, first, list_depth));
    }
    out
}

/// Every `<table>`, `<ul>` and `<ol>` opened in `html` is closed again.
fn is_closed(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    ["table", "ul", "ol"].iter().all(|tag| {
        let opened = lower.matches(&format!("<{tag}")).count();
        let closed = lower.matches(&format!("</{tag}")).count();
        opened <= closed
    })
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn push_text(open: &mut Option<Block>, text: &str) {
    let Some(block) = open.as_mut() else {
        return;
    };
    if let Some(cell) = block.cells.last_mut() {
        cell.push_str(text);
    }
    block.text.push_str(text);
    if let Some(rich) = &mut block.rich {
        rich.push_str(text);
    }
}

fn flush(open: &mut Option<Block>, out: &mut Vec<Block>) {
    if let Some(mut block) = open.take() {
        for cell in &mut block.cells {
            if cell.trim().len() != cell.len() {
                *cell = cell.trim().to_string();
            }
        }
        out.push(block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_items_and_lines() {
        let body = "intro\n\n## 19:00\t開場\t\n### 山田 ◆ Org\n* top\n  - nested [slides](https://x.example/s)\n  - \n";
        let blocks = blocks(body);
        let kinds: Vec<_> = blocks
            .iter()
            .map(|b| (b.kind.clone(), b.line, b.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::Paragraph, 1, "intro"),
                (Kind::Heading(2), 3, "19:00\t開場\t"),
                (Kind::Heading(3), 4, "山田 ◆ Org"),
                (Kind::Item(1), 5, "top"),
                (Kind::Item(2), 6, "nested slides"),
                (Kind::Item(2), 7, ""),
            ]
        );
        assert_eq!(blocks[4].rich(), "nested slides <https://x.example/s>");
    }

    #[test]
    fn heading_attribute_and_inline_code() {
        let blocks = blocks("## 19:35 Talk {#k8s-navi}\n\n- `19:00` in code\n");
        assert_eq!(blocks[0].id.as_deref(), Some("k8s-navi"));
        assert_eq!(blocks[0].text, "19:35 Talk");
        assert!(blocks[1].starts_with_code);
    }

    #[test]
    fn table_rows_and_code_blocks() {
        let blocks = blocks(
            "| 時間 | 内容 |\n|---|---|\n| 19:00 | 開場 |\n\n```\n## 20:00 not a heading\n```\n",
        );
        assert_eq!(blocks[0].kind, Kind::Row { header: true });
        assert_eq!(blocks[0].cells, vec!["時間", "内容"]);
        assert_eq!(blocks[1].kind, Kind::Row { header: false });
        assert_eq!(blocks[1].cells, vec!["19:00", "開場"]);
        assert_eq!(blocks[1].line, 3);
        assert_eq!(blocks[2].kind, Kind::Code);
    }

    #[test]
    fn an_empty_bullet_is_not_a_heading_underline() {
        let blocks = blocks("* 目的\n  - \n* 次\n");
        let kinds: Vec<_> = blocks
            .iter()
            .map(|b| (b.kind.clone(), b.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::Item(1), "目的"),
                (Kind::Item(2), ""),
                (Kind::Item(1), "次")
            ]
        );
    }

    #[test]
    fn loose_list_items_keep_their_text() {
        let blocks = blocks("- 19:00 Doors\n\n- 19:30 Talk\n");
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[1].text, "19:30 Talk");
        assert_eq!(blocks[1].line, 3);
    }
}
