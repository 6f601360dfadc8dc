using System.Diagnostics;
using System.Text;

namespace Alerts.Cli.Tests.Chaos;

/// <summary><c>alerts run</c> (the built command next to the tests) as its own process, with its output kept for diagnosis.</summary>
internal sealed class AlertsProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private AlertsProcess(Process process) => _process = process;

    /// <summary>The last lines the process wrote (standard output and error).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.Length > 8000 ? _log.ToString(_log.Length - 8000, 8000) : _log.ToString();
            }
        }
    }

    public static AlertsProcess Start(string store, string outbox, string feeds, string config)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "alerts.dll"), "run", "--store", store, "--outbox", outbox, "--feeds", feeds, "--config", config })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new AlertsProcess(Process.Start(start)!);
        process._process.OutputDataReceived += (_, e) => process.Append(e.Data);
        process._process.ErrorDataReceived += (_, e) => process.Append(e.Data);
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL: no chance to finish anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
