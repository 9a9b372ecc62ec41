using System.Buffers;
using ActorTrain.Cluster.MessagePack;
using Xunit;

namespace ActorTrain.Cluster.Tests.MessagePack;

public sealed class MessageTypeRegistryTests
{
    [Fact]
    public void Duplicate_ids_and_duplicate_types_are_rejected_naming_both_types()
    {
        var registry = new MessageTypeRegistry();
        registry.Register(1, new PingSerializer());
        var sameId = Assert.Throws<ArgumentException>(() => registry.Register(1, new TickSerializer()));
        Assert.Contains("id 1 is already registered to " + typeof(Ping).FullName, sameId.Message);
        Assert.Contains(typeof(Tick).FullName!, sameId.Message);
        var sameType = Assert.Throws<ArgumentException>(() => registry.Register(2, new PingSerializer()));
        Assert.Contains("already registered with id 1", sameType.Message);
        Assert.False(registry.IsRegistered(2));
    }

    [Fact]
    public void Writing_an_unregistered_type_fails_before_writing_anything()
    {
        var registry = new MessageTypeRegistry();
        var buffer = new ArrayBufferWriter<byte>();
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new MessagePackWriter(buffer);
            EnvelopeSerializer.Write(ref writer, registry, null, "/user/x", new Ping(1, "x"));
        });
        Assert.Contains("Ping is not registered", e.Message);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Registrations_list_ids_in_order_and_lookups_agree()
    {
        MessageTypeRegistry registry = TestMessages.CreateRegistry();
        Assert.Equal([TestMessages.PingId, TestMessages.TickId, TestMessages.BucketId], registry.Registrations.Select(r => r.TypeId));
        Assert.Equal(typeof(Tick), registry.GetType(TestMessages.TickId));
        Assert.True(registry.TryGetTypeId(typeof(Bucket), out int id));
        Assert.Equal(TestMessages.BucketId, id);
        Assert.False(registry.TryGetTypeId(typeof(string), out _));
    }
}
