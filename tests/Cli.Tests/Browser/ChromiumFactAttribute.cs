using Xunit;

namespace ActorTrain.Cli.Tests.Browser;

/// <summary>A fact that is skipped, saying why, when headless Chromium and chromedriver are not installed (and
/// scripts/setup.sh could not install them).</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.WhyUnavailable is { } why)
            Skip = $"headless Chromium unavailable: {why} (apt-get install chromium chromium-driver; scripts/setup.sh installs them when it can)";
    }
}
