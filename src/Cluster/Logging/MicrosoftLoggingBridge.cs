using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AkkaLogLevel = Akka.Event.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ActorTrain.Cluster.Logging;

/// <summary>
/// Akka logger (<c>akka.loggers</c>) that writes every Akka log event to Microsoft.Extensions.Logging, under the
/// category <c>Akka.&lt;class&gt;</c> (e.g. <c>Akka.Cluster.ClusterCoreDaemon</c>), so the console and log-file
/// filters of the host decide what is shown. The factory comes from <see cref="LoggerFactorySetup"/>.
/// </summary>
public sealed class MicrosoftLoggingBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory;
    private readonly Dictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    /// <summary>Created by Akka from <c>akka.loggers</c>.</summary>
    public MicrosoftLoggingBridge()
    {
        _factory = Context.System.Settings.Setup.Get<LoggerFactorySetup>().Value?.LoggerFactory ?? NullLoggerFactory.Instance;
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    private void Write(LogEvent e)
    {
        var logger = LoggerFor(e.LogClass, e.LogSource);
        var level = e.LogLevel() switch
        {
            AkkaLogLevel.DebugLevel => MsLogLevel.Debug,
            AkkaLogLevel.InfoLevel => MsLogLevel.Information,
            AkkaLogLevel.WarningLevel => MsLogLevel.Warning,
            _ => MsLogLevel.Error,
        };
        // A peer that closes its connection (it left the cluster and stopped, or died) makes Akka.Remote report
        // "Association … has failed … Disassociated" as a warning and its supervisor as an error. Membership and the
        // job report a lost node in their own words; on a requested stop this is expected, so it is kept at information.
        if (level >= MsLogLevel.Warning && (IsDisassociation(e) || IsShutdownRace(e))) level = MsLogLevel.Information;
        if (!logger.IsEnabled(level)) return;
        logger.Log(level, e.Cause, "[{Source}] {Message}", e.LogSource, e.Message?.ToString());
    }

    // Akka.Remote's EndpointDisassociatedException is internal: recognised by name.
    private const string Disassociated = "EndpointDisassociatedException";

    private static bool IsDisassociation(LogEvent e) =>
        e.Cause?.GetType().Name == Disassociated || e.Cause?.InnerException?.GetType().Name == Disassociated
        // ReliableDeliverySupervisor puts the exception into the text of its warning.
        || (e.Message?.ToString()?.Contains(Disassociated, StringComparison.Ordinal) ?? false);

    // DotNetty's handlers report a channel closed by both ends at once during a shutdown ("Unable to REMOVE channel …
    // from connection group. May not shut down cleanly."): the channel is gone either way.
    private static bool IsShutdownRace(LogEvent e) =>
        e.LogClass?.Namespace == "Akka.Remote.Transport.DotNetty"
        && (e.Message?.ToString()?.StartsWith("Unable to REMOVE channel", StringComparison.Ordinal) ?? false);

    private ILogger LoggerFor(Type? type, string? source)
    {
        string name = type?.FullName ?? "Akka";
        // Akka logs some events under a placeholder class with a string source ("Cluster (akka://…)", "remoting-terminator").
        if (type == typeof(DummyClassForStringSources))
            name = source is not null && source.StartsWith("Cluster", StringComparison.Ordinal) ? "Akka.Cluster.Cluster" : "Akka.Remote.Remoting";
        else if (!name.StartsWith("Akka.", StringComparison.Ordinal) && !name.StartsWith("ActorTrain.", StringComparison.Ordinal))
            name = "Akka." + name;
        if (!_loggers.TryGetValue(name, out var logger)) _loggers[name] = logger = _factory.CreateLogger(name);
        return logger;
    }
}
