//! `feed.xsl`, the XSLT stylesheet a browser applies to `atom.xml` and
//! `rss.xml` so that a reader who opens a feed sees a page saying what a
//! feed is, its URL to copy and its entries, instead of raw XML; and the
//! `<?xml-stylesheet?>` processing instruction that names it in each feed.
//! Feed readers ignore the instruction (XML 1.0 §2.6 leaves a processing
//! instruction to the application it names).
//!
//! The stylesheet reads everything it shows from the feed, so one file
//! serves the site's feeds and every tag's or list's; it knows only where
//! the output folder is served, to find the subscribe page from a feed in
//! any folder.

use super::page::{STYLE, escape};
use crate::model::Site;

/// The stylesheet, at the output's root.
pub const STYLESHEET: &str = "feed.xsl";

/// `xml`, a feed rendered for the file at `path`, with the processing
/// instruction naming the stylesheet after its XML declaration, unless the
/// site has `feed_stylesheet: false`.
///
/// The `href` is relative (`../../feed.xsl` from `tags/rust/atom.xml`):
/// browsers apply a stylesheet only from the feed's own origin, and a
/// relative one stays right wherever the folder is served, `almanac serve`
/// included.
pub fn styled(site: &Site, path: &str, mut xml: Vec<u8>) -> Vec<u8> {
    if !site.config.feed_stylesheet {
        return xml;
    }
    let up = "../".repeat(path.matches('/').count());
    let instruction = format!("<?xml-stylesheet type=\"text/xsl\" href=\"{up}{STYLESHEET}\"?>\n");
    // XML 1.0 §2.8: the declaration, when there is one, comes first.
    let at = if xml.starts_with(b"<?xml ") {
        xml.iter()
            .position(|&b| b == b'\n')
            .map_or(xml.len(), |end| end + 1)
    } else {
        0
    };
    xml.splice(at..at, instruction.bytes());
    xml
}

/// The stylesheet for `site`: the same bytes for the same `feeds_url` and
/// `subscribe_page`.
pub fn stylesheet(site: &Site) -> String {
    let config = &site.config;
    let page = if config.subscribe_page {
        super::PAGE
    } else {
        ""
    };
    XSL.replace("{feeds}", &escape(config.feeds_url.as_str()))
        .replace("{page}", page)
        .replace("{style}", &escape(&format!("{STYLE}{EXTRA_STYLE}")))
}

/// What the feed page adds to the subscribe page's style.
const EXTRA_STYLE: &str = "\
.about{background:#eaf2fb;border:1px solid #c4d8ee;border-radius:.5rem;padding:.25rem 1rem .75rem;margin-top:1.5rem}\
.about h2{margin-top:.75rem}.about p{margin:.5rem 0}\
.entries a{font-weight:600}.entries p{margin:.25rem 0 0}";

/// XSLT 1.0, the one version browsers run (libxslt in Chromium and
/// WebKit, TransforMiiX in Firefox). `{feeds}` is the output folder's URL:
/// the part of a feed's self link after it says how deep the feed is, so
/// the subscribe page (`{page}`, empty without one) is linked relatively.
/// Every text comes from the feed through `xsl:value-of`, which escapes it.
const XSL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<!-- Shows this site's Atom and RSS feeds as a page in a browser; feed readers ignore it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>
<xsl:variable name="feeds">{feeds}</xsl:variable>
<xsl:variable name="page">{page}</xsl:variable>
<xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>

<xsl:template match="/atom:feed">
  <xsl:call-template name="feed">
    <xsl:with-param name="kind" select="'Atom'"/>
    <xsl:with-param name="title" select="atom:title"/>
    <xsl:with-param name="subtitle" select="atom:subtitle"/>
    <xsl:with-param name="lang" select="@xml:lang"/>
    <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    <xsl:with-param name="home" select="atom:link[@rel='alternate']/@href"/>
    <xsl:with-param name="entries" select="atom:entry"/>
  </xsl:call-template>
</xsl:template>

<xsl:template match="/rss">
  <xsl:call-template name="feed">
    <xsl:with-param name="kind" select="'RSS'"/>
    <xsl:with-param name="title" select="channel/title"/>
    <xsl:with-param name="subtitle" select="channel/description"/>
    <xsl:with-param name="lang" select="channel/language"/>
    <xsl:with-param name="self" select="channel/atom:link[@rel='self']/@href"/>
    <xsl:with-param name="home" select="channel/link"/>
    <xsl:with-param name="entries" select="channel/item"/>
  </xsl:call-template>
</xsl:template>

<xsl:template name="feed">
  <xsl:param name="kind"/>
  <xsl:param name="title"/>
  <xsl:param name="subtitle"/>
  <xsl:param name="lang"/>
  <xsl:param name="self"/>
  <xsl:param name="home"/>
  <xsl:param name="entries"/>
  <xsl:variable name="root">
    <xsl:choose>
      <xsl:when test="starts-with($self, $feeds)">
        <xsl:call-template name="up">
          <xsl:with-param name="path" select="substring-after($self, $feeds)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$feeds"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <html lang="{$lang}">
  <head>
  <meta name="viewport" content="width=device-width, initial-scale=1"/>
  <title><xsl:value-of select="$title"/> (<xsl:value-of select="$kind"/> feed)</title>
  <style>{style}</style>
  </head>
  <body>
  <main>
  <h1><xsl:value-of select="$title"/></h1>
  <xsl:if test="string($subtitle) and string($subtitle) != string($title)">
    <p class="lead"><xsl:value-of select="$subtitle"/></p>
  </xsl:if>
  <section class="about">
  <h2>This is a feed</h2>
  <p>This page is an <xsl:value-of select="$kind"/> feed: a feed reader follows it and shows you each new entry. To subscribe, copy its URL into your reader:</p>
  <input readonly="readonly" value="{$self}" aria-label="{$kind} feed URL"/>
  <p class="links">
    <a href="{$home}">Visit the site</a>
    <xsl:if test="string($page)">
      <xsl:text> </xsl:text>
      <a href="{$root}{$page}">Every feed and calendar</a>
    </xsl:if>
  </p>
  </section>
  <section>
  <h2>Latest entries</h2>
  <xsl:choose>
    <xsl:when test="$entries"><ul class="entries"><xsl:apply-templates select="$entries"/></ul></xsl:when>
    <xsl:otherwise><p>Nothing published yet.</p></xsl:otherwise>
  </xsl:choose>
  </section>
  </main>
  </body>
  </html>
