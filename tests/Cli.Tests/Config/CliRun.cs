using System.Diagnostics;

namespace ActorTrain.Cli.Tests.Config;

/// <summary>Runs the built <c>actortrain</c> executable (copied next to the tests) as a child process.</summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "actortrain"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        // Only the variables under test may steer the config.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("ACTORTRAIN_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"actortrain {string.Join(' ', args)} did not finish within 60 s");
        }
        return new Result(process.ExitCode, stdout, stderr.Result);
    }
}
