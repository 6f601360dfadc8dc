using Alerts.Core.Feeds;

namespace Alerts.Core.Tests.Feeds;

public class HtmlTextTests
{
    [Theory]
    [InlineData("<p>One</p><p>Two</p>", "One\nTwo")]
    [InlineData("Line<br/>break", "Line\nbreak")]
    [InlineData("<b>bold</b>   and\t<i>italic</i>", "bold and italic")]
    [InlineData("<script>alert('x')</script>Safe", "Safe")]
    [InlineData("<style>p{color:red}</style>Styled", "Styled")]
    [InlineData("Fish &amp; chips &eacute;t&eacute; &#8212; &#x2019;", "Fish & chips été — ’")]
    [InlineData("a < b and c > d", "a < b and c > d")]
    [InlineData("<!-- hidden -->Shown", "Shown")]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    [InlineData("Toll rises to <10 as >5 hurt", "Toll rises to <10 as >5 hurt")] // a '<' before a digit starts no tag
    [InlineData("<100 dead, >50 injured", "<100 dead, >50 injured")]
    [InlineData("<<<< <b>bold</b>", "<<<< bold")]
    [InlineData("a <b", "a <b")] // never closed: text
    public void ToText_ConvertsHtml(string html, string expected) => Assert.Equal(expected, HtmlText.ToText(html));

    /// <summary>The HTML5 tokenizer's rules, each a defect class of the old hand-written reader.</summary>
    [Theory]
    [InlineData("Toll rises to <10 as >5 hurt", "Toll rises to <10 as >5 hurt")] // '<' before a digit: text, and the text up to '>' stays
    [InlineData("<a title=\"x > y\" href=\"/z\">Link</a> text", "Link text")] // '>' in a quoted value does not end the tag
    [InlineData("<a title='x > y'>Link</a>", "Link")]
    [InlineData("<img alt=x>Caption", "Caption")] // unquoted value
    [InlineData("Hello <b>world</b>!", "Hello world!")] // inline elements add no space
    [InlineData("Reuters<span>,</span> London <i>said</i>.", "Reuters, London said.")]
    [InlineData("<table><tr><td>Dead</td><td>12</td></tr><tr><td>Hurt</td><td>40</td></tr></table>", "Dead 12\nHurt 40")]
    [InlineData("<!DOCTYPE html><p>Text</p>", "Text")]
    [InlineData("<?xml:namespace prefix = o ns = \"urn:schemas-microsoft-com:office:office\" /><p>Word</p>", "Word")]
    [InlineData("a<!-->b<!--->c", "abc")] // HTML5's abrupt empty comments
    [InlineData("a</>b", "ab")] // "</>" is nothing
    [InlineData("a</ 5>b", "ab")] // "</" and no letter: a bogus comment up to '>'
    [InlineData("<noscript><img src=x></noscript><iframe src=y>frame text</iframe>Body", "Body")]
    [InlineData("<script>if (a < b) { x = '</p>'; }</script>After", "After")]
    [InlineData("<SCRIPT>x</SCRIPT >Shown", "Shown")]
    [InlineData("&#146;quoted&#147; &#128;5 &#x80;", "\u2019quoted\u201C \u20AC5 \u20AC")] // 0x80-0x9F as Windows-1252
    [InlineData("&#0;&#xD800;&#x110000;", "\uFFFD\uFFFD\uFFFD")]
    [InlineData("Fish &amp chips &lt 5 &nbsp;", "Fish & chips < 5")] // legacy references without ';'
    [InlineData("AT&T &ampx", "AT&T &ampx")]
    [InlineData("<![CDATA[5 < 6]]>", "5 < 6")]
    public void ToText_FollowsTheHtml5Tokenizer(string html, string expected) => Assert.Equal(expected, HtmlText.ToText(html));

    [Theory]
    [InlineData("<a title=\"", true)] // a tag never closed: it and everything after it are text
    [InlineData("<b", true)]
    [InlineData("&#", true)]
    [InlineData("</", false)] // a bogus comment running to the end
    [InlineData("<!--", false)] // a comment running to the end
    [InlineData("<script>", false)] // a script body running to the end
    public void ToText_HostileRepeats_ReadAsHtml5Would(string unit, bool keptAsText)
    {
        // Each is read in one pass: a tag left open is not searched for again from every '<' after it.
        var html = string.Concat(Enumerable.Repeat(unit, 50_000));

        Assert.Equal(keptAsText ? html : "", HtmlText.ToText(html));
    }
}
