using ScottPlot;
using SkiaSharp;
using Xunit;

namespace ActorTrain.Actors.Tests.Reporting;

/// <summary>Decodes a PNG (SkiaSharp's codec) and finds where a series colour was drawn.</summary>
internal sealed class PngPixels
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private PngPixels(SKBitmap bitmap) => Bitmap = bitmap;

    public SKBitmap Bitmap { get; }

    /// <summary>Reads <paramref name="path"/>, asserting the PNG signature and that it decodes.</summary>
    public static PngPixels Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(Signature), $"{path} does not start with the PNG signature");
        var bitmap = SKBitmap.Decode(bytes);
        Assert.True(bitmap is not null, $"{path} does not decode as an image");
        return new PngPixels(bitmap!);
    }

    /// <summary>Pixel positions within a small distance of <paramref name="color"/> (anti-aliased edges excluded).</summary>
    public List<(int X, int Y)> Where(Color color)
    {
        var hits = new List<(int, int)>();
        for (var y = 0; y < Bitmap.Height; y++)
        for (var x = 0; x < Bitmap.Width; x++)
        {
            var p = Bitmap.GetPixel(x, y);
            if (Math.Abs(p.Red - color.R) + Math.Abs(p.Green - color.G) + Math.Abs(p.Blue - color.B) <= 12) hits.Add((x, y));
        }
        return hits;
    }
}