</xsl:template>

<xsl:template match="atom:entry">
  <xsl:variable name="date">
    <xsl:choose>
      <xsl:when test="atom:published"><xsl:value-of select="atom:published"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="atom:updated"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <li>
    <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
    <xsl:call-template name="day">
      <xsl:with-param name="year" select="substring($date, 1, 4)"/>
      <xsl:with-param name="month" select="substring($date, 6, 2)"/>
      <xsl:with-param name="day" select="substring($date, 9, 2)"/>
    </xsl:call-template>
    <xsl:if test="string(atom:summary)"><p><xsl:value-of select="atom:summary"/></p></xsl:if>
  </li>
</xsl:template>

<xsl:template match="item">
  <li>
    <a href="{link}"><xsl:value-of select="title"/></a>
    <!-- RFC 822 as almanac writes it: "Tue, 26 Nov 2024 19:00:00 +0900". -->
    <xsl:call-template name="day">
      <xsl:with-param name="year" select="substring(pubDate, 13, 4)"/>
      <xsl:with-param name="month" select="format-number(string-length(substring-before($months, substring(pubDate, 9, 3))) div 3 + 1, '00')"/>
      <xsl:with-param name="day" select="substring(pubDate, 6, 2)"/>
    </xsl:call-template>
    <xsl:if test="string(description)"><p><xsl:value-of select="description"/></p></xsl:if>
  </li>
</xsl:template>

<xsl:template name="day">
  <xsl:param name="year"/>
  <xsl:param name="month"/>
  <xsl:param name="day"/>
  <time datetime="{$year}-{$month}-{$day}"><xsl:value-of select="concat(number($day), ' ', substring($months, $month * 3 - 2, 3), ' ', $year)"/></time>
</xsl:template>

<!-- One "../" per folder in a path. -->
<xsl:template name="up">
  <xsl:param name="path"/>
  <xsl:if test="contains($path, '/')">
    <xsl:text>../</xsl:text>
    <xsl:call-template name="up">
      <xsl:with-param name="path" select="substring-after($path, '/')"/>
    </xsl:call-template>
  </xsl:if>
</xsl:template>
</xsl:stylesheet>
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    fn site(yaml: &str) -> Site {
        Site {
            config: SiteConfig::parse(yaml).unwrap(),
            now: chrono::DateTime::<chrono::Utc>::MAX_UTC,
            notes: Vec::new(),
            drafts: 0,
        }
    }

    #[test]
    fn the_instruction_follows_the_declaration_relative_to_the_feed() {
        let site = site("title: T\nbase_url: https://x.example/\n");
        let xml = b"<?xml version=\"1.0\"?>\n<feed/>\n".to_vec();
        let styled_at = |path: &str| String::from_utf8(styled(&site, path, xml.clone())).unwrap();
        assert_eq!(
            styled_at("tags/rust/atom.xml"),
            "<?xml version=\"1.0\"?>\n\
             <?xml-stylesheet type=\"text/xsl\" href=\"../../feed.xsl\"?>\n<feed/>\n"
        );
        assert!(styled_at("rss.xml").contains("href=\"feed.xsl\"?>\n<feed/>"));
    }

    #[test]
    fn it_is_planned_at_the_root_unless_opted_out() {
        let paths = |yaml: &str| -> Vec<String> {
            let site = site(yaml);
            super::super::plan(&site)
                .into_iter()
                .map(|p| p.path)
                .collect()
        };
        let on = paths("title: T\nbase_url: https://x.example/\n");
        assert!(on.iter().any(|path| path == STYLESHEET));
        let off = paths("title: T\nbase_url: https://x.example/\nfeed_stylesheet: false\n");
        assert!(!off.iter().any(|path| path == STYLESHEET));
        assert_eq!(on.len(), off.len() + 1);
    }

    #[test]
    fn opting_out_leaves_the_feed_as_it_was() {
        let site = site("title: T\nbase_url: https://x.example/\nfeed_stylesheet: false\n");
        let xml = b"<?xml version=\"1.0\"?>\n<feed/>\n".to_vec();
        assert_eq!(styled(&site, "atom.xml", xml.clone()), xml);
    }

    #[test]
    fn the_stylesheet_escapes_what_it_is_given() {
        let site = site("title: T\nbase_url: \"https://x.example/a&b/\"\nsubscribe_page: false\n");
        let xsl = stylesheet(&site);
        assert!(xsl.contains(
            "<xsl:variable name=\"feeds\">https://x.example/a&amp;b/feeds/</xsl:variable>"
        ));
        assert!(xsl.contains("<xsl:variable name=\"page\"></xsl:variable>"));
        assert!(!xsl.contains("{style}") && !xsl.contains("{feeds}"));
    }
}
