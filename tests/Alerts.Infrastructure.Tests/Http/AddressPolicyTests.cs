using System.Net;
using Alerts.Infrastructure.Http;

namespace Alerts.Infrastructure.Tests.Http;

public class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("198.18.0.1")]
    [InlineData("192.0.2.10")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:192.168.0.1")]
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:c0a8:0101::1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:0:127.0.0.1")]
    [InlineData("::ffff:0:10.1.2.3")]
    [InlineData("::ffff:0:169.254.169.254")]
    [InlineData("2001:10::1")]
    [InlineData("2001:1f::1")]
    [InlineData("2001:20::1")]
    [InlineData("2001:2f:ffff::1")]
    [InlineData("3fff::1")]
    [InlineData("3fff:fff:ffff::1")]
    [InlineData("5f00::1")]
    [InlineData("5f00:ffff::1")]
    public void IsAllowed_InternalAddresses_AreRefused(string address) =>
        Assert.False(AddressPolicy.IsAllowed(IPAddress.Parse(address), allowLoopback: false));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:93.184.216.34")]
    [InlineData("::ffff:0:93.184.216.34")]
    [InlineData("2001:30::1")]
    [InlineData("3fff:1000::1")]
    [InlineData("5f01::1")]
    public void IsAllowed_PublicAddresses_AreAllowed(string address) =>
        Assert.True(AddressPolicy.IsAllowed(IPAddress.Parse(address), allowLoopback: false));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("fd00::1", false)]
    public void IsAllowed_WithLoopbackAllowed_OnlyLoopbackOpens(string address, bool expected) =>
        Assert.Equal(expected, AddressPolicy.IsAllowed(IPAddress.Parse(address), allowLoopback: true));
}
