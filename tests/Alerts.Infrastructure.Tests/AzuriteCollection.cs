using Alerts.Testing;

namespace Alerts.Infrastructure.Tests;

/// <summary>One Azurite process for every storage test class in this assembly.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
