//! Raw HTML in a note (`<table>`, `<ul>`, `<h3>`) read with html5ever's
//! tokenizer into the same blocks as Markdown, so an agenda pasted as HTML
//! reads like one written in Markdown (docs/format.md, "Agendas").

use super::blocks::{Block, Kind};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// What the reader needs of a token: tags by name, and text.
enum Piece {
    Open(String, usize),
    Close(String),
    Text(String, usize),
}

#[derive(Default)]
struct Pieces(RefCell<Vec<Piece>>);

impl TokenSink for Pieces {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        let piece = match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag if tag.self_closing => Piece::Close(tag.name.to_string()),
                TagKind::StartTag => Piece::Open(tag.name.to_string(), line),
                TagKind::EndTag => Piece::Close(tag.name.to_string()),
            },
            Token::CharacterTokens(text) => Piece::Text(text.to_string(), line),
            _ => return TokenSinkResult::Continue,
        };
        let mut pieces = self.0.borrow_mut();
        // `<br/>` is a break whether or not it says it closes itself.
        if let Piece::Close(name) = &piece
            && name == "br"
        {
            pieces.push(Piece::Open("br".into(), line));
            return TokenSinkResult::Continue;
        }
        pieces.push(piece);
        TokenSinkResult::Continue
    }
}

/// Elements whose text a reader does not see, or sees struck through.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "del", "s", "strike", "noscript",
];
/// Elements that end a line of text and start another.
const BREAKING: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "dl",
    "dt",
    "dd",
    "center",
    "table",
    "blockquote",
];

/// The blocks of an HTML fragment that starts at body line `first`, inside
/// list depth `depth`.
pub fn blocks(html: &str, first: usize, depth: usize) -> Vec<Block> {
    let tokenizer = Tokenizer::new(Pieces::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let pieces = tokenizer.sink.0.take();
    let mut reader = Reader {
        first,
        base: depth,
        depth,
        skip: 0,
        open: None,
        row: None,
        out: Vec::new(),
    };
    for piece in pieces {
        reader.piece(piece);
    }
    reader.flush();
    reader.end_row();
    reader.out
}

struct Row {
    line: usize,
    cells: Vec<String>,
    header: bool,
    /// A cell is open: text goes to the last cell.
    in_cell: bool,
}

struct Reader {
    first: usize,
    base: usize,
    depth: usize,
    skip: usize,
    open: Option<(Kind, usize, String)>,
    row: Option<Row>,
    out: Vec<Block>,
}

impl Reader {
    fn piece(&mut self, piece: Piece) {
        match piece {
            Piece::Open(name, line) => self.open_tag(&name, self.first + line.saturating_sub(1)),
            Piece::Close(name) => self.close_tag(&name),
            Piece::Text(text, line) => {
                if self.skip == 0 {
                    self.text(&text, self.first + line.saturating_sub(1));
                }
            }
        }
    }

    fn open_tag(&mut self, name: &str, line: usize) {
        if SKIPPED.contains(&name) {
            self.skip += 1;
            return;
        }
        match name {
            "br" => self.text("\n", line),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = name.as_bytes()[1] - b'0';
                self.open = Some((Kind::Heading(level), line, String::new()));
            }
            "ul" | "ol" => {
                self.flush();
                self.section_row();
                self.depth += 1;
            }
            "li" => {
                self.flush();
                self.open = Some((
                    Kind::Item(self.depth.max(self.base + 1)),
                    line,
                    String::new(),
                ));
            }
            "tr" => {
                self.flush();
                self.end_row();
                self.row = Some(Row {
                    line,
                    cells: Vec::new(),
                    header: true,
                    in_cell: false,
                });
            }
            "td" | "th" => {
                self.flush();
                if let Some(row) = self.row.as_mut() {
                    row.cells.push(String::new());
                    row.header &= name == "th";
                    row.in_cell = true;
                }
            }
            _ if BREAKING.contains(&name) => {
                if self.row.as_ref().is_some_and(|row| row.in_cell) {
                    self.text("\n", line);
                } else {
                    self.flush();
                }
            }
            _ => {}
        }
    }

    fn close_tag(&mut self, name: &str) {
        if SKIPPED.contains(&name) {
            self.skip = self.skip.saturating_sub(1);
            return;
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" => self.flush(),
            "ul" | "ol" => {
                self.flush();
                self.depth = self.depth.saturating_sub(1).max(self.base);
            }
            "td" | "th" => {
                if let Some(row) = self.row.as_mut() {
                    row.in_cell = false;
                }
            }
            "tr" | "table" => self.end_row(),
            _ if BREAKING.contains(&name) && !self.row.as_ref().is_some_and(|row| row.in_cell) => {
                self.flush();
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str, line: usize) {
        if let Some(row) = self.row.as_mut()
            && row.in_cell
            && self.open.is_none()
        {
            if let Some(cell) = row.cells.last_mut() {
                cell.push_str(text);
            }
            return;
        }
        match self.open.as_mut() {
            Some((_, _, open)) => open.push_str(text),
            None if text.trim().is_empty() => {}
            None => self.open = Some((Kind::Paragraph, line, text.to_string())),
        }
    }

    /// A cell that holds a list (a day beside its programme): the row's
    /// other cells so far head the list, and the row is no slot.
    fn section_row(&mut self) {
        let Some(row) = self.row.take() else {
            return;
        };
        let label: Vec<String> = row
            .cells
            .iter()
            .map(|cell| tidy(cell))
            .filter(|cell| !cell.is_empty())
            .collect();
        if !label.is_empty() {
            let mut block = Block::html(Kind::Heading(6), row.line, self.depth);
            block.text = label.join(" ");
            self.out.push(block);
        }
    }

    fn end_row(&mut self) {
        self.flush();
        let Some(row) = self.row.take() else {
            return;
        };
        if row.cells.is_empty() {
            return;
        }
        let cells: Vec<String> = row.cells.iter().map(|cell| tidy(cell)).collect();
        let mut block = Block::html(Kind::Row { header: row.header }, row.line, self.depth);
        block.text = cells.join(" | ");
        block.cells = cells;
        self.out.push(block);
    }

    fn flush(&mut self) {
        if let Some((kind, line, text)) = self.open.take() {
            let text = tidy(&text);
            if !text.is_empty() {
                let mut block = Block::html(kind, line, self.depth);
                block.text = text;
                self.out.push(block);
            }
        }
    }
}

/// Spaces (no-break ones too) collapsed within each line, empty lines gone.
fn tidy(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            line.split(|c: char| c.is_whitespace() || c == '\u{a0}')
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
