using System.Text.Json;
using ActorTrain.Model.Checkpoints;
using Xunit;

namespace ActorTrain.Model.Tests.Checkpoints;

/// <summary>
/// Checks the format against an independent implementation: a few lines of Python that read and write
/// safetensors with json and numpy.frombuffer only (not our code, not the safetensors package).
/// </summary>
public class SafeTensorsPythonInteropTests
{
    private const string ParseScript = """
        import json, struct, sys
        import numpy as np
        path = sys.argv[1]
        raw = open(path, "rb").read()
        (n,) = struct.unpack("<Q", raw[:8])
        assert (8 + n) % 8 == 0, "data section not 8-byte aligned"
        header = json.loads(raw[8:8 + n].decode("utf-8"))
        data = raw[8 + n:]
        types = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "BF16": "<u2"}
        out = {"__metadata__": header.pop("__metadata__", {})}
        end = 0
        for name, info in header.items():
            b, e = info["data_offsets"]
            arr = np.frombuffer(data[b:e], dtype=types[info["dtype"]])
            if info["dtype"] == "BF16":
                arr = (arr.astype(np.uint32) << 16).view(np.float32)
            arr = arr.reshape(info["shape"])
            out[name] = {"dtype": info["dtype"], "shape": list(arr.shape), "values": arr.ravel().tolist()}
            end = max(end, e)
        assert end == len(data), "data section has trailing bytes"
        print(json.dumps(out))
        """;

    private const string WriteScript = """
        import json, struct, sys
        import numpy as np
        path = sys.argv[1]
        tensors = {
            "embed.weight": np.linspace(-1.5, 2.5, 24, dtype=np.float32).reshape(4, 6),
            "head.bias": np.array([1e-30, -0.0, 3.25, 65504.0], dtype=np.float32),
            "counts": np.arange(-3, 3, dtype=np.int64).reshape(2, 3),
            "scale": np.array(0.1, dtype=np.float64),
        }
        codes = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64", np.dtype(np.float64): "F64"}
        header, blobs, offset = {"__metadata__": {"format": "np"}}, [], 0
        for name, arr in tensors.items():
            blob = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
            header[name] = {"dtype": codes[arr.dtype], "shape": list(arr.shape), "data_offsets": [offset, offset + len(blob)]}
            blobs.append(blob); offset += len(blob)
        h = json.dumps(header).encode("utf-8")
        h += b" " * ((8 - len(h) % 8) % 8)
        open(path, "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
        print(json.dumps({k: v.ravel().tolist() for k, v in tensors.items()}))
        """;

    [NumpyFact]
    public void A_file_we_write_is_parsed_by_an_independent_json_and_numpy_reader()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        var weights = Enumerable.Range(0, 6).Select(i => MathF.PI * (i - 2.5f)).ToArray();
        var doubles = new[] { 1e-300, -2.5, double.Epsilon };
        var longs = new[] { long.MinValue, 0L, long.MaxValue, 7L };
        ushort[] bf16 = [0x3F80, 0xC000, 0x0000]; // 1.0, -2.0, 0.0
        new SafeTensorsWriter()
            .SetMetadata("format", "pt")
            .AddFloat32("blocks.0.attn.qkv.weight", [2, 3], weights)
            .AddFloat64("d", [3], doubles)
            .AddInt64("ids", [2, 2], longs)
            .AddBFloat16("half", [3], bf16)
            .AddFloat32("empty", [0, 4], Array.Empty<float>())
            .WriteFile(path);

        using var parsed = JsonDocument.Parse(ReferencePython.Run(ParseScript, path));
        var root = parsed.RootElement;
        Assert.Equal("pt", root.GetProperty("__metadata__").GetProperty("format").GetString());
        var qkv = root.GetProperty("blocks.0.attn.qkv.weight");
        Assert.Equal("F32", qkv.GetProperty("dtype").GetString());
        Assert.Equal([2, 3], qkv.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(weights, qkv.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()));
        Assert.Equal(doubles, root.GetProperty("d").GetProperty("values").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(longs, root.GetProperty("ids").GetProperty("values").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([1f, -2f, 0f], root.GetProperty("half").GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()));
        Assert.Equal([0, 4], root.GetProperty("empty").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
    }

    [NumpyFact]
    public void A_file_written_by_independent_python_code_is_read_correctly()
    {
        using var dir = new TempDirectory();
        var path = dir.File("python.safetensors");
        using var expected = JsonDocument.Parse(ReferencePython.Run(WriteScript, path));
        using var reader = SafeTensorsReader.Open(path);
        Assert.Equal("np", reader.Metadata["format"]);
        Assert.Equal([4L, 6L], reader.Get("embed.weight").Shape);
        float[] Floats(string name) => expected.RootElement.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        Assert.Equal(Floats("embed.weight"), reader.ReadFloat32("embed.weight"));
        Assert.Equal(Floats("head.bias"), reader.ReadFloat32("head.bias"));
        Assert.Equal(expected.RootElement.GetProperty("counts").EnumerateArray().Select(e => e.GetInt64()), reader.ReadInt64("counts"));
        Assert.Equal([0.1], reader.ReadFloat64("scale"));
        Assert.Empty(reader.Get("scale").Shape);
    }
}
