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
    /// A start tag, its line, and for a table cell its (rowspan, colspan).
    Open(String, usize, (usize, usize)),
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
                TagKind::StartTag => Piece::Open(tag.name.to_string(), line, spans(&tag.attrs)),
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
            pieces.push(Piece::Open("br".into(), line, (1, 1)));
            return TokenSinkResult::Continue;
        }
        pieces.push(piece);
        TokenSinkResult::Continue
    }
}

/// Larger spans are not a timetable's; capping them keeps a hostile
/// `rowspan="999999"` from filling memory.
const MAX_SPAN: usize = 64;

/// A cell's `rowspan` and `colspan`, 1 when absent or unreadable.
fn spans(attrs: &[html5ever::Attribute]) -> (usize, usize) {
    let read = |name: &str| {
        attrs
            .iter()
            .find(|attr| &*attr.name.local == name)
            .and_then(|attr| attr.value.trim().parse::<usize>().ok())
            .map_or(1, |n| n.clamp(1, MAX_SPAN))
    };
    (read("rowspan"), read("colspan"))
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
        covered: Vec::new(),
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
    /// Per position, the rowspan of the cell that starts there; 0 where a
    /// cell of a row above still covers it.
    spans: Vec<usize>,
    /// Cells spread over several columns (first position, count): the
    /// text lands in the last, and every spanned column shows it (a break
    /// across all days is on each day).
    colspans: Vec<(usize, usize)>,
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
    /// Per column, how many more rows a cell above covers (HTML's
    /// rowspan): the cells of a row fill the positions left free.
    covered: Vec<usize>,
    out: Vec<Block>,
}

impl Reader {
    fn piece(&mut self, piece: Piece) {
        match piece {
            Piece::Open(name, line, spans) => {
                self.open_tag(&name, self.first + line.saturating_sub(1), spans);
            }
            Piece::Close(name) => self.close_tag(&name),
            Piece::Text(text, line) => {
                if self.skip == 0 {
                    self.text(&text, self.first + line.saturating_sub(1));
                }
            }
        }
    }

    fn open_tag(&mut self, name: &str, line: usize, spans: (usize, usize)) {
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
                    spans: Vec::new(),
                    colspans: Vec::new(),
                    header: true,
                    in_cell: false,
                });
            }
            "td" | "th" => {
                self.flush();
                if let Some(row) = self.row.as_mut() {
                    place_cell(row, &mut self.covered, spans);
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
            "tr" => self.end_row(),
            "table" => {
                self.end_row();
                self.covered.clear();
            }
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
        // The row ends here as `end_row` would end it: its cells cover
        // one row less below.
        for left in &mut self.covered {
            *left = left.saturating_sub(1);
        }
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
        let Some(mut row) = self.row.take() else {
            return;
        };
        // Columns still covered past the row's last cell.
        while row.spans.len() < self.covered.len() {
            row.spans.push(0);
            row.cells.push(String::new());
        }
        for left in &mut self.covered {
            *left = left.saturating_sub(1);
        }
        for &(first, count) in &row.colspans {
            if count > 1 {
                let text = row.cells[first + count - 1].clone();
                for cell in &mut row.cells[first..first + count - 1] {
                    cell.clone_from(&text);
                }
            }
        }
        if row.cells.is_empty() {
            return;
        }
        // `<tr></tr>` is a tick of a grid's clock: a row all the same, so
        // that spans count as the page shows them.
        let empty = row.spans.iter().all(|&span| span == 0);
        let cells: Vec<String> = row.cells.iter().map(|cell| tidy(cell)).collect();
        let header = row.header && !empty;
        let mut block = Block::html(Kind::Row { header }, row.line, self.depth);
        block.text = cells.join(" | ");
        block.cells = cells;
        if row.spans.iter().any(|&span| span != 1) {
            block.spans = row.spans;
        }
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

/// Puts a new cell at the row's first position no cell above covers (a
/// covered one gets an empty cell), spread over its colspan.
fn place_cell(row: &mut Row, covered: &mut Vec<usize>, (rowspan, colspan): (usize, usize)) {
    while covered.get(row.cells.len()).is_some_and(|&left| left > 0) {
        row.cells.push(String::new());
        row.spans.push(0);
    }
    row.colspans.push((row.cells.len(), colspan));
    for _ in 0..colspan {
        let column = row.cells.len();
        if covered.len() <= column {
            covered.resize(column + 1, 0);
        }
        // Counting this row; `end_row` takes one off.
        covered[column] = rowspan;
        row.cells.push(String::new());
        row.spans.push(rowspan);
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
