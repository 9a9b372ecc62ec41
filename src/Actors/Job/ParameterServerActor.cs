using System.Net;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Transport;
using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Actors.Job;

/// <summary>
/// <c>/user/ps-&lt;k&gt;</c>: hosts parameter-server shard k of the job. On start it binds the shard's data-plane
/// listener (port 0 on the node's host), starts the <see cref="ParameterServerShard"/> and reports its endpoint to the
/// coordinator with <see cref="ShardReady"/>. Stopping the actor stops the shard. The completion source given to it
/// mirrors the shard's end: completed when every rank left in order, faulted when the group failed or the shard could
/// not start.
/// </summary>
public sealed class ParameterServerActor : ReceiveActor
{
    private readonly JobEndpoint _self;
    private readonly int _shardCount;
    private readonly int _worldSize;
    private readonly GradientSyncOptions _options;
    private readonly byte[] _dataLinkToken;
    private readonly IActorRef _coordinator;
    private readonly TaskCompletionSource _completion;
    private readonly Func<int, int, IShardOptimizer>? _optimizer;
    private ParameterServerShard? _shard;

    /// <summary>
    /// Creates the actor for shard <paramref name="self"/>.Index (port of <paramref name="self"/> is ignored: bound at
    /// start); <paramref name="optimizer"/> builds the shard's optimizer when the shards apply it (ps.apply-optimizer).
    /// <paramref name="dataLinkToken"/> is the job's token that every rank's connection must present.
    /// </summary>
    public ParameterServerActor(JobEndpoint self, int shardCount, int worldSize, GradientSyncOptions options, byte[] dataLinkToken, IActorRef coordinator,
        TaskCompletionSource completion, Func<int, int, IShardOptimizer>? optimizer = null)
    {
        _dataLinkToken = dataLinkToken;
        _optimizer = optimizer;
        _self = self;
        _shardCount = shardCount;
        _worldSize = worldSize;
        _options = options;
        _coordinator = coordinator;
        _completion = completion;
        ReceiveAny(_ => { });
    }

    /// <summary>The actor's name for shard <paramref name="shard"/>.</summary>
    public static string NameOf(int shard) => $"ps-{shard}";

    /// <summary>Props for <see cref="ParameterServerActor"/>.</summary>
    public static Props Props(JobEndpoint self, int shardCount, int worldSize, GradientSyncOptions options, byte[] dataLinkToken, IActorRef coordinator,
        TaskCompletionSource completion, Func<int, int, IShardOptimizer>? optimizer = null) =>
        Akka.Actor.Props.Create(() => new ParameterServerActor(self, shardCount, worldSize, options, dataLinkToken, coordinator, completion, optimizer));

    /// <inheritdoc />
    protected override void PreStart()
    {
        try
        {
            var ip = IPAddress.TryParse(_self.Host, out var parsed) ? parsed : IPAddress.Any;
            var listener = SyncListener.Bind(new IPEndPoint(ip, 0), _options, _dataLinkToken);
            _shard = ParameterServerShard.Start(listener, _self.Index, _shardCount, _worldSize, _options, _optimizer);
            var completion = _completion;
            _shard.Completion.ContinueWith(t =>
            {
                if (t.IsFaulted) completion.TrySetException(t.Exception!.InnerExceptions);
                else completion.TrySetResult();
            }, TaskScheduler.Default);
            var endpoint = _self with { Port = _shard.LocalEndpoint.Port };
            Context.GetLogger().Info("Parameter-server shard {0} of {1} listening on {2}:{3}", _self.Index, _shardCount, endpoint.Host, endpoint.Port);
            _coordinator.Tell(new ShardReady(endpoint), Self);
        }
        catch (Exception ex)
        {
            _completion.TrySetException(new InvalidOperationException($"parameter-server shard {_self.Index} could not start on {_self.Host}: {ex.Message}", ex));
            Context.Stop(Self);
        }
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _shard?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        _completion.TrySetResult();
    }
}
