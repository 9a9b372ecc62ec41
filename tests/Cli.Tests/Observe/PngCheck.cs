using SkiaSharp;
using Xunit;

namespace ActorTrain.Cli.Tests.Observe;

/// <summary>Asserts a file is a PNG that decodes (SkiaSharp's codec) to a plot-sized image with more than one colour.</summary>
internal static class PngCheck
{
    public static void AssertPlot(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is not a PNG");
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.True(bitmap is { Width: >= 400, Height: >= 300 }, $"{path} does not decode to a plot-sized image");
        var colours = new HashSet<uint>();
        for (var y = 0; y < bitmap.Height; y += 3)
        for (var x = 0; x < bitmap.Width; x += 3)
            colours.Add((uint)bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 20, $"{path} holds only {colours.Count} colours: an empty image, not a plot");
    }
}
