using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ActorTrain.Cli;

/// <summary>One logger factory per process: single-line console logs on stderr (stdout stays for results), and
/// optionally a log file that keeps every line.</summary>
public static class CliLogging
{
    /// <summary>
    /// Creates the factory; <c>ACTORTRAIN_LOG_LEVEL</c> (Trace..Critical) overrides <paramref name="minimum"/>.
    /// Unless <paramref name="verbose"/>, the console leaves out Akka's own information lines and the membership log
    /// (members Up, removed…): they go to <paramref name="logFile"/> only; warnings and errors always show.
    /// </summary>
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information, string? prefix = null, bool verbose = true, string? logFile = null)
    {
        if (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("ACTORTRAIN_LOG_LEVEL"), true, out var fromEnv))
            minimum = fromEnv;
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(minimum)
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = prefix is null ? "HH:mm:ss.fff " : $"HH:mm:ss.fff [{prefix}] ";
                    o.ColorBehavior = LoggerColorBehavior.Disabled;
                })
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            if (!verbose)
                builder.AddFilter<ConsoleLoggerProvider>((category, level) =>
                    level >= LogLevel.Warning || (level >= minimum && !IsChatter(category)));
            if (logFile is not null)
                builder.AddProvider(new FileLoggerProvider(logFile));
        });
    }

    /// <summary>Categories whose information lines are membership chatter on a console.</summary>
    public static bool IsChatter(string? category) =>
        category is not null && (category.StartsWith("Akka.", StringComparison.Ordinal)
                                 || category == "ActorTrain.Actors.Job.MembershipLogger"
                                 || category == "ActorTrain.Actors.Job.JobCoordinator"
                                 || category == "ActorTrain.Actors.Job.ParameterServerActor");
}
