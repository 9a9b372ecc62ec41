using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace ActorTrain.Cluster.Tests.MessagePack;

/// <summary>
/// Runs the independent reference implementation (Debian's python3-msgpack under /usr/bin/python3) in batches:
/// one process per call, cases and results exchanged through temp files.
/// </summary>
internal static class PythonMsgpack
{
    private const string PythonPath = "/usr/bin/python3";

    private const string PeerScript = """
import sys, json, random, struct, msgpack

def build(d):
    t = d["t"]
    if t == "nil": return None
    if t == "bool": return d["v"]
    if t == "int": return int(d["v"])
    if t == "f32": return struct.unpack(">f", bytes.fromhex(d["v"]))[0]
    if t == "f64": return struct.unpack(">d", bytes.fromhex(d["v"]))[0]
    if t == "str": return bytes.fromhex(d["v"]).decode("utf-8")
    if t == "bin": return bytes.fromhex(d["v"])
    if t == "arr": return [build(x) for x in d["v"]]
    if t == "map":
        m = {}
        for k, v in d["v"]:
            key = build(k)
            if isinstance(key, list): key = tuple(key)
            if key in m: raise ValueError("duplicate map key in test case: %r" % (key,))
            m[key] = build(v)
        return m
    if t == "ext": return msgpack.ExtType(d["c"], bytes.fromhex(d["v"]))
    if t == "ts": return msgpack.Timestamp(int(d["s"]), d["n"])
    raise ValueError("unknown case type " + t)

def kinds(d, acc):
    acc.add(d["t"])
    if d["t"] == "arr":
        for x in d["v"]: kinds(x, acc)
    if d["t"] == "map":
        for k, v in d["v"]: kinds(k, acc); kinds(v, acc)
    return acc

def pack(cases):
    out = []
    for d in cases:
        k = kinds(d, set())
        if "f32" in k and "f64" in k: raise ValueError("a case cannot mix float32 and float64 for python")
        out.append(msgpack.packb(build(d), use_bin_type=True, use_single_float="f32" in k).hex())
    return out

LENGTHS = [0, 1, 2, 15, 16, 31, 32, 33, 255, 256, 65535, 65536]

def rand_len(r):
    return r.choice(LENGTHS) if r.random() < 0.15 else r.randrange(0, 40)

def rand_int(r):
    if r.random() < 0.5:
        b = r.choice([0, 5, 7, 8, 15, 16, 31, 32, 63, 64])
        v = r.choice([2**b - 1, 2**b, 2**b + 1]) if b else 0
    else:
        v = r.getrandbits(r.randrange(0, 65))
    if r.random() < 0.5: v = -v
    return max(min(v, 2**64 - 1), -2**63)

def rand_str(r):
    n = rand_len(r)
    if r.random() < 0.5: return bytes(32 + b % 95 for b in r.randbytes(n)).decode("ascii")
    def ch():
        c = r.choice([(0x20, 0x7f), (0x80, 0x800), (0x800, 0xd800), (0xe000, 0x10000), (0x10000, 0x110000)])
        return chr(r.randrange(*c))
    return "".join(ch() for _ in range(min(n, 3000)))

def gen(r, depth):
    c = r.randrange(11 if depth < 4 else 8)
    if c == 0: return None
    if c == 1: return r.random() < 0.5
    if c == 2: return rand_int(r)
    if c == 3: return r.choice([0.0, -0.0, float("inf"), float("-inf"), float("nan"), r.uniform(-1e300, 1e300), r.random(), 5e-324])
    if c == 4: return rand_str(r)
    if c == 5: return r.randbytes(rand_len(r))
    if c == 6: return msgpack.ExtType(r.randrange(128), r.randbytes(r.choice([1, 2, 4, 8, 16, 0, 3, 17, rand_len(r)])))
    if c == 7:
        s = r.choice([r.randrange(0, 2**32), r.randrange(2**32, 2**34), r.randrange(-2**63, 2**63), 0, 2**34, -1])
        return msgpack.Timestamp(s, r.choice([0, r.randrange(10**9), 10**9 - 1]))
    n = r.choice([0, 1, 2, 3, 15, 16, r.randrange(6)])
    if c == 8 or c == 9: return [gen(r, depth + 1) for _ in range(n)]
    d = {}
    for _ in range(n):
        d[r.choice([rand_str(r), rand_int(r)])] = gen(r, depth + 1)
    return d

def generate(seed, count):
    r = random.Random(seed)
    return [msgpack.packb(gen(r, 0), use_bin_type=True).hex() for _ in range(count)]

mode, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "pack":
    with open(src) as f: result = pack(json.load(f))
else:
    seed, count = (int(x) for x in src.split(":"))
    result = generate(seed, count)
with open(dst, "w") as f: json.dump(result, f)
""";

    private static readonly Lazy<string?> UnavailableReasonLazy = new(ProbeAvailability);
    private static readonly Lazy<string> ScriptPath = new(() =>
    {
        string path = Path.Combine(Path.GetTempPath(), $"actortrain-msgpack-peer-{Environment.ProcessId}.py");
        File.WriteAllText(path, PeerScript);
        return path;
    });

    /// <summary>Why the Python peer cannot run, or null when it can.</summary>
    public static string? UnavailableReason => UnavailableReasonLazy.Value;

    /// <summary>Python's packb (use_bin_type=True) of each case.</summary>
    public static IReadOnlyList<byte[]> Pack(IReadOnlyList<MpValue> cases)
    {
        string input = Path.GetTempFileName();
        try
        {
            using (var stream = File.Create(input))
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartArray();
                foreach (MpValue value in cases)
                {
                    value.WriteJson(json);
                }
                json.WriteEndArray();
            }
            return Run("pack", input);
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary><paramref name="count"/> random structures packed by Python from a seeded generator.</summary>
    public static IReadOnlyList<byte[]> Generate(int seed, int count) => Run("gen", $"{seed}:{count}");

    private static IReadOnlyList<byte[]> Run(string mode, string source)
    {
        string output = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(PythonPath) { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(ScriptPath.Value);
            start.ArgumentList.Add(mode);
            start.ArgumentList.Add(source);
            start.ArgumentList.Add(output);
            using Process process = Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"python msgpack peer ({mode}) failed with exit code {process.ExitCode}: {stderr.Result}");
            }
            string[] hex = JsonSerializer.Deserialize<string[]>(File.ReadAllText(output))!;
            return hex.Select(Convert.FromHexString).ToArray();
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string? ProbeAvailability()
    {
        if (!File.Exists(PythonPath))
        {
            return $"{PythonPath} not found: install python3 and python3-msgpack to run the cross-check against the reference implementation";
        }
        try
        {
            var start = new ProcessStartInfo(PythonPath, ["-c", "import msgpack"]) { RedirectStandardError = true };
            using Process process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0
                ? null
                : $"python3 cannot import msgpack ({error.Trim()}): `apt-get install python3-msgpack` to run the cross-check against the reference implementation";
        }
        catch (Exception e)
        {
            return $"cannot start {PythonPath}: {e.Message}";
        }
    }
}

/// <summary>A fact that is skipped, with the reason, when the Python reference implementation is not installed.</summary>
public sealed class PythonMsgpackFactAttribute : FactAttribute
{
    public PythonMsgpackFactAttribute()
    {
        if (PythonMsgpack.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
