using TorchSharp;
using static TorchSharp.torch;

namespace ActorTrain.Model.Nn;

/// <summary>
/// A frozen weight stored as NF4 (QLoRA's 4-bit NormalFloat): the tensor is cut into blocks of <see cref="BlockSize"/>
/// values, each block scaled by its absolute maximum (one float32 per block) and every value replaced by the nearest of
/// the 16 NF4 levels — quantiles of a standard normal, so Gaussian weights use the levels evenly. Two 4-bit codes share
/// a byte. <see cref="Dequantize"/> rebuilds float32 with tensor ops on the fly (no custom kernel). With double
/// quantisation (QLoRA §3) the block scales are stored too in 8 bits: their mean is subtracted and each group of
/// <see cref="ScaleGroupSize"/> scales is quantised symmetrically to int8 with one float32 second-level scale, which
/// takes the scales from 32 to about 8.1 bits per block (4.5 → 4.127 bits per weight).
/// </summary>
public sealed class Nf4Weight : IDisposable
{
    /// <summary>Values per block (one absmax scale each).</summary>
    public const int BlockSize = 64;

    /// <summary>Block scales per second-level scale under double quantisation (bitsandbytes' 256).</summary>
    public const int ScaleGroupSize = 256;

    /// <summary>The 16 NF4 levels (bitsandbytes / the QLoRA paper), ascending, exactly 0 and ±1 included.</summary>
    public static IReadOnlyList<float> Levels { get; } =
    [
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f, -0.28444138169288635f,
        -0.18477343022823334f, -0.09105003625154495f, 0.0f, 0.07958029955625534f, 0.16093020141124725f,
        0.24611230194568634f, 0.33791524171829224f, 0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    ];

    /// <summary>Half the widest gap between neighbouring levels: no value is further than this × its block's absmax
    /// from its dequantised value (plus, under double quantisation, the scale's own error: at most half an int8 step of
    /// its group, <see cref="MaxScaleError"/>).</summary>
    public static double MaxRelativeError { get; } = Enumerable.Range(1, 15).Max(i => (double)Levels[i] - Levels[i - 1]) / 2;

    private readonly Tensor _codes;   // uint8, two codes per byte (high nibble first)
    private readonly Tensor _absmax;  // float32 per block, or (double quantisation) int8 per block
    private readonly Tensor? _scaleScales;  // double quantisation: float32 per group of ScaleGroupSize blocks
    private readonly float _scaleMean;      // double quantisation: the mean block scale, subtracted before quantising
    private readonly Tensor _levels;  // float32 [16]

    private Nf4Weight(Tensor codes, Tensor absmax, Tensor? scaleScales, float scaleMean, Tensor levels, long[] shape, long count)
    {
        _codes = codes.DetachFromDisposeScope();
        _absmax = absmax.DetachFromDisposeScope();
        _scaleScales = scaleScales?.DetachFromDisposeScope();
        _scaleMean = scaleMean;
        _levels = levels.DetachFromDisposeScope();
        Shape = shape;
        Count = count;
    }

    /// <summary>Whether the block scales are themselves quantised to 8 bits.</summary>
    public bool DoubleQuantized => _scaleScales is not null;

    /// <summary>Under double quantisation the largest error of each block's dequantised scale (half an int8 step of its
    /// group: group absmax / 254), one per block; zeros without it. A new tensor in the caller's dispose scope.</summary>
    public Tensor MaxScaleError() => _scaleScales is null
        ? zeros(_absmax.shape[0], dtype: float32, device: _absmax.device)
        : PerBlock(_scaleScales) / 254f;

    /// <summary>Shape of the original weight.</summary>
    public long[] Shape { get; }

    /// <summary>Number of values.</summary>
    public long Count { get; }

    /// <summary>Bytes held: the packed codes and the block scales (float32 each, or one byte each plus a float32 per
    /// group and the float32 mean under double quantisation).</summary>
    public long StorageBytes => _codes.numel() + (_scaleScales is { } groups
        ? _absmax.numel() + (groups.numel() + 1) * sizeof(float)
        : _absmax.numel() * sizeof(float));

