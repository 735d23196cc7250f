use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let texts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let base = url::Url::parse("https://x.example/a/").unwrap();
    let bodies: Vec<&str> = texts
        .iter()
        .map(|t| almanac::source::split(t).unwrap().body)
        .collect();
    let t = Instant::now();
    for b in &bodies {
        std::hint::black_box(almanac::agenda::blocks::blocks(b));
    }
    println!("blocks {:?}", t.elapsed());
    let t = Instant::now();
    for b in &bodies {
        std::hint::black_box(almanac::markdown::content_html(b, &base));
    }
    println!("content_html {:?}", t.elapsed());
    let t = Instant::now();
    for b in &bodies {
        let mut s = String::new();
        pulldown_cmark::html::push_html(
            &mut s,
            pulldown_cmark::Parser::new_ext(b, almanac::markdown::options()),
        );
        std::hint::black_box(s);
    }
    println!("pulldown html only {:?}", t.elapsed());
    let t = Instant::now();
    for t2 in &texts {
        std::hint::black_box(
            almanac::front_matter::parse(almanac::source::split(t2).unwrap().front_matter).unwrap(),
        );
    }
    println!("front matter {:?}", t.elapsed());
}
