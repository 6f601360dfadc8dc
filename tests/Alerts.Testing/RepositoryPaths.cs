namespace Alerts.Testing;

/// <summary>Finds the repository root (the folder holding Alerts.sln) from wherever the tests run.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Alerts.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Alerts.sln) above " + AppContext.BaseDirectory);
    }
}
