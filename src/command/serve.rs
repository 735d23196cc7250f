//! `almanac serve`: builds, serves the output folder on 127.0.0.1 with
//! the content types feed readers and calendar apps expect, answers
//! `304 Not Modified` to a client that has a file already, and rebuilds
//! when a note or the config changes. It never serves `.almanac/`, a
//! hidden file, a link, or anything outside the folder.

use super::{build, watch};
use crate::cli::BuildOptions;
use crate::error::{Error, Result};
use std::fs;
use std::path::{Component, Path, PathBuf};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// Builds, then serves `options`' output folder on `port` (0: any free
/// one) until stopped, rebuilding on every change.
pub fn serve(options: &BuildOptions, port: u16, open: bool) -> Result {
    if let Err(error) = build::build(options) {
        eprintln!("{error}");
    }
    let server = Server::http(("127.0.0.1", port)).map_err(|error| {
        Error::Io(anyhow::anyhow!(
            "cannot listen on 127.0.0.1:{port}: {error}"
        ))
    })?;
    let address = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| Error::Io(anyhow::anyhow!("no address to listen on")))?;
    let url = format!("http://{address}/");
    eprintln!(
        "almanac: serving {} at {url} (Ctrl-C stops)",
        options.paths.out.display()
    );
    if open {
        // Best effort: a machine without a desktop has no browser to open.
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    let watched = options.clone();
    std::thread::spawn(move || {
        let _ = watch::watch_quietly(&watched.paths, || build::build(&watched));
    });
    let root = options.paths.out.clone();
    for request in server.incoming_requests() {
        let response = answer(&root, &request);
        let _ = request.respond(response);
    }
    Ok(())
}

/// The response to `request` for files under `root`.
fn answer(root: &Path, request: &Request) -> Response<std::io::Cursor<Vec<u8>>> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return status(405, "only GET and HEAD");
    }
    let Some(path) = file_path(root, request.url()) else {
        return status(404, "not found");
    };
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return status(404, "not found");
    };
    if !meta.is_file() {
        return status(404, "not found");
    }
    let tag = etag(&meta);
    let modified = meta.modified().ok().map(httpdate::fmt_http_date);
    let header = |name: &str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_string())
    };
    // RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since.
    let fresh = match header("If-None-Match") {
        Some(tags) => tags.split(',').any(|t| t.trim() == tag || t.trim() == "*"),
        None => header("If-Modified-Since").is_some_and(|since| Some(since) == modified),
    };
    let mut response = if fresh {
        Response::from_data(Vec::new()).with_status_code(StatusCode(304))
    } else {
        // tiny_http sends no body in answer to HEAD.
        match fs::read(&path) {
            Ok(bytes) => Response::from_data(bytes),
            Err(_) => return status(404, "not found"),
        }
    };
    response.add_header(header_of("Content-Type", content_type(&path)));
    response.add_header(header_of("ETag", &tag));
    if let Some(modified) = modified {
        response.add_header(header_of("Last-Modified", &modified));
    }
    response.add_header(header_of("Cache-Control", "no-cache"));
    response
}

/// The file a request URL names under `root`: percent-decoded, every
/// segment a plain name (no `..`, no hidden `.almanac`), `index.html` for
/// a folder's URL. `None` for anything else.
fn file_path(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next()?;
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut relative = PathBuf::new();
    for segment in decoded.split('/').filter(|segment| !segment.is_empty()) {
        let plain = matches!(
            Path::new(segment).components().next(),
            Some(Component::Normal(_))
        ) && Path::new(segment).components().count() == 1;
        if !plain || segment.starts_with('.') || segment.contains('\\') || segment.contains('\0') {
            return None;
        }
        relative.push(segment);
    }
    if decoded.ends_with('/') || relative.as_os_str().is_empty() {
        relative.push("index.html");
    }
    // Every folder on the way is a real folder, not a link out.
    crate::publish::folder::refuse_links(root, relative.parent()?).ok()?;
    Some(root.join(relative))
}

/// The media type subscribers' software expects of a published file
/// (docs/serving.md).
fn content_type(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match name.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "ics" => "text/calendar; charset=utf-8",
        // With the charset, a browser that shows a feed as text shows its
        // non-ASCII text right.
        "json" => "application/feed+json; charset=utf-8",
        "xml" if name == "atom.xml" => "application/atom+xml; charset=utf-8",
        "xml" if name == "rss.xml" => "application/rss+xml; charset=utf-8",
        "xml" => "application/xml",
        "xsl" => "text/xsl",
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        _ => "application/octet-stream",
    }
}

/// A strong validator from the file's size and modification time: almanac
/// replaces a file only when its bytes change.
fn etag(meta: &fs::Metadata) -> String {
    let nanos = meta.modified().map_or(0, crate::source::nanos);
    format!("\"{:x}-{:x}\"", meta.len(), nanos)
}

fn header_of(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

fn status(code: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(format!("{code} {text}\n"))
        .with_status_code(StatusCode(code))
        .with_header(header_of("Content-Type", "text/plain; charset=utf-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_folder_are_served() {
        let root = Path::new("/srv/feeds");
        assert_eq!(file_path(root, "/atom.xml"), Some(root.join("atom.xml")));
        assert_eq!(
            file_path(root, "/tags/a%20b/rss.xml?x=1"),
            Some(root.join("tags/a b/rss.xml"))
        );
        assert_eq!(file_path(root, "/"), Some(root.join("index.html")));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/.almanac/index.json",
            "/a/../../x",
            "/a%5cb",
            "/%00",
        ] {
            assert_eq!(file_path(root, bad), None, "{bad}");
        }
    }

    #[test]
    fn types_are_the_ones_subscribers_expect() {
        assert_eq!(
            content_type(Path::new("a/calendar.ics")),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("tags/x/atom.xml")),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("rss.xml")),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("feed.json")),
            "application/feed+json; charset=utf-8"
        );
    }
}
