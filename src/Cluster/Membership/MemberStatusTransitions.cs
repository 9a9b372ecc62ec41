namespace ActorTrain.Cluster.Membership;

/// <summary>Akka.Cluster's legal member status transitions.</summary>
public static class MemberStatusTransitions
{
    /// <summary>True when a member may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(MemberStatus from, MemberStatus to) => from switch
    {
        MemberStatus.Joining => to is MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Down or MemberStatus.Removed,
        MemberStatus.Up => to is MemberStatus.Leaving or MemberStatus.Down or MemberStatus.Removed,
        MemberStatus.Leaving => to is MemberStatus.Exiting or MemberStatus.Down or MemberStatus.Removed,
        MemberStatus.Exiting => to is MemberStatus.Removed or MemberStatus.Down,
        MemberStatus.Down => to is MemberStatus.Removed,
        _ => false,
    };

    /// <summary>
    /// Precedence used when two gossips disagree about a member: the status further along its life wins
    /// (Removed &gt; Down &gt; Exiting &gt; Leaving &gt; Up &gt; Joining).
    /// </summary>
    public static int Precedence(MemberStatus status) => status switch
    {
        MemberStatus.Removed => 5,
        MemberStatus.Down => 4,
        MemberStatus.Exiting => 3,
        MemberStatus.Leaving => 2,
        MemberStatus.Up => 1,
        _ => 0,
    };
}
