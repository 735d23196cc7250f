//! Generator detection and config reading, on small invented sites.

use super::*;
use crate::generator::FeedFormat;
use std::fs;

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn hugo_toml_gives_title_url_zone_and_limit() {
    let dir = site(&[(
        "hugo.toml",
        "baseURL = 'https://h.example/'\ntitle = 'Bench'\nlanguageCode = 'de-de'\n\
         timeZone = 'Europe/Vienna'\n[services.rss]\nlimit = 4\n[params.author]\nname = 'Ann'\n",
    )]);
    let source = detect(dir.path()).unwrap();
    assert_eq!(source.kind, Kind::Hugo);
    let s = &source.settings;
    assert_eq!(s.title.as_deref(), Some("Bench"));
    assert_eq!(s.base_url.as_deref(), Some("https://h.example/"));
    assert_eq!(s.language.as_deref(), Some("de-de"));
    assert_eq!(s.timezone.as_deref(), Some("Europe/Vienna"));
    assert_eq!(s.feed_limit, Some(4));
    assert_eq!(s.author.as_ref().unwrap().name, "Ann");
    assert_eq!(source.content, dir.path().join("content"));
}

#[test]
fn config_toml_is_hugo_or_zola_by_its_keys() {
    let hugo = site(&[(
        "config.toml",
        "baseurl = 'https://h.example/'\ntitle = 'H'\n",
    )]);
    assert_eq!(detect(hugo.path()).unwrap().kind, Kind::Hugo);
    let zola = site(&[(
        "config.toml",
        "base_url = 'https://z.example'\ntitle = 'Z'\nfeed_limit = 3\n",
    )]);
    let source = detect(zola.path()).unwrap();
    assert_eq!(source.kind, Kind::Zola);
    assert_eq!(source.settings.feed_limit, Some(3));
}

#[test]
fn hugo_config_folder_is_found() {
    let dir = site(&[(
        "config/_default/hugo.yaml",
        "baseURL: https://h.example/\ntitle: Folder\n",
    )]);
    let source = detect(dir.path()).unwrap();
    assert_eq!(source.settings.title.as_deref(), Some("Folder"));
}

#[test]
fn jekyll_joins_url_and_baseurl_and_keeps_only_posts() {
    let dir = site(&[(
        "_config.yml",
        "title: J\nurl: https://j.example\nbaseurl: /blog\ntimezone: America/Chicago\n\
         author: Pat\nfeed:\n  posts_limit: 3\n",
    )]);
    let source = detect(dir.path()).unwrap();
    assert_eq!(source.kind, Kind::Jekyll);
    assert_eq!(
        source.settings.base_url.as_deref(),
        Some("https://j.example/blog")
    );
    assert_eq!(source.settings.feed_limit, Some(3));
    assert_eq!(source.settings.author.as_ref().unwrap().name, "Pat");
    assert!(source.keep.keeps("_posts/2024-01-02-a.md"));
    assert!(source.keep.keeps("talks/_posts/2024-01-02-a.md"));
    assert!(!source.keep.keeps("about.md"));
    assert!(!source.keep.keeps("_posts.md"));
}

#[test]
fn eleventy_reads_literals_and_names_what_it_does_not_run() {
    let dir = site(&[
        (
            "eleventy.config.js",
            "export default function (eleventyConfig) {\n\
             eleventyConfig.addShortcode('x', () => '');\n\
             eleventyConfig.addPlugin(feedPlugin, { collection: { limit: 5 }, metadata: { base: 'https://e.example/' } });\n}\n\
             export const config = { dir: { input: 'site' } };\n",
        ),
        (
            "site/_data/metadata.json",
            "{\"title\": \"E\", \"author\": {\"name\": \"Vol\"}}",
        ),
    ]);
    let source = detect(dir.path()).unwrap();
    assert_eq!(source.kind, Kind::Eleventy);
    assert_eq!(source.content, dir.path().join("site"));
    assert_eq!(source.settings.title.as_deref(), Some("E"));
    assert_eq!(
        source.settings.base_url.as_deref(),
        Some("https://e.example/")
    );
    assert_eq!(source.settings.feed_limit, Some(5));
    assert_eq!(
        source.not_understood,
        vec!["`addShortcode` is JavaScript and is not run"]
    );
    assert!(!source.keep.keeps("_includes/layout.md"));
}

