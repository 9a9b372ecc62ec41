using ActorTrain.Model.Checkpoints;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Checkpoints;

public class SafeTensorsRoundTripTests
{
    internal sealed record TensorSpec(string Name, SafeTensorsDType DType, long[] Shape, byte[] Data);

    internal static readonly Gen<TensorSpec[]> TensorSets =
        from count in Gen.Choose(0, 6)
        from specs in Gen.ArrayOf(
            from dtype in Gen.Elements(SafeTensorsDType.F32, SafeTensorsDType.BF16, SafeTensorsDType.I64, SafeTensorsDType.F64, SafeTensorsDType.U8)
            from rank in Gen.Choose(0, 3)
            from shape in Gen.ArrayOf(Gen.Choose(0, 5).Select(d => (long)d), rank)
            from seed in Gen.Choose(0, 1000)
            select (dtype, shape, seed), count)
        select specs.Select((s, i) =>
        {
            var bytes = new byte[s.shape.Aggregate(1L, (a, d) => a * d) * s.dtype.ElementSize()];
            new Random(s.seed).NextBytes(bytes);
            return new TensorSpec($"layer.{i}.weight", s.dtype, s.shape, bytes);
        }).ToArray();

    internal static void WriteAll(SafeTensorsWriter writer, IEnumerable<TensorSpec> specs)
    {
        foreach (var s in specs)
        {
            writer.AddBytes(s.Name, s.DType, s.Shape, s.Data);
        }
    }

    [Fact]
    public void Any_set_of_tensors_reads_back_with_the_same_names_dtypes_shapes_bytes_and_metadata()
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.safetensors");
        Prop.ForAll(Arb.From(TensorSets), specs =>
        {
            var writer = new SafeTensorsWriter().SetMetadata("format", "pt").SetMetadata("note", "ünïcode \"quoted\"");
            WriteAll(writer, specs);
            writer.WriteFile(path);
            using var reader = SafeTensorsReader.Open(path);
            return reader.Tensors.Select(t => t.Name).SequenceEqual(specs.Select(s => s.Name))
                && specs.All(s => reader.Get(s.Name).DType == s.DType
                    && reader.Get(s.Name).Shape.SequenceEqual(s.Shape)
                    && reader.ReadBytes(s.Name).SequenceEqual(s.Data))
                && reader.Metadata["note"] == "ünïcode \"quoted\"";
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_header_is_space_padded_so_data_starts_8_byte_aligned()
    {
        Prop.ForAll(Arb.From(TensorSets), specs =>
        {
            var writer = new SafeTensorsWriter();
            WriteAll(writer, specs);
            using var stream = new MemoryStream();
            writer.WriteTo(stream);
            var bytes = stream.ToArray();
            var headerLength = (long)BitConverter.ToUInt64(bytes, 0);
            var header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
            return headerLength % 8 == 0 && header.StartsWith('{') && header.TrimEnd(' ').EndsWith('}')
                && bytes.Length == 8 + headerLength + specs.Sum(s => s.Data.Length);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Float32_tensors_are_read_straight_into_a_span()
    {
        using var dir = new TempDirectory();
        var values = Enumerable.Range(0, 12).Select(i => i * 0.5f - 3f).ToArray();
        new SafeTensorsWriter().AddFloat32("w", [3, 4], values).AddInt64("steps", [], new long[] { 42 }).WriteFile(dir.File("f.safetensors"));
        using var reader = SafeTensorsReader.Open(dir.File("f.safetensors"));
        var destination = new float[12];
        reader.ReadFloat32("w", destination);
        Assert.Equal(values, destination);
        Assert.Equal([42L], reader.ReadInt64("steps"));
        Assert.Contains("is I64, not F32", Assert.Throws<SafeTensorsFormatException>(() => reader.ReadFloat32("steps")).Message);
    }

    [Fact]
    public void Adding_a_tensor_whose_bytes_do_not_match_its_shape_is_rejected()
    {
        var writer = new SafeTensorsWriter();
        var e = Assert.Throws<ArgumentException>(() => writer.AddFloat32("w", [2, 3], new float[5]));
        Assert.Contains("'w'", e.Message);
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("__metadata__", [1], new float[1]));
        writer.AddFloat32("x", [1], new float[1]);
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("x", [1], new float[1]));
    }
}
