using ActorTrain.Cluster.MessagePack;
using Xunit;

namespace ActorTrain.Cluster.Tests.MessagePack;

/// <summary>
/// Our codec against the independent reference implementation (python3-msgpack): our bytes must equal Python's
/// packb for every edge value, and everything Python packs must decode and re-encode to the identical bytes.
/// </summary>
public sealed class PythonCrossCheckTests
{
    [PythonMsgpackFact]
    public void Integers_at_every_width_boundary_encode_exactly_like_python()
    {
        var cases = new List<MpValue>();
        long[] signed =
        [
            0, 1, 126, 127, 128, 254, 255, 256, 32767, 32768, 65534, 65535, 65536, int.MaxValue, 1L + int.MaxValue,
            uint.MaxValue - 1L, uint.MaxValue, 1L + uint.MaxValue, long.MaxValue - 1, long.MaxValue,
            -1, -2, -31, -32, -33, -127, -128, -129, -255, -256, -32767, -32768, -32769, -65535, -65536,
            int.MinValue + 1L, int.MinValue, int.MinValue - 1L, long.MinValue + 1, long.MinValue,
        ];
        cases.AddRange(signed.Select(v => (MpValue)new MpInt(v)));
        cases.Add(new MpUInt(1UL + long.MaxValue));
        cases.Add(new MpUInt(ulong.MaxValue - 1));
        cases.Add(new MpUInt(ulong.MaxValue));
        cases.Add(new MpNil());
        cases.Add(new MpBool(true));
        cases.Add(new MpBool(false));
        AssertSameBytesAsPython(cases);
    }

    [PythonMsgpackFact]
    public void Floats_of_both_widths_encode_exactly_like_python()
    {
        double[] doubles =
        [
            0.0, -0.0, 1.5, -1.5, Math.PI, double.MaxValue, double.MinValue, double.Epsilon, 1e-300,
            double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1.0, 127.0, 4294967296.0,
        ];
        float[] singles =
        [
            0f, -0f, 1.5f, -1.5f, 3.14159f, float.MaxValue, float.MinValue, float.Epsilon,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, 16777217f,
        ];
        var cases = doubles.Select(d => (MpValue)new MpFloat64(d)).Concat(singles.Select(f => new MpFloat32(f))).ToList();
        cases.Add(new MpArr([new MpFloat32(1.25f), new MpFloat32(-2f), new MpInt(3)]));
        cases.Add(new MpArr([new MpFloat64(1.25), new MpFloat64(-2), new MpInt(3)]));
        AssertSameBytesAsPython(cases);
    }

    [PythonMsgpackFact]
    public void Strings_of_every_header_width_encode_exactly_like_python()
    {
        var cases = new List<MpValue>();
        foreach (int length in new[] { 0, 1, 30, 31, 32, 33, 254, 255, 256, 257, 65534, 65535, 65536, 65537, 100_000 })
        {
            cases.Add(new MpStr(new string('x', length)));
        }
        // Multi-byte characters: the header counts UTF-8 bytes, not chars (10 × 3 = 30 bytes is fixstr, 11 × 3 = 33 is str8).
        cases.Add(new MpStr(new string('日', 10)));
        cases.Add(new MpStr(new string('日', 11)));
        cases.Add(new MpStr(string.Concat(Enumerable.Repeat("😀", 8)))); // 32 bytes
        cases.Add(new MpStr(string.Concat(Enumerable.Repeat("é", 128)))); // 256 bytes
        cases.Add(new MpStr("héllo wörld ✓ 😀 \0 \n \"quoted\""));
        AssertSameBytesAsPython(cases);
    }

