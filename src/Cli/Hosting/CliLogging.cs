using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ActorTrain.Cli;

/// <summary>One logger factory per process: single-line console logs on stderr, so stdout stays for results.</summary>
public static class CliLogging
{
    /// <summary>Creates the factory; <c>ACTORTRAIN_LOG_LEVEL</c> (Trace..Critical) overrides <paramref name="minimum"/>.</summary>
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information, string? prefix = null)
    {
        if (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("ACTORTRAIN_LOG_LEVEL"), true, out var fromEnv))
            minimum = fromEnv;
        return LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = prefix is null ? "HH:mm:ss.fff " : $"HH:mm:ss.fff [{prefix}] ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
    }
}
