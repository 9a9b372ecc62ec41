namespace ActorTrain.Actors.Tests.Settings;

/// <summary>Temp config files for loader tests, deleted on dispose; and the repo's hocon/ folder.</summary>
internal sealed class SettingsTestFiles : IDisposable
{
    public SettingsTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "actortrain-settings-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The repository's hocon/ folder, found by walking up from the test assembly.</summary>
    public static string HoconFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "hocon", "reference.conf"))) dir = dir.Parent;
        if (dir is null) throw new DirectoryNotFoundException("hocon/reference.conf not found above " + AppContext.BaseDirectory);
        return Path.Combine(dir.FullName, "hocon");
    }
}