    [PythonMsgpackFact]
    public void Binaries_of_every_header_width_encode_exactly_like_python()
    {
        var random = new Random(7);
        var cases = new List<MpValue>();
        foreach (int length in new[] { 0, 1, 31, 32, 255, 256, 65535, 65536, 70_000 })
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            cases.Add(new MpBin(data));
        }
        AssertSameBytesAsPython(cases);
    }

    [PythonMsgpackFact]
    public void Arrays_and_maps_of_every_header_width_and_nesting_encode_exactly_like_python()
    {
        var cases = new List<MpValue>();
        foreach (int count in new[] { 0, 1, 15, 16, 17, 65535, 65536 })
        {
            cases.Add(new MpArr(Enumerable.Range(0, count).Select(i => (MpValue)new MpInt(i % 300 - 150)).ToList()));
        }
        foreach (int count in new[] { 0, 1, 15, 16, 17, 65536 })
        {
            cases.Add(new MpMap(Enumerable.Range(0, count).Select(i => ((MpValue)new MpInt(i), (MpValue)new MpNil())).ToList()));
        }
        MpValue nested = new MpInt(1);
        for (int i = 0; i < 60; i++)
        {
            nested = i % 2 == 0 ? new MpArr([nested, new MpStr("d" + i)]) : new MpMap([(new MpInt(i), nested)]);
        }
        cases.Add(nested);
        cases.Add(new MpMap(
        [
            (new MpInt(-5), new MpArr([new MpNil(), new MpBool(true), new MpBin([1, 2, 3])])),
            (new MpStr("map"), new MpMap([(new MpStr("inner"), new MpArr([]))])),
            (new MpBin([0xff]), new MpFloat64(2.5)),
            (new MpArr([new MpInt(1), new MpInt(2)]), new MpStr("tuple key")),
        ]));
        AssertSameBytesAsPython(cases);
    }

    [PythonMsgpackFact]
    public void Extensions_of_every_fixext_and_ext_size_encode_exactly_like_python()
    {
        var cases = new List<MpValue>();
        foreach (int length in new[] { 0, 1, 2, 3, 4, 5, 8, 9, 15, 16, 17, 255, 256, 65535, 65536 })
        {
            foreach (sbyte code in new sbyte[] { 0, 1, 42, 127 })
            {
                cases.Add(new MpExt(code, Enumerable.Range(0, length).Select(i => (byte)(i * 7 + code)).ToArray()));
            }
        }
        AssertSameBytesAsPython(cases);
    }

    [PythonMsgpackFact]
    public void Timestamps_use_the_same_32_64_or_96_bit_form_as_python()
    {
        (long Seconds, uint Nanoseconds)[] stamps =
        [
            (0, 0), (1, 0), (1_700_000_000, 0), (uint.MaxValue, 0), // 32-bit
            (1L + uint.MaxValue, 0), (0, 1), (1, 999_999_999), ((1L << 34) - 1, 999_999_999), (1_700_000_000, 123_456_789), // 64-bit
            (1L << 34, 0), (-1, 0), (-1, 999_999_999), (-62_135_596_800, 0), (long.MinValue, 0), (long.MaxValue, 999_999_999), // 96-bit
        ];
        var cases = stamps.Select(s => (MpValue)new MpTimestamp(new MessagePackTimestamp(s.Seconds, s.Nanoseconds))).ToList();
        cases.Add(new MpTimestamp(MessagePackTimestamp.FromDateTime(new DateTime(2024, 2, 29, 12, 34, 56, DateTimeKind.Utc).AddTicks(1234567))));
        cases.Add(new MpTimestamp(MessagePackTimestamp.FromDateTime(new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(1))));
        AssertSameBytesAsPython(cases);
    }

    [PythonMsgpackFact]
    public void Random_structures_packed_by_python_decode_and_reencode_to_identical_bytes()
    {
        IReadOnlyList<byte[]> packed = PythonMsgpack.Generate(seed: 20240601, count: 300);
        var failures = new List<string>();
        for (int i = 0; i < packed.Count; i++)
        {
            byte[] bytes = packed[i];
            MpValue value = MpValue.Decode(bytes);
            byte[] again = value.Encode();
            if (!again.AsSpan().SequenceEqual(bytes))
            {
                failures.Add($"#{i} {value}: python {Convert.ToHexString(bytes)[..Math.Min(80, bytes.Length * 2)]}… ours {Convert.ToHexString(again)[..Math.Min(80, again.Length * 2)]}…");
            }
            var skipper = new MessagePackReader(bytes);
            skipper.Skip();
            Assert.True(skipper.End, $"Skip of python structure #{i} stopped at {skipper.Position} of {bytes.Length}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static void AssertSameBytesAsPython(IReadOnlyList<MpValue> cases)
    {
        IReadOnlyList<byte[]> expected = PythonMsgpack.Pack(cases);
        Assert.Equal(cases.Count, expected.Count);
        var failures = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            byte[] ours = cases[i].Encode();
            if (!ours.AsSpan().SequenceEqual(expected[i]))
            {
                failures.Add($"{cases[i]}: python {Prefix(expected[i])} ours {Prefix(ours)}");
            }
            else
            {
                // And our reader takes Python's bytes back to the same value.
                byte[] reencoded = MpValue.Decode(expected[i]).Encode();
                if (!reencoded.AsSpan().SequenceEqual(expected[i]))
                {
                    failures.Add($"{cases[i]}: decoding python's bytes and re-encoding gave {Prefix(reencoded)}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases differ from python msgpack:\n" + string.Join("\n", failures));
    }

    private static string Prefix(byte[] bytes) => bytes.Length <= 24 ? Convert.ToHexString(bytes) : Convert.ToHexString(bytes.AsSpan(0, 24)) + $"…({bytes.Length} bytes)";
}
