using Alerts.Testing;

namespace Alerts.Functions.Tests;

/// <summary>One Azurite process for every test class in this assembly.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
