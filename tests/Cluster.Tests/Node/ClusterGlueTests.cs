using System.Collections.Concurrent;
using System.Runtime.Serialization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorTrain.Cluster.Bench;
using ActorTrain.Cluster.Logging;
using ActorTrain.Cluster.Node;
using ActorTrain.Cluster.Serialization;
using ActorTrain.Cluster.Tls;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Event;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using Xunit;

namespace ActorTrain.Cluster.Tests.Node;

public sealed class ClusterGlueTests
{
    [Fact]
    public async Task Akka_log_events_reach_Microsoft_Extensions_Logging_under_the_class_category()
    {
        var sink = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Debug));
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(AkkaConfig.Reference("akka.actor.provider = local")),
            new LoggerFactorySetup(factory));
        var system = ActorSystem.Create("logs", setup);
        try
        {
            system.Log.Warning("a warning with {0}", "an argument");
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!sink.Lines.Any(l => l.Contains("a warning with an argument")) && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Contains(sink.Lines, l => l.StartsWith("Warning Akka.", StringComparison.Ordinal) && l.Contains("a warning with an argument"));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task The_serializer_writes_our_contracts_and_refuses_types_it_does_not_list()
    {
        var system = ActorSystem.Create("ser", AkkaConfig.Reference("akka.actor.provider = local"));
        try
        {
            var serializer = Assert.IsType<MessagePackContractSerializer>(system.Serialization.FindSerializerFor(new Ping(7)));
            var back = serializer.FromBinary(serializer.ToBinary(new Ping(7)), serializer.Manifest(new Ping(7)));
            Assert.Equal(new Ping(7), back);
            // Listed contracts whose assembly is not part of this program (the job messages here) are skipped.
            Assert.Equal(new[] { "bench-ping" }, serializer.Contracts.Keys);
            Assert.Throws<SerializationException>(() => serializer.Manifest(new Unlisted(1)));
            Assert.Throws<SerializationException>(() => serializer.FromBinary([0x91, 0x01], "node-register"));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void A_peer_certificate_is_accepted_only_when_it_chains_to_the_cluster_CA()
    {
        using var ca = Authority("cluster");
        using var other = Authority("other");
        using var member = Issue(ca, "member");
        using var intruder = Issue(other, "intruder");
        var validate = ClusterTls.ChainsTo(ca);
        Assert.True(validate(member, null!, "peer", System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors, null!));
        Assert.False(validate(intruder, null!, "peer", System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors, null!));
        Assert.False(validate(null!, null!, "peer", System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable, null!));
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name} CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    private sealed record Unlisted(int Value) : IMessageContract;

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => _lines.ToList();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
        }
    }
}
