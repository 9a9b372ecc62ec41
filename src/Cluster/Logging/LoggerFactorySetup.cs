using Akka.Actor.Setup;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Logging;

/// <summary>Hands an <see cref="ILoggerFactory"/> to <see cref="MicrosoftLoggingBridge"/> through the actor system's setup.</summary>
/// <param name="loggerFactory">Where Akka's log events go.</param>
public sealed class LoggerFactorySetup(ILoggerFactory loggerFactory) : Setup
{
    /// <summary>Where Akka's log events go.</summary>
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
}
