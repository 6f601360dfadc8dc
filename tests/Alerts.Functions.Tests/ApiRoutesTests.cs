using System.Reflection;
using Alerts.Infrastructure.Web;
using Microsoft.Azure.Functions.Worker;

namespace Alerts.Functions.Tests;

/// <summary>
/// The Functions app and <c>alerts serve</c> answer the same routes: every HTTP trigger is in <see cref="ApiRoutes.All"/>
/// with the same methods and access, and every route of the table has its Function.
/// </summary>
public sealed class ApiRoutesTests
{
    private static IEnumerable<(string Name, string Route, string Methods, RouteAccess Access)> Triggers() =>
        from method in typeof(PollFeeds).Assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
        let function = method.GetCustomAttribute<FunctionAttribute>()
        let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
        where function is not null && trigger is not null
        select (function.Name, trigger.Route!, Methods(trigger.Methods!), trigger.AuthLevel == AuthorizationLevel.Anonymous ? RouteAccess.Public : RouteAccess.Admin);

    private static string Methods(IEnumerable<string> methods) => string.Join(",", methods.Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal));

    [Fact]
    public void EveryFunctionRoute_IsInTheTable_WithItsMethodsAndAccess_AndViceVersa()
    {
        var functions = Triggers().Select(t => $"{t.Name} {t.Route} {t.Methods} {t.Access}").Order(StringComparer.Ordinal).ToList();
        var table = ApiRoutes.All.Select(r => $"{r.Name} {r.Pattern} {Methods(r.Methods)} {r.Access}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(table, functions);
        Assert.True(functions.Count >= 20, $"only {functions.Count} HTTP functions found");
    }

    [Fact]
    public void AdminRoutes_AreTheOnesUnderApiAdmin_ExceptTheConsoleFiles()
    {
        Assert.All(ApiRoutes.All, r => Assert.Equal(r.Pattern.StartsWith("api/admin/", StringComparison.Ordinal) && r.Pattern != ApiRoutes.Console, r.Access == RouteAccess.Admin));
    }
}
