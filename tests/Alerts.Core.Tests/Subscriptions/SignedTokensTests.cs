using Alerts.Core.Subscriptions;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.Core.Tests.Subscriptions;

public class SignedTokensTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Verify_GenuineToken_ReturnsTheSubscriber()
    {
        var tokens = new SignedTokens(Key, _time);

        Assert.Equal("sub-42", tokens.Verify(tokens.Create("unsubscribe", "sub-42", TimeSpan.FromDays(365)), "unsubscribe"));
    }

    [Fact]
    public void Verify_TamperedOrForeignOrWrongPurposeOrExpired_IsRejected()
    {
        var tokens = new SignedTokens(Key, _time);
        var token = tokens.Create("unsubscribe", "sub-42", TimeSpan.FromDays(1));
        var payload = token[..token.IndexOf('.', StringComparison.Ordinal)];
        var other = tokens.Create("unsubscribe", "sub-43", TimeSpan.FromDays(1));
        var foreign = new SignedTokens([.. Key.Select(b => (byte)(b + 1))], _time).Create("unsubscribe", "sub-42", TimeSpan.FromDays(1));

        Assert.Null(tokens.Verify(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1], "unsubscribe"));
        Assert.Null(tokens.Verify(payload + other[other.IndexOf('.', StringComparison.Ordinal)..], "unsubscribe")); // another subscriber's MAC
        Assert.Null(tokens.Verify(foreign, "unsubscribe"));
        Assert.Null(tokens.Verify(token, "confirm"));
        Assert.Null(tokens.Verify("garbage", "unsubscribe"));
        Assert.Null(tokens.Verify(null, "unsubscribe"));
        _time.Advance(TimeSpan.FromDays(2));
        Assert.Null(tokens.Verify(token, "unsubscribe"));
    }

    [Theory]
    [InlineData(long.MaxValue, true)]
    [InlineData(253402300800L, true)] // the first second after DateTimeOffset.MaxValue
    [InlineData(long.MinValue, false)]
    [InlineData(-62135596801L, false)] // before DateTimeOffset.MinValue
    public void Verify_GenuineTokenWithAnExpiryOutOfDateRange_IsJudgedWithoutThrowing(long expires, bool valid)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes($"unsubscribe|sub-42|{expires}");
        var token = Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "."
            + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(Key, payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(valid ? "sub-42" : null, new SignedTokens(Key, _time).Verify(token, "unsubscribe"));
    }

    [Fact]
    public void Create_ShortKey_IsRefused() => Assert.Throws<ArgumentException>(() => new SignedTokens(new byte[16], TimeProvider.System));
}
