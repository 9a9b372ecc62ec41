using ActorTrain.Model.Checkpoints;
using Xunit;

namespace ActorTrain.Model.Tests.Checkpoints;

public class AtomicFileTests
{
    [Fact]
    public void Writing_replaces_the_target_and_leaves_no_temp_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("state.json");
        AtomicFile.WriteAllText(path, "old");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_writer_that_fails_midway_leaves_the_previous_content_and_no_temp_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        AtomicFile.WriteAllText(path, "complete old content");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        Assert.Equal("disk full (simulated)", e.Message);
        Assert.Equal("complete old content", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_failed_first_write_creates_no_file_at_all()
    {
        using var dir = new TempDirectory();
        var path = dir.File("x.bin");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException()));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
