<?xml version="1.0" encoding="utf-8"?>
<!-- Shows this site's Atom and RSS feeds as a page in a browser; feed readers ignore it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>
<xsl:variable name="feeds">https://notes.example.org/feeds/</xsl:variable>
<xsl:variable name="page">index.html</xsl:variable>
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
  <style>body{margin:0;font:16px/1.5 system-ui,-apple-system,&quot;Segoe UI&quot;,&quot;Noto Sans&quot;,&quot;Noto Sans CJK JP&quot;,sans-serif;color:#1d232a;background:#f6f7f9}main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem 3rem}h1{font-size:1.8rem;margin:.5rem 0}h2{font-size:1.2rem;margin:2rem 0 .5rem}.lead,.zone{color:#4a5562}ul{list-style:none;padding:0;margin:0}li{background:#fff;border:1px solid #dde2e8;border-radius:.5rem;padding:.75rem;margin:.5rem 0;overflow-wrap:anywhere}input{display:block;width:100%;box-sizing:border-box;margin-top:.4rem;font:inherit;font-size:.85rem;padding:.3rem;border:1px solid #c8cfd8;border-radius:.3rem;background:#f9fafb}a{color:#0b5cad}.links{display:block;margin-top:.25rem}.links a{margin-right:.75rem;white-space:nowrap}pre{background:#fff;border:1px solid #dde2e8;border-radius:.5rem;padding:.75rem;overflow-x:auto;font-size:.8rem}time{display:block;color:#4a5562;font-size:.9rem}.about{background:#eaf2fb;border:1px solid #c4d8ee;border-radius:.5rem;padding:.25rem 1rem .75rem;margin-top:1.5rem}.about h2{margin-top:.75rem}.about p{margin:.5rem 0}.entries a{font-weight:600}.entries p{margin:.25rem 0 0}</style>
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
