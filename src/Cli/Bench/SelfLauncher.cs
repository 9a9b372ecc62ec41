using System.Diagnostics;

namespace ActorTrain.Cli.Bench;

/// <summary>Starts this same <c>actortrain</c> executable again (benchmark workers, servers), also under <c>dotnet actortrain.dll</c>.</summary>
public static class SelfLauncher
{
    /// <summary>A process start of this executable with <paramref name="args"/>; output is not redirected here.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        string path = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this process's executable to start benchmark workers");
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        // Under `dotnet actortrain.dll` the process is dotnet itself: the entry assembly must come first.
        if (Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(SelfLauncher).Assembly.Location);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        return start;
    }
}
