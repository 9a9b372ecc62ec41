using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ActorTrain.Model.Native;

/// <summary>
/// Finds libactortrain_native.so deterministically: $ACTORTRAIN_NATIVE, then next to the assembly, then
/// native/build/ in the nearest ancestor directory (a source checkout).
/// </summary>
internal static class NativeLibraryResolver
{
    internal const string LibraryName = "actortrain_native";
    private const string FileName = "libactortrain_native.so";

#pragma warning disable CA2255 // The resolver must be installed before the first P/Invoke from any entry point.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName) return IntPtr.Zero;
        var path = Locate();
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"Could not load the ActorTrain native shim from '{path}': {e.Message}. Is libtorch installed " +
                "(apt-get install libtorch-dev libopenblas0-pthread)? Rebuild with: bash scripts/setup.sh " +
                "(or cmake -S native -B native/build && cmake --build native/build)", e);
        }
    }

    /// <summary>The path the shim is loaded from; throws with the build command when it is nowhere.</summary>
    internal static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("ACTORTRAIN_NATIVE");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            if (File.Exists(fromEnv)) return fromEnv;
            throw new DllNotFoundException(
                $"ACTORTRAIN_NATIVE points to '{fromEnv}', which does not exist. Build it with: bash scripts/setup.sh " +
                "(or cmake -S native -B native/build && cmake --build native/build), or unset the variable.");
        }
        var beside = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "native", "build", FileName);
            if (File.Exists(candidate)) return candidate;
        }
        throw new DllNotFoundException(
            $"{FileName} was not found (looked at $ACTORTRAIN_NATIVE, {beside}, and native/build/ in every parent of " +
            $"{AppContext.BaseDirectory}). Build it with: bash scripts/setup.sh (or cmake -S native -B native/build && " +
            "cmake --build native/build)");
    }
}
