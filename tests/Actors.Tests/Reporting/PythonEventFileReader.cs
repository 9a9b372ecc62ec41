using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace ActorTrain.Actors.Tests.Reporting;

/// <summary>
/// A second independent reader of event files, in another language: Debian's python3-protobuf (Google's protobuf
/// runtime, a setup.sh dependency) parses each record as tensorboard's <c>Event</c> message, described here from
/// tensorboard's event.proto and summary.proto field numbers, after a pure-Python masked CRC-32C check of each record.
/// </summary>
internal static class PythonEventFileReader
{
    private const string Script = """
import struct, sys
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
proto = descriptor_pb2.FileDescriptorProto(name="tb_subset.proto", package="tensorboard", syntax="proto3")
value = proto.message_type.add(name="SummaryValue")
value.field.add(name="tag", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
value.field.add(name="simple_value", number=2, type=F.TYPE_FLOAT, label=F.LABEL_OPTIONAL)
summary = proto.message_type.add(name="Summary")
summary.field.add(name="value", number=1, type=F.TYPE_MESSAGE, type_name=".tensorboard.SummaryValue", label=F.LABEL_REPEATED)
event = proto.message_type.add(name="Event")
event.field.add(name="wall_time", number=1, type=F.TYPE_DOUBLE, label=F.LABEL_OPTIONAL)
event.field.add(name="step", number=2, type=F.TYPE_INT64, label=F.LABEL_OPTIONAL)
event.field.add(name="file_version", number=3, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
event.field.add(name="summary", number=5, type=F.TYPE_MESSAGE, type_name=".tensorboard.Summary", label=F.LABEL_OPTIONAL)
pool = descriptor_pool.DescriptorPool()
pool.Add(proto)
descriptor = pool.FindMessageTypeByName("tensorboard.Event")
# GetMessageClass from protobuf 4.22 on; Debian 12 has 4.21, which has only the factory.
Event = message_factory.GetMessageClass(descriptor) if hasattr(message_factory, "GetMessageClass") else message_factory.MessageFactory(pool).GetPrototype(descriptor)

TABLE = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    TABLE.append(c)

def masked_crc(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    c ^= 0xFFFFFFFF
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF

data = open(sys.argv[1], "rb").read()
at = 0
first = True
while at < len(data):
    header = data[at:at + 8]
    (length,) = struct.unpack("<Q", header)
    (header_crc,) = struct.unpack("<I", data[at + 8:at + 12])
    assert masked_crc(header) == header_crc, f"length checksum mismatch at byte {at}"
    body = data[at + 12:at + 12 + length]
    (body_crc,) = struct.unpack("<I", data[at + 12 + length:at + 16 + length])
    assert len(body) == length and masked_crc(body) == body_crc, f"data checksum mismatch at byte {at}"
    e = Event()
    e.ParseFromString(body)
    if first:
        assert e.file_version == "brain.Event:2", e.file_version
        first = False
    for v in e.summary.value:
        print(v.tag, e.step, repr(v.simple_value))
    at += 16 + length
""";

    /// <summary>(tag, step, value) of every scalar in <paramref name="path"/>, sorted like <see cref="EventFileExpectations"/>.</summary>
    public static List<(string Tag, long Step, float Value)> Read(string path)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", Script, path])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var python = Process.Start(start)!;
        var errors = python.StandardError.ReadToEndAsync();
        var output = python.StandardOutput.ReadToEnd();
        Assert.True(python.WaitForExit(60_000), "python3 did not finish reading the event file within 60 s");
        Assert.True(python.ExitCode == 0, $"python3-protobuf could not read {path} (is python3-protobuf installed? scripts/setup.sh installs it): {errors.Result}");
        var scalars = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var parts = line.Split(' ');
            return (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture), (float)double.Parse(parts[2], CultureInfo.InvariantCulture));
        });
        return [.. scalars.OrderBy(x => x.Item1, StringComparer.Ordinal).ThenBy(x => x.Item2).ThenBy(x => x.Item3)];
    }
}
