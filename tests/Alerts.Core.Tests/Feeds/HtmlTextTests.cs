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
    public void ToText_ConvertsHtml(string html, string expected) => Assert.Equal(expected, HtmlText.ToText(html));
}
