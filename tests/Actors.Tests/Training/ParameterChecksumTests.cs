using ActorTrain.Actors.Training;
using Xunit;

namespace ActorTrain.Actors.Tests.Training;

public sealed class ParameterChecksumTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    [InlineData(0x0123456789abcdefUL)]
    [InlineData(0x8000_0000_0000_0001UL)]
    public void A_checksum_survives_a_trip_through_floats_exactly(ulong checksum) =>
        Assert.Equal(checksum, ParameterChecksum.FromExactFloats(ParameterChecksum.ToExactFloats(checksum)));

    [Fact]
    public void One_flipped_bit_changes_the_checksum()
    {
        var values = Enumerable.Range(0, 101).Select(i => i * 0.37f).ToArray();
        var before = ParameterChecksum.Of(values);
        values[57] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(values[57]) ^ 1);
        Assert.NotEqual(before, ParameterChecksum.Of(values));
    }
}
