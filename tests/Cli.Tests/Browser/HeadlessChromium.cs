namespace ActorTrain.Cli.Tests.Browser;

/// <summary>Where Debian's headless Chromium and its WebDriver live, or why they cannot be used here.</summary>
internal static class HeadlessChromium
{
    private static readonly string[] Browsers = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private static readonly string[] Drivers = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];

    /// <summary>ACTORTRAIN_CHROMIUM: a browser of the user's choice instead of Debian's.</summary>
    private static string? Chosen => Environment.GetEnvironmentVariable("ACTORTRAIN_CHROMIUM") is { Length: > 0 } path ? path : null;

    /// <summary>The browser executable, or null.</summary>
    public static string? Browser => Chosen is { } chosen ? (File.Exists(chosen) ? chosen : null) : Browsers.FirstOrDefault(File.Exists);

    /// <summary>The chromedriver executable, or null.</summary>
    public static string? Driver => Drivers.FirstOrDefault(File.Exists);

    /// <summary>Why the browser tests cannot run, or null when they can.</summary>
    public static string? WhyUnavailable =>
        Browser is null ? "no Chromium at " + (Chosen is { } chosen ? chosen + " (ACTORTRAIN_CHROMIUM)" : string.Join(", ", Browsers))
        : Driver is null ? $"no chromedriver at {string.Join(", ", Drivers)}"
        : null;
}
