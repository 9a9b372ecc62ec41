namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// The root (<c>/</c>): parent of the guardians. Shutdown order as in Akka: once <c>/user</c> has stopped (its whole
/// tree, children first), <c>/system</c> is stopped, then the root itself; its termination completes
/// <see cref="ActorSystem.WhenTerminated"/>. If <c>/user</c> stops for any reason the system terminates.
/// </summary>
internal sealed class RootGuardianActor : ActorBase
{
    private IActorRef? _userGuardian;
    private IActorRef? _systemGuardian;

    /// <summary>Sent by the system right after it created the guardians, so the root watches them on its own turn.</summary>
    internal sealed record GuardiansCreated(IActorRef UserGuardian, IActorRef SystemGuardian);

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case GuardiansCreated created:
                _userGuardian = Context.Watch(created.UserGuardian);
                _systemGuardian = Context.Watch(created.SystemGuardian);
                return true;
            case Terminated terminated when terminated.ActorRef.Equals(_userGuardian):
                Context.Stop(_systemGuardian!);
                return true;
            case Terminated terminated when terminated.ActorRef.Equals(_systemGuardian):
                Context.Stop(Self);
                return true;
            default:
                return false;
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.StoppingStrategy;
}
