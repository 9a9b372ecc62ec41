using System.Text.Json;
using ActorTrain.Actors.Dashboard;
using ActorTrain.Actors.Job;
using Xunit;

namespace ActorTrain.Actors.Tests.Dashboard;

public sealed class DashboardStateTests
{
    private const string Node0 = "akka.tcp://actortrain@127.0.0.1:2552";
    private const string Node1 = "akka.tcp://actortrain@127.0.0.1:2553";

    private static RendezvousTable Table() => new(
        [new(0, "127.0.0.1", 4000, "m", Node0, 0), new(1, "127.0.0.1", 4001, "m", Node1, 1)],
        [new(0, "127.0.0.1", 5000, "m", Node1, 1)]);

    private static RunEvent Step(long step, double loss, double rate) => new("step", step, 100, loss, rate, null, null, step * 0.1);

    [Fact]
    public void The_document_shows_nodes_with_their_ranks_and_shards_the_step_curves_rank_times_warnings_and_the_checkpoint()
    {
        var state = new DashboardState(Node0);
        state.OnMember(Node0, "up");
        state.OnMember(Node1, "up");
        state.OnTable(Table());
        state.OnEvents(new RunEvents([Step(1, 5.0, 900), Step(2, 4.0, 1000), new("checkpoint", 2, 100, null, null, null, "/runs/x/step-000002", 0.2),
            new("warning", 2, 100, null, null, null, "non-finite gradient", 0.2)]));
        state.OnProgress(new RankProgress(Node1, [new RankProgressEntry(1, 2, 0.25, 0.05, 400)]));
        state.OnReachability(Node1, false);

        using var doc = JsonDocument.Parse(state.ToJson());
        var root = doc.RootElement;
        Assert.Equal("running", root.GetProperty("phase").GetString());
        Assert.Equal(2, root.GetProperty("step").GetInt64());
        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal([Node0, Node1], nodes.Select(n => n.GetProperty("address").GetString()));
        Assert.True(nodes[0].GetProperty("coordinator").GetBoolean());
        Assert.Equal([1], nodes[1].GetProperty("ranks").EnumerateArray().Select(r => r.GetInt32()));
        Assert.Equal([0], nodes[1].GetProperty("shards").EnumerateArray().Select(r => r.GetInt32()));
        Assert.False(nodes[1].GetProperty("reachable").GetBoolean());
        Assert.Equal(2, root.GetProperty("loss").GetArrayLength());
        Assert.Equal(4.0, root.GetProperty("loss")[1][1].GetDouble());
        Assert.Equal(1000, root.GetProperty("throughput")[1][1].GetDouble());
        var ranks = root.GetProperty("ranks").EnumerateArray().ToList();
        Assert.Equal(2, ranks.Count); // rank 0 known from the table, rank 1 reported
        Assert.Equal(0.25, ranks[1].GetProperty("stepSeconds").GetDouble());
        Assert.Equal("/runs/x/step-000002", root.GetProperty("lastCheckpoint").GetProperty("path").GetString());
        var warnings = root.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("text").GetString()).ToList();
        Assert.Contains("step 2: non-finite gradient", warnings);
        Assert.Contains($"node {Node1} is unreachable", warnings);
    }

    [Fact]
    public void A_downed_node_is_a_warning_and_a_node_leaving_at_the_end_is_not()
    {
        var state = new DashboardState(Node0);
        state.OnTable(Table());
        state.OnMember(Node0, "leaving");
        state.OnMember(Node0, "removed");
        state.OnMember(Node1, "down");
        using var doc = JsonDocument.Parse(state.ToJson());
        var warnings = doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("text").GetString()).ToList();
        Assert.Equal([$"node {Node1} was downed"], warnings);
        Assert.Equal("removed", doc.RootElement.GetProperty("nodes")[0].GetProperty("status").GetString());
    }

    [Fact]
    public void A_long_curve_is_thinned_to_at_most_MaxPoints_keeping_its_first_and_last_point_and_a_resumed_run_replaces_the_steps_it_repeats()
    {
        var state = new DashboardState(Node0);
        int steps = DashboardState.MaxPoints * 3;
        for (int s = 1; s <= steps; s++) state.OnEvents(new RunEvents([Step(s, 1.0 / s, s)]));
        using (var doc = JsonDocument.Parse(state.ToJson()))
        {
            var loss = doc.RootElement.GetProperty("loss").EnumerateArray().Select(p => p[0].GetInt64()).ToList();
            Assert.InRange(loss.Count, DashboardState.MaxPoints / 2, DashboardState.MaxPoints);
            Assert.Equal(1, loss[0]);
            Assert.Equal(steps, loss[^1]);
            Assert.Equal(loss.Order(), loss);
        }
        state.OnEvents(new RunEvents([Step(10, 9.0, 1)]));
        using (var doc = JsonDocument.Parse(state.ToJson()))
        {
            var loss = doc.RootElement.GetProperty("loss").EnumerateArray().Select(p => p[0].GetInt64()).ToList();
            Assert.Equal(10, loss[^1]);
        }
    }
}
