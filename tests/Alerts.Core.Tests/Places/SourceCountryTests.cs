using Alerts.Core.Places;

namespace Alerts.Core.Tests.Places;

public class SourceCountryTests
{
    [Theory]
    [InlineData("https://bloknot.ru/chp/a-story", "RU")]
    [InlineData("https://www.hurriyet.com.tr/gundem/x", "TR")] // a second-level domain
    [InlineData("https://www.bbc.co.uk/news/x", "GB")] // .uk is GB's
    [InlineData("https://ptv.ua/news/x", "UA")]
    [InlineData("https://example.рф/новости", "RU")] // an internationalized country domain
    [InlineData("https://www.lanotiziagiornale.it/x", "IT")]
    [InlineData("https://example.com/x", null)]
    [InlineData("https://rezka.fm/series/x", null)] // a country domain sold as a generic name
    [InlineData("https://podcast.io/x", null)]
    [InlineData("https://news.example.tv/x", null)]
    [InlineData("https://youtu.be/abc", null)] // a link shortener under Belgium's domain
    [InlineData("https://bit.ly/abc", null)]
    [InlineData("https://free-news.ml/x", null)] // a domain given away free, not Mali's press
    [InlineData("https://www.lesoir.be/x", "BE")]
    [InlineData("http://10.0.0.1/x", null)] // an address, not a domain
    [InlineData("not a url", null)]
    [InlineData(null, null)]
    public void Of_GivesTheCountryOfACountryDomain(string? url, string? code) => Assert.Equal(code, SourceCountry.Of(url));

    [Fact]
    public void Detect_AnArticleThatNamesNoCountry_IsPlacedInItsSourcesCountry_Marked()
    {
        var found = PlaceDetector.Detect("Комендантский час для подростков", "С 1 октября в регионе действуют правила комендантского часа.", url: "https://news.example.ru/a");

        var country = Assert.Single(found.Countries);
        Assert.Equal("RU", country.Code);
        Assert.True(country.FromSource);
        Assert.Equal(["source: news.example.ru"], country.Mentions);
    }

    [Fact]
    public void Detect_AnArticleThatNamesACountry_KeepsIt_AndIgnoresItsSource()
    {
        var found = PlaceDetector.Detect("Комендантский час в Лос-Анджелесе", "Мэр Лос-Анджелеса объявила комендантский час в центре города, сообщают США.", url: "https://news.example.ru/a");

        Assert.DoesNotContain(found.Countries, c => c.Code == "RU" || c.FromSource);
        Assert.Empty(PlaceDetector.Detect("Markets steady", "Shares closed higher.", url: "https://example.com/a").Countries);
    }

    [Theory]
    [InlineData("tr", "https://haber.example.com/a", "TR")] // Turkish: 95% of speakers in Turkey (CLDR)
    [InlineData("fa", null, "IR")]
    [InlineData("pt", null, "BR")]
    [InlineData("ar", null, null)] // spread over twenty countries: no guess
    [InlineData("en", null, null)]
    [InlineData("tr", "https://news.example.de/a", "DE")] // the source's domain first
    public void Detect_AnArticleThatNamesNoPlace_IsPlacedByItsDomainThenItsLanguage_Marked(string language, string? url, string? code)
    {
        var found = PlaceDetector.Detect("Protests", "Hundreds were detained overnight, the ministry said.", url: url, language: language);

        Assert.Equal(code, found.Countries.SingleOrDefault()?.Code);
        Assert.All(found.Countries, c => Assert.True(c.FromSource));
    }

    [Fact]
    public void Detect_AnArticleThatNamesACountry_IsNotPlacedByItsLanguage()
    {
        var found = PlaceDetector.Detect("Gürcistan'da protesto", "Tiflis'te yüzlerce kişi gözaltına alındı.", language: "tr");

        Assert.Equal("GE", found.Countries[0].Code);
        Assert.DoesNotContain(found.Countries, c => c.FromSource);
    }

    [Fact]
    public void HomeCountries_AreThoseOfLanguagesMostlySpokenInOneCountry()
    {
        var homes = Gazetteer.Default.HomeCountries;

        Assert.Equal("TR", homes["tr"]);
        Assert.Equal("UA", homes["uk"]);
        Assert.Equal("RU", homes["ru"]);
        Assert.False(homes.ContainsKey("ar"));
        Assert.False(homes.ContainsKey("es"));
    }
}
