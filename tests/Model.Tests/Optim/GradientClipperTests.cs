using System.Globalization;
using System.Runtime.InteropServices;
using ActorTrain.Model.Optim;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Optim;

public class GradientClipperTests
{
    private static readonly Arbitrary<float[]> Gradients = Arb.From(
        from n in Gen.Choose(0, 300)
        from scale in Gen.Elements(1e-3f, 1f, 50f)
        from values in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(i => i / 1000f * scale), n)
        select values);

    [Fact]
    public void The_returned_norm_is_the_L2_norm_before_clipping()
    {
        Prop.ForAll(Gradients, g =>
        {
            var expected = Math.Sqrt(g.Sum(x => (double)x * x));
            var norm = GradientClipper.ClipGlobalNorm((float[])g.Clone(), 1f);
            return Math.Abs(norm - expected) <= 1e-6 * expected + 1e-12;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void After_clipping_the_norm_is_at_most_max_norm_and_small_gradients_are_untouched()
    {
        Prop.ForAll(Gradients, g =>
        {
            var clipped = (float[])g.Clone();
            var norm = GradientClipper.ClipGlobalNorm(clipped, 1f);
            var after = Math.Sqrt(GradientClipper.SumOfSquares(clipped));
            return norm + 1e-6 > 1 ? after <= 1 + 1e-5 : clipped.SequenceEqual(g);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_non_finite_norm_is_returned_and_the_gradients_are_left_alone()
    {
        var g = new[] { 1f, float.NaN, 3f };
        Assert.True(float.IsNaN(GradientClipper.ClipGlobalNorm(g, 1f)));
        Assert.Equal(1f, g[0]);
        Assert.True(float.IsPositiveInfinity(GradientClipper.ClipGlobalNorm([float.PositiveInfinity], 1f)));
    }

    [TorchFact]
    public void Clipping_matches_torch_clip_grad_norm()
    {
        var r = new Random(9);
        var g = Enumerable.Range(0, 5003).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("g.bin"), MemoryMarshal.AsBytes(g.AsSpan()).ToArray());
        var output = ReferencePython.Run("""
            import sys, numpy as np, torch
            d = sys.argv[1]
            g = np.fromfile(d + "/g.bin", dtype="<f4")
            a = torch.nn.Parameter(torch.zeros(3000)); b = torch.nn.Parameter(torch.zeros(2003))
            a.grad = torch.from_numpy(g[:3000].copy()); b.grad = torch.from_numpy(g[3000:].copy())
            norm = torch.nn.utils.clip_grad_norm_([a, b], max_norm=2.0)
            np.concatenate([a.grad.numpy(), b.grad.numpy()]).astype("<f4").tofile(d + "/out.bin")
            print(repr(float(norm)))
            """, dir.Path);
        var torchNorm = double.Parse(output.Trim(), CultureInfo.InvariantCulture);
        var torchClipped = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(dir.File("out.bin"))).ToArray();
        var norm = GradientClipper.ClipGlobalNorm(g, 2f);
        Assert.True(Math.Abs(norm - torchNorm) <= 1e-6 * torchNorm, $"norm {norm} vs torch {torchNorm}");
        for (var i = 0; i < g.Length; i++)
        {
            Assert.True(Math.Abs(g[i] - torchClipped[i]) <= 1e-6 * Math.Abs(torchClipped[i]) + 1e-12, $"element {i}: {g[i]} vs torch {torchClipped[i]}");
        }
    }
}
