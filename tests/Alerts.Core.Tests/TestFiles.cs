namespace Alerts.Core.Tests;

internal static class TestFiles
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "Feeds", name));
}
