namespace ActorTrain.Cluster.Remoting;

// Wire forms of the DeathWatch system messages; paths are full (with the sender's bound address).

/// <summary><paramref name="Watcher"/> (on the sending node) watches <paramref name="Watchee"/> (on the receiving node).</summary>
internal sealed record RemoteWatch(string Watchee, string Watcher);

/// <summary>Cancels a <see cref="RemoteWatch"/>.</summary>
internal sealed record RemoteUnwatch(string Watchee, string Watcher);

/// <summary><paramref name="Actor"/> (on the sending node) stopped; delivered to <paramref name="Watcher"/> (on the receiving node).</summary>
internal sealed record RemoteDeathWatchNotification(string Actor, string Watcher, bool ExistenceConfirmed, bool AddressTerminated);
