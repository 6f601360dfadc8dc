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

    [Fact]
    public void ToText_RunsOfLessThanWithoutTags_KeepEveryCharacter()
    {
        // One search for '>' serves every '<' before it: 200,000 of them are read once, not once each.
        var html = new string('<', 200_000) + " end";

        Assert.Equal(html, HtmlText.ToText(html));
    }

    [Fact]
    public void ToText_AHugeField_GivesAtMostTheCap()
    {
        var html = string.Concat(Enumerable.Repeat("<p>Curfew &amp; troops in the capital.</p>", 100_000)); // 4.3 MB

        var text = HtmlText.ToText(html);

        Assert.Equal(HtmlText.MaxTextCharacters, text.Length);
        Assert.StartsWith("Curfew & troops in the capital.\nCurfew", text, StringComparison.Ordinal);
    }
}
