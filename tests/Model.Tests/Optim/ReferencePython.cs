using System.Diagnostics;

namespace ActorTrain.Model.Tests;

/// <summary>
/// Runs reference scripts with the system Python (/usr/bin/python3, which has numpy and torch from
/// Debian; the python3 first on PATH may not).
/// </summary>
internal static class ReferencePython
{
    public const string Executable = "/usr/bin/python3";

    private static readonly Lazy<string?> NumpyProblem = new(() => Probe("import numpy"));
    private static readonly Lazy<string?> TorchProblem = new(() => Probe("import torch, numpy"));

    /// <summary>Why numpy cannot be used, or null when it can.</summary>
    public static string? WhyNoNumpy => NumpyProblem.Value;

    /// <summary>Why torch cannot be used, or null when it can.</summary>
    public static string? WhyNoTorch => TorchProblem.Value;

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; returns stdout, throws with stderr on failure.</summary>
    public static string Run(string script, params string[] args) => RunWithInput(script, null, args);

    /// <summary>Like <see cref="Run"/>, writing <paramref name="stdin"/> (when not null) to the script's standard input.</summary>
    public static string RunWithInput(string script, string? stdin, params string[] args)
    {
        var scriptPath = Path.Combine(Path.GetTempPath(), $"actortrain-ref-{Guid.NewGuid():N}.py");
        File.WriteAllText(scriptPath, script);
        try
        {
            var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
            info.ArgumentList.Add(scriptPath);
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
            info.Environment["OMP_NUM_THREADS"] = "1";
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Executable}");
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            var stderrTask = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var stderr = stderrTask.Result;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"reference python exited with {process.ExitCode}:\n{stderr}\n{stdout}");
            }
            return stdout;
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    private static string? Probe(string code)
    {
        if (!File.Exists(Executable))
        {
            return $"{Executable} is not installed";
        }
        try
        {
            Run(code);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return $"{Executable} cannot '{code}': {e.Message.Split('\n').LastOrDefault(l => l.Length > 0)}";
        }
    }
}
