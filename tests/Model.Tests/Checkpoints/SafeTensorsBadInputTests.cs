using System.Buffers.Binary;
using System.Text;
using ActorTrain.Model.Checkpoints;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Checkpoints;

public class SafeTensorsBadInputTests
{
    private static byte[] ValidFile()
    {
        var writer = new SafeTensorsWriter().SetMetadata("format", "pt")
            .AddFloat32("a.weight", [3, 4], Enumerable.Range(0, 12).Select(i => (float)i).ToArray())
            .AddInt64("b", [2], new long[] { 1, 2 });
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    private static byte[] FileWithHeader(string json, int dataBytes)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static SafeTensorsFormatException Rejects(byte[] content)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsReader.Open(path).Dispose());
        Assert.Contains(path, e.Message);
        return e;
    }

    [Fact]
    public void Every_truncation_of_a_valid_file_is_rejected_naming_the_file()
    {
        var valid = ValidFile();
        using var dir = new TempDirectory();
        var path = dir.File("cut.safetensors");
        Prop.ForAll(Arb.From(Gen.Choose(0, valid.Length - 1)), cut =>
        {
            File.WriteAllBytes(path, valid[..cut]);
            try
            {
                SafeTensorsReader.Open(path).Dispose();
                return false;
            }
            catch (SafeTensorsFormatException e)
            {
                return e.Message.Contains(path);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Corrupting_any_header_byte_gives_a_format_error_or_a_still_consistent_file_never_another_exception()
    {
        var valid = ValidFile();
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        using var dir = new TempDirectory();
        var path = dir.File("flip.safetensors");
        Prop.ForAll(Arb.From(Gen.Choose(0, 8 + headerLength - 1)), Arb.From(Gen.Choose(1, 255)), (position, xor) =>
        {
            var corrupted = (byte[])valid.Clone();
            corrupted[position] ^= (byte)xor;
            File.WriteAllBytes(path, corrupted);
            try
            {
                using var reader = SafeTensorsReader.Open(path);
                return reader.Tensors.All(t => t.ElementCount * t.DType.ElementSize() == reader.ReadBytes(t.Name).Length);
            }
            catch (SafeTensorsFormatException)
            {
                return true;
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_rejected()
    {
        var bytes = ValidFile();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40);
        Assert.Contains("header length", Rejects(bytes).Message);
    }

    [Fact]
    public void Overlapping_tensors_are_rejected_naming_the_tensor()
    {
        var e = Rejects(FileWithHeader("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12));
        Assert.Equal("b", e.TensorName);
        Assert.Contains("overlap", e.Message);
    }

    [Fact]
    public void A_shape_that_does_not_match_the_byte_length_is_rejected()
    {
        var e = Rejects(FileWithHeader("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8));
        Assert.Contains("tensor 'w'", e.Message);
        Assert.Contains("needs 12 bytes", e.Message);
    }

    [Fact]
    public void Offsets_past_the_end_of_the_data_are_rejected_as_truncation()
        => Assert.Contains("truncated", Rejects(FileWithHeader("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8)).Message);

    [Fact]
    public void Unknown_dtypes_malformed_json_and_trailing_bytes_are_rejected()
    {
        Assert.Contains("unsupported dtype 'Q7'", Rejects(FileWithHeader("""{"w":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}}""", 1)).Message);
        Assert.Contains("not valid UTF-8 JSON", Rejects(FileWithHeader("""{"w":{"dtype":"F32",""", 0)).Message);
        Assert.Contains("cover 4 data bytes", Rejects(FileWithHeader("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 9)).Message);
        Assert.Contains("not a non-negative integer", Rejects(FileWithHeader("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4)).Message);
    }

    [Fact]
    public void A_missing_file_is_reported_by_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SafeTensorsReader.Open("/nonexistent/dir/model.safetensors"));
        Assert.Contains("/nonexistent/dir/model.safetensors", e.Message);
    }
}
