using Xunit;
using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Tests.Kernel;

public sealed class AddressAndPathTests
{
    [Fact]
    public void Network_address_round_trips_through_its_text_form()
    {
        var address = Address.Network("train", "10.0.0.7", 2552);
        Assert.Equal("actortrain://train@10.0.0.7:2552", address.ToString());
        Assert.Equal(address, Address.Parse(address.ToString()));
        Assert.True(address.HasGlobalScope);
    }

    [Fact]
    public void Local_address_has_no_host_and_round_trips()
    {
        var address = Address.Local("train");
        Assert.Equal("actortrain://train", address.ToString());
        Assert.Equal(address, Address.Parse("actortrain://train"));
        Assert.False(address.HasGlobalScope);
    }

    [Theory]
    [InlineData("train@host:1")]
    [InlineData("actortrain://train@host")]
    [InlineData("actortrain://train@host:99999")]
    [InlineData("actortrain://")]
    public void Malformed_address_is_rejected_with_the_expected_shape(string text)
    {
        var error = Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.Contains("actortrain://<system>", error.Message);
    }

    [Fact]
    public void Path_parses_address_and_elements_and_compares_by_value()
    {
        var path = ActorPath.Parse("actortrain://train@127.0.0.1:4000/user/rank-3");
        Assert.Equal(Address.Network("train", "127.0.0.1", 4000), path.Address);
        Assert.Equal(["user", "rank-3"], path.Elements);
        Assert.Equal("rank-3", path.Name);
        Assert.Equal("/user/rank-3", path.ToStringWithoutAddress());
        Assert.Equal(path, ActorPath.Root(path.Address).Child("user").Child("rank-3"));
        Assert.Equal(path.GetHashCode(), ActorPath.Parse(path.ToString()).GetHashCode());
        Assert.NotEqual(path, ActorPath.Parse("actortrain://train@127.0.0.1:4001/user/rank-3"));
    }

    [Fact]
    public void Local_path_is_written_with_the_bound_address_for_the_wire()
    {
        var local = ActorPath.Root(Address.Local("train")).Child("user").Child("job");
        var bound = Address.Network("train", "10.1.1.1", 2552);
        Assert.Equal("actortrain://train@10.1.1.1:2552/user/job", local.ToStringWithAddress(bound));
        var remote = ActorPath.Parse("actortrain://train@10.9.9.9:1/user/job");
        Assert.Equal(remote.ToString(), remote.ToStringWithAddress(bound));
    }
}
