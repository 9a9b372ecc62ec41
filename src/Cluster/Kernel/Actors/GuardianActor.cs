namespace ActorTrain.Cluster.Kernel;

/// <summary>The <c>/user</c> and <c>/system</c> guardians: parents of top-level actors; they handle no messages themselves.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;
}
