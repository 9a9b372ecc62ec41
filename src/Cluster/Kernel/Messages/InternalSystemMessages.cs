namespace ActorTrain.Cluster.Kernel;

// The kernel's own lifecycle messages; kept together because none of them is meaningful outside ActorCell.

/// <summary>Creates the actor instance (first message of every cell).</summary>
internal sealed record Create : SystemMessage
{
    public static readonly Create Instance = new();
}

/// <summary>Stops the actor: children first, then PostStop, then watchers and parent are notified.</summary>
internal sealed record Terminate : SystemMessage
{
    public static readonly Terminate Instance = new();
}

/// <summary>Supervisor's Resume directive: continue with the next message, state kept.</summary>
internal sealed record Resume : SystemMessage
{
    public static readonly Resume Instance = new();
}

/// <summary>Supervisor's Restart directive: replace the instance, keep the mailbox.</summary>
internal sealed record Recreate(Exception Cause) : SystemMessage;

/// <summary>A child reports that it failed and waits for a directive.</summary>
internal sealed record Failed(IActorRef Child, Exception Cause) : SystemMessage;

/// <summary>A child tells its parent that it has finished stopping.</summary>
internal sealed record ChildTerminated(IActorRef Child) : SystemMessage;

/// <summary>The async handler the actor was suspended on has finished.</summary>
internal sealed record AsyncHandlerCompleted(Task Task) : SystemMessage;

/// <summary>A node was declared gone: every watch of an actor at that address fires.</summary>
internal sealed record AddressTerminated(Address Address) : SystemMessage;

/// <summary>
/// The kernel's own delivery of <see cref="Terminated"/> through the user mailbox. Wrapped so it is dropped after
/// an Unwatch, while a Terminated that an actor merely forwards arrives as an ordinary message.
/// </summary>
internal sealed record TerminatedDelivery(Terminated Terminated);
