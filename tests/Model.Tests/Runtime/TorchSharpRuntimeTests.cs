using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Runtime;

/// <summary>
/// TorchSharp loads from the build output (on Debian 12 only thanks to build/debian12/patch-libtorchsharp.sh) and
/// computes; the patch touches only output copies and is idempotent.
/// </summary>
public sealed class TorchSharpRuntimeTests
{
    private const string Shim = "libactortrain_ios_base_init.so";

    [Fact]
    public void Libtorch_2_10_loads_and_computes_a_known_result()
    {
        Assert.StartsWith("2.10", __version__);
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        Assert.Equal([19f, 22f, 43f, 50f], a.matmul(b).data<float>().ToArray());
        var x = tensor(new float[] { 0.5f, -1f }, requires_grad: true);
        (x * x * x).sum().backward();
        Assert.Equal([0.75f, 3f], x.grad!.data<float>().ToArray()); // d/dx x³ = 3x²
    }

    [Fact]
    public void Only_the_output_copy_is_patched_and_only_where_libstdcxx_is_older_than_gcc_13()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var cached = Path.Combine(NuGetPackages(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), output);
        Assert.True(File.Exists(cached), cached);
        Assert.False(Contains(cached, Shim), $"the NuGet cache's {cached} was modified");
        Assert.Equal(!SystemLibstdcxxHas("GLIBCXX_3.4.32"), Contains(output, Shim));
    }

    [Fact]
    public void The_patch_script_is_idempotent_and_never_writes_through_a_hard_link()
    {
        if (SystemLibstdcxxHas("GLIBCXX_3.4.32")) return; // the script does nothing here by design
        var cached = Path.Combine(NuGetPackages(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var dir = Directory.CreateTempSubdirectory("actortrain-patch-");
        try
        {
            var copy = Path.Combine(dir.FullName, "cpu", "libLibTorchSharp.so");
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(cached, copy);
            var hardLink = Path.Combine(dir.FullName, "link", "libLibTorchSharp.so");
            Directory.CreateDirectory(Path.GetDirectoryName(hardLink)!);
            Run("ln", copy, hardLink);
            var original = Hash(copy);
            Run("bash", RepositoryFiles.Path("build/debian12/patch-libtorchsharp.sh"), Path.Combine(dir.FullName, "cpu"), Path.Combine(dir.FullName, "work"));
            var once = Hash(copy);
            Assert.NotEqual(original, once);
            Assert.Equal(original, Hash(hardLink)); // the other name of the old file is untouched
            Assert.True(File.Exists(Path.Combine(dir.FullName, "cpu", Shim)));
            Assert.Contains(Shim, Run("patchelf", "--print-needed", copy));
            Assert.Contains("GLIBCXX_3.4.32  Flags: WEAK", Run("readelf", "-V", copy));
            Run("bash", RepositoryFiles.Path("build/debian12/patch-libtorchsharp.sh"), Path.Combine(dir.FullName, "cpu"), Path.Combine(dir.FullName, "work"));
            Assert.Equal(once, Hash(copy));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string NuGetPackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static bool SystemLibstdcxxHas(string version)
    {
        foreach (var lib in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6" })
            if (File.Exists(lib)) return Contains(lib, version);
        return false;
    }

    private static bool Contains(string file, string text) =>
        File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
        return stdout.Result;
    }
}