#[test]
fn a_folder_without_a_config_is_refused() {
    let dir = site(&[("notes/a.md", "---\n---\n")]);
    let error = detect(dir.path()).unwrap_err();
    assert!(error.0.contains("no site config found"), "{error}");
}

#[test]
fn a_bad_config_names_its_line() {
    let dir = site(&[("hugo.toml", "title = 'x'\nbaseURL = \n")]);
    let error = detect(dir.path()).unwrap_err();
    assert!(error.0.contains("hugo.toml:2:"), "{error}");
}

fn rules(kind: Kind, permalinks: &[(&str, &str)], languages: &[&str]) -> Rules {
    Rules {
        kind,
        permalinks: permalinks
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        languages: languages
            .iter()
            .map(|code| crate::generator::Language {
                code: code.to_string(),
                ..Default::default()
            })
            .collect(),
        default_language: "en".into(),
        excerpt_separator: Some("<!--more-->".into()),
        ..Rules::new(kind)
    }
}

fn fm(json: &str) -> serde_json::Value {
    serde_json::from_str(json).unwrap()
}

#[test]
fn hugo_permalinks_urlize_titles_and_lowercase_paths() {
    let r = rules(Kind::Hugo, &[("talks", "/:year/:month/:slug/")], &["nl"]);
    let page = r.page(
        "talks/x.md",
        &fm(r#"{"title": "Kettles & Kites: Part 2", "date": "2023-09-05"}"#),
    );
    // `&` is dropped and the spaces around it are one dash, as Hugo's
    // urlize writes them (tests/sites/hugo/expected/fr/index.xml).
    assert_eq!(page.path.as_deref(), Some("/2023/09/kettles-kites-part-2/"));
    let page = r.page("Misc/Big-Name.md", &fm(r#"{"title": "x"}"#));
    assert_eq!(page.path.as_deref(), Some("misc/big-name/"));
    let page = r.page("misc/bundle/index.md", &fm(r#"{"title": "x"}"#));
    assert_eq!(page.path.as_deref(), Some("misc/bundle/"));
    // A translation is its language's page, under its code.
    let page = r.page(
        "talks/x.nl.md",
        &fm(r#"{"title": "X", "date": "2023-09-05"}"#),
    );
    assert_eq!(page.language.as_deref(), Some("nl"));
    assert_eq!(page.path.as_deref(), Some("nl/2023/09/x/"));
    assert!(
        r.page("talks/h.md", &fm(r#"{"headless": true}"#))
            .skip
            .is_some()
    );
    assert!(
        r.page("talks/h.md", &fm(r#"{"build": {"list": "never"}}"#))
            .skip
            .is_some()
    );
}

#[test]
fn jekyll_names_give_dates_and_permalink_styles_give_paths() {
    let pretty = rules(Kind::Jekyll, &[("", "pretty")], &[]);
    let page = pretty.page(
        "club/_posts/2023-02-07-Tea-Time.md",
        &fm(r#"{"category": "social weekly"}"#),
    );
    assert_eq!(page.date.as_deref(), Some("2023-02-07"));
    assert_eq!(
        page.path.as_deref(),
        Some("/club/social/weekly/2023/02/07/Tea-Time/")
    );
    assert_eq!(
        page.categories,
        Some(vec!["club".into(), "social".into(), "weekly".into()])
    );
    // Month and day of one digit, as Jekyll reads them.
    let page = pretty.page("_posts/2022-12-8-ctf.md", &fm("{}"));
    assert_eq!(page.date.as_deref(), Some("2022-12-08"));
    assert_eq!(page.path.as_deref(), Some("/2022/12/08/ctf/"));
    let page = pretty.page("_posts/2023-02-07-a.md", &fm(r#"{"tags": "tea cake"}"#));
    assert_eq!(page.tags, Some(vec!["tea".into(), "cake".into()]));
    let default = rules(Kind::Jekyll, &[], &[]);
    let page = default.page("_posts/2023-02-07-tea.md", &fm(r#"{"slug": "chai"}"#));
    assert_eq!(page.path.as_deref(), Some("/2023/02/07/chai.html"));
    let page = default.page(
        "_posts/2023-02-07-tea.md",
        &fm(r#"{"permalink": "/:title/"}"#),
    );
    assert_eq!(page.path.as_deref(), Some("/tea/"));
    assert!(
        default
            .page("_posts/2023-02-07-tea.md", &fm(r#"{"published": false}"#))
            .skip
            .is_some()
    );
}

#[test]
fn zola_slugifies_and_leaves_undated_pages_out() {
    let r = rules(Kind::Zola, &[], &["fr"]);
    let page = r.page("log/2023-01-03_Über Alles.md", &fm("{}"));
    assert_eq!(page.date.as_deref(), Some("2023-01-03"));
    assert_eq!(page.path.as_deref(), Some("log/uber-alles/"));
    assert!(page.future);
    let page = r.page("log/a.md", &fm(r#"{"date": "2023-01-03", "path": "/x/y"}"#));
    assert_eq!(page.path.as_deref(), Some("x/y/"));
    assert!(r.page("log/a.md", &fm("{}")).skip.is_some());
    let tagged = fm(r#"{"date": "2023-01-03", "taxonomies": {"tags": ["amp"]}}"#);
    assert_eq!(r.page("log/a.md", &tagged).tags, Some(vec!["amp".into()]));
    let page = r.page("log/a.fr.md", &fm(r#"{"date": "2023-01-03"}"#));
    assert_eq!(page.language.as_deref(), Some("fr"));
    assert_eq!(page.path.as_deref(), Some("fr/log/a/"));
    // `path` is taken as written, with no language before it.
    let page = r.page("log/a.fr.md", &fm(r#"{"date": "2023-01-03", "path": "p"}"#));
    assert_eq!(page.path.as_deref(), Some("p/"));
}

#[test]
fn zola_sections_transparent_draft_and_taxonomy_feeds() {
    let mut r = rules(Kind::Zola, &[], &["fr"]);
    let section = |folder: &str, feeds: bool, transparent: bool, draft: bool| Section {
        folder: folder.into(),
        feeds,
        transparent,
        draft,
        ..Section::default()
    };
    r.sections = vec![
        section("", false, false, false),
        section("blog", true, false, false),
        section("blog/2024", false, true, false),
        section("news", true, false, false),
        section("old", false, false, true),
    ];
    r.lists.taxonomies = vec!["tags".into()];
    let dated = r#"{"date": "2024-01-03", "taxonomies": {"tags": ["Big Amp"], "authors": ["x"]}}"#;
    // A transparent section's page is in its parent's feed.
    let page = r.page("blog/2024/a.md", &fm(dated));
    assert_eq!(page.lists, ["blog/", "tags/big-amp/"]);
    // Not with `render = false`, but still in its terms' feeds.
    let hidden = r#"{"date": "2024-01-03", "render": false, "taxonomies": {"tags": ["t"]}}"#;
    assert_eq!(r.page("news/a.md", &fm(hidden)).lists, ["tags/t/"]);
    // A folder without `_index.md` is no section.
    assert_eq!(
        r.page("misc/a.md", &fm(r#"{"date": "2024-01-03"}"#)).lists,
        Vec::<String>::new()
    );
    assert!(
        r.page("old/deep/a.md", &fm(r#"{"date": "2024-01-03"}"#))
            .draft
    );
    // A bundle's date and slug come from its folder's name.
    let page = r.page("blog/2024-02-01-kit/index.md", &fm("{}"));
    assert_eq!(page.date.as_deref(), Some("2024-02-01"));
    assert_eq!(page.path.as_deref(), Some("blog/kit/"));
}

#[test]
fn hugo_lists_sections_and_terms_in_each_language() {
    let mut r = rules(Kind::Hugo, &[], &["fr"]);
    r.lists = Lists {
        feeds: Vec::new(),
        sections: true,
        taxonomies: vec!["tags".into(), "series".into()],
    };
    r.sections = vec![Section {
        folder: "posts/2024".into(),
        ..Section::default()
    }];
    let tagged = r#"{"title": "A", "tags": ["Repair Café", "x"], "series": "Winter"}"#;
    let page = r.page("Posts/a.fr.md", &fm(tagged));
    assert_eq!(page.path.as_deref(), Some("fr/posts/a/"));
    assert_eq!(
        page.lists,
        [
            "fr/posts/",
            "fr/tags/repair-café/",
            "fr/tags/x/",
            "fr/series/winter/"
        ]
    );
    // A page in a nested section is in its feed, not the top one's.
    assert_eq!(r.page("posts/2024/b.md", &fm("{}")).lists, ["posts/2024/"]);
    assert_eq!(r.page("top.md", &fm("{}")).lists, Vec::<String>::new());
    // Each language's own content folder.
    r.default_content_dir = Some("en".into());
    r.languages[0].content_dir = Some("fr".into());
    let page = r.page("fr/posts/c.md", &fm("{}"));
    assert_eq!(page.language.as_deref(), Some("fr"));
    assert_eq!(page.path.as_deref(), Some("fr/posts/c/"));
    let page = r.page("en/posts/c.md", &fm("{}"));
    assert_eq!(
        (page.language, page.path.as_deref()),
        (None, Some("posts/c/"))
    );
    assert!(r.page("other/c.md", &fm("{}")).skip.is_some());
}

#[test]
fn eleventy_file_slugs_and_folder_permalinks() {
    let r = rules(Kind::Eleventy, &[("notes", "/n/{{ page.fileSlug }}/")], &[]);
    let page = r.page("notes/2023-03-04-kiln.md", &fm("{}"));
    assert_eq!(page.date.as_deref(), Some("2023-03-04"));
    assert_eq!(page.path.as_deref(), Some("/n/kiln/"));
    let page = r.page("notes/kiln/kiln.md", &fm("{}"));
    assert_eq!(page.path.as_deref(), Some("/n/kiln/"));
    let page = r.page("other/a.md", &fm(r#"{"permalink": "/own/"}"#));
    assert_eq!(page.path.as_deref(), Some("/own/"));
    assert_eq!(
        r.page("other/a.md", &fm("{}")).path.as_deref(),
        Some("/other/a/")
    );
    let excluded = fm(r#"{"eleventyExcludeFromCollections": true}"#);
    assert!(r.page("notes/a.md", &excluded).skip.is_some());
}

#[test]
fn only_a_real_date_opens_a_file_name() {
    assert_eq!(dated("2023-02-30-x"), (None, "2023-02-30-x".into()));
    assert_eq!(dated("2023-02-03"), (None, "2023-02-03".into()));
    assert_eq!(
        dated("2023-02-03-x"),
        (Some("2023-02-03".into()), "x".into())
    );
}

#[test]
fn each_generators_feed_paths_are_read() {
    let hugo = site(&[(
        "hugo.toml",
        "baseURL = 'https://h.example/'\n[outputFormats.RSS]\nbaseName = 'feed'\n",
    )]);
    let feeds = detect(hugo.path()).unwrap().rules.feeds;
    assert_eq!(feeds, vec![("feed.xml".into(), FeedFormat::Rss)]);
    let zola = site(&[(
        "zola.toml",
        "base_url = 'https://z.example'\ngenerate_feeds = true\nfeed_filenames = ['rss.xml']\n",
    )]);
    let feeds = detect(zola.path()).unwrap().rules.feeds;
    assert_eq!(feeds, vec![("rss.xml".into(), FeedFormat::Rss)]);
    let quiet = site(&[("zola.toml", "base_url = 'https://z.example'\n")]);
    assert!(detect(quiet.path()).unwrap().rules.feeds.is_empty());
    let eleventy = site(&[(
        ".eleventy.js",
        "module.exports = (eleventyConfig) => {\n\
         eleventyConfig.addPlugin(feedPlugin, { type: 'rss', outputPath: '/news.xml' });\n\
         eleventyConfig.addPlugin(feedPlugin, { type: 'json', outputPath: '/news.json' });\n};\n",
    )]);
    let feeds = detect(eleventy.path()).unwrap().rules.feeds;
    assert_eq!(
        feeds,
        vec![
            ("news.xml".into(), FeedFormat::Rss),
            ("news.json".into(), FeedFormat::Json)
        ]
    );
}

#[test]
fn the_summary_marker_ends_the_excerpt() {
    let r = rules(Kind::Hugo, &[], &[]);
    assert_eq!(
        r.excerpt("Intro **here**.\n<!--more-->\nRest."),
        Some("Intro **here**.\n")
    );
    assert_eq!(r.excerpt("No marker."), None);
    let zola = Rules {
        excerpt_separator: Some("<!-- more -->".into()),
        ..rules(Kind::Zola, &[], &[])
    };
    assert_eq!(zola.excerpt("A\n<!--more-->\nB"), Some("A\n"));
}

#[test]
fn zolas_internal_links_become_page_paths() {
    let r = rules(Kind::Zola, &[], &[]);
    let body = "See [the lab](@/blog/2024-01-02-open-lab.md#when) and [news](@/news/_index.md).";
    assert_eq!(
        r.internal_links(body),
        "See [the lab](/blog/open-lab/#when) and [news](/news/)."
    );
    let hugo = rules(Kind::Hugo, &[], &[]);
    assert_eq!(hugo.internal_links(body), body);
}

#[test]
fn jekyll_feed_categories_get_their_feeds() {
    let dir = site(&[(
        "_config.yml",
        "url: https://j.example\nfeed:\n  categories: [talks, news]\n",
    )]);
    let feeds = detect(dir.path()).unwrap().rules.category_feeds;
    assert_eq!(
        feeds,
        vec![
            ("feed/talks.xml".into(), "talks".into()),
            ("feed/news.xml".into(), "news".into())
        ]
    );
}

#[test]
fn a_jekyll_site_with_its_own_feed_template_is_known_by_its_urls() {
    let template = "---\nlayout: null\n---\n<rss version=\"2.0\"><channel>\n\
        {% for post in site.posts limit:15 %}<guid>{{ post.url | prepend: site.url }}</guid>\
        {% endfor %}</channel></rss>\n";
    let dir = site(&[
        (
            "_config.yml",
            "url: https://j.example\nplugins: [jekyll-paginate]\n",
        ),
        ("feed.xml", template),
    ]);
    let source = detect(dir.path()).unwrap();
    assert_eq!(source.rules.feeds, [("feed.xml".into(), FeedFormat::Rss)]);
    assert_eq!(source.settings.feed_limit, Some(15));
    assert!(!source.rules.post_ids);
    // With jekyll-feed, its feed and ids, whatever else is there.
    let dir = site(&[
        (
            "_config.yml",
            "url: https://j.example\nplugins: [jekyll-feed]\n",
        ),
        ("feed.xml", template),
    ]);
    let source = detect(dir.path()).unwrap();
    assert_eq!(source.rules.feeds, [("feed.xml".into(), FeedFormat::Atom)]);
    assert!(source.rules.post_ids);
}

#[test]
fn hugo_config_folder_files_are_their_keys() {
    let dir = site(&[
        (
            "config/_default/hugo.toml",
            "baseURL = 'https://h.example/'\ntitle = 'H'\n",
        ),
        (
            "config/_default/languages.toml",
            "[en]\ncontentDir = 'content/en'\n[fr]\ncontentDir = 'content/fr'\ntitle = 'F'\n",
        ),
        ("config/_default/menus.en.toml", "[[main]]\nname = 'x'\n"),
    ]);
    let source = detect(dir.path()).unwrap();
    assert!(source.content.ends_with("content"));
    assert_eq!(source.rules.languages.len(), 1);
    assert_eq!(source.rules.languages[0].content_dir.as_deref(), Some("fr"));
    assert_eq!(source.rules.default_content_dir.as_deref(), Some("en"));
    assert!(source.config_text.contains("content/fr"));
}
