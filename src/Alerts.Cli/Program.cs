using System.Runtime.InteropServices;
using Alerts.Cli;

// Ctrl+C (SIGINT) and SIGTERM ask the command to stop: work in hand finishes, the rest stays queued, and the command
// says so. A second Ctrl+C ends the process at once.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    if (stop.IsCancellationRequested)
    {
        return; // the second signal: the default action, which ends the process now
    }

    context.Cancel = true;
    Console.Error.WriteLine("alerts: stopping: finishing the work in hand (Ctrl+C again to quit at once)…");
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await CliApp.RunAsync(args, Console.Out, Console.Error, stop.Token);
