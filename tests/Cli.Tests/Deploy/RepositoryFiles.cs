namespace ActorTrain.Cli.Tests.Deploy;

/// <summary>Files of this repository, found upward from the test binaries.</summary>
internal static class RepositoryFiles
{
    /// <summary>Full path of <paramref name="relative"/> (e.g. "bench/peers/x.py"); throws when no parent folder holds it.</summary>
    public static string Path(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) && File.Exists(System.IO.Path.Combine(dir.FullName, "ActorTrain.sln"))) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found in the repository above {AppContext.BaseDirectory}");
    }
}