    /// <summary>The block scales as used by <see cref="Dequantize"/> (float32, one per block; dequantised under double
    /// quantisation). A new tensor in the caller's dispose scope.</summary>
    public Tensor BlockScales()
    {
        if (_scaleScales is null) return _absmax.clone();
        return _absmax.to(float32) * PerBlock(_scaleScales) / 127f + _scaleMean;
    }

    // One value per group → the same value for each of the group's blocks.
    private Tensor PerBlock(Tensor perGroup) =>
        perGroup.unsqueeze(1).expand(perGroup.shape[0], ScaleGroupSize).reshape(-1).narrow(0, 0, _absmax.shape[0]);

    /// <summary>Quantises <paramref name="weight"/> (float32, any shape; the last block is zero-padded); with
    /// <paramref name="doubleQuantize"/> the block scales are stored as int8 too (see the class summary).</summary>
    public static Nf4Weight Quantize(Tensor weight, bool doubleQuantize = false)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var count = weight.numel();
        var blocks = (count + BlockSize - 1) / BlockSize;
        var flat = weight.detach().reshape(-1).to(float32);
        var padded = blocks * BlockSize == count ? flat : cat([flat, zeros(blocks * BlockSize - count, dtype: float32, device: weight.device)]);
        var grid = padded.view(blocks, BlockSize);
        var absmax = grid.abs().amax([1]);
        // An all-zero block keeps scale 1 (its codes are all "0.0").
        var scale = where(absmax.gt(0), absmax, ones_like(absmax));
        var normalised = grid / scale.unsqueeze(1);
        var levels = tensor(Levels.ToArray(), device: weight.device);
        var codes = (normalised.reshape(-1).unsqueeze(1) - levels.unsqueeze(0)).abs().argmin(1);
        if (codes.numel() % 2 != 0) codes = cat([codes, zeros(1, dtype: int64, device: weight.device)]);
        var pairs = codes.view(-1, 2);
        var packed = (pairs.select(1, 0) * 16 + pairs.select(1, 1)).to(uint8);
        if (!doubleQuantize) return new Nf4Weight(packed, scale, null, 0, levels, weight.shape, count);
        // Second level: the codes stay those of the exact scales; the scales minus their mean go to int8 per group of 256.
        var mean = scale.mean().item<float>();
        var centred = scale - mean;
        var groups = (blocks + ScaleGroupSize - 1) / ScaleGroupSize;
        var paddedScales = groups * ScaleGroupSize == blocks ? centred : cat([centred, zeros(groups * ScaleGroupSize - blocks, dtype: float32, device: weight.device)]);
        var groupMax = paddedScales.view(groups, ScaleGroupSize).abs().amax([1]);
        var groupScale = where(groupMax.gt(0), groupMax, ones_like(groupMax));
        var scaleCodes = (paddedScales.view(groups, ScaleGroupSize) / groupScale.unsqueeze(1) * 127f).round().clamp(-127, 127)
            .to(int8).reshape(-1).narrow(0, 0, blocks);
        return new Nf4Weight(packed, scaleCodes, groupScale, mean, levels, weight.shape, count);
    }

    /// <summary>The float32 weight rebuilt from codes and scales (a new tensor in the caller's dispose scope).</summary>
    public Tensor Dequantize()
    {
        var wide = _codes.to(int64);
        var codes = stack([wide.div(16, rounding_mode: RoundingMode.floor), wide.remainder(16)], 1).reshape(-1);
        var values = _levels.index_select(0, codes).narrow(0, 0, _absmax.shape[0] * BlockSize).view(-1, BlockSize) * (_scaleScales is null ? _absmax : BlockScales()).unsqueeze(1);
        return values.reshape(-1).narrow(0, 0, Count).view(Shape);
    }

    /// <summary>Frees the codes and scales.</summary>
    public void Dispose()
    {
        _codes.Dispose();
        _absmax.Dispose();
        _scaleScales?.Dispose();
        _levels.Dispose();
    }
}
