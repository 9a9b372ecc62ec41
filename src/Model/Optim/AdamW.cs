using System.Numerics;

namespace ActorTrain.Model.Optim;

/// <summary>
/// AdamW over a flat float32 shard, with the arithmetic of torch.optim.AdamW (single-tensor, non-amsgrad,
/// non-maximize) for step t:
/// <code>
/// p ← p · (1 − lr·wd)
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g·g
/// p ← p − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + ε)
/// </code>
/// Scalars are formed in float64 as Python does; element arithmetic is float32 and rounds like libtorch's
/// AVX2 CPU kernels (<c>add_(x, alpha)</c> and <c>addcmul_</c> are fused multiply-adds, <c>addcdiv_</c> is not),
/// so results agree with torch bit for bit in practice.
/// </summary>
public sealed class AdamW : IFlatOptimizer
{
    /// <summary>Name of the first-moment buffer in <see cref="OptimizerState"/>.</summary>
    public const string ExpAvg = "exp_avg";

    /// <summary>Name of the second-moment buffer in <see cref="OptimizerState"/>.</summary>
    public const string ExpAvgSq = "exp_avg_sq";

    private readonly AdamWOptions _options;
    private readonly DecaySegment[] _segments;
    private float[] _expAvg;
    private float[] _expAvgSq;
    private long _step;

    /// <summary>Creates AdamW for the whole buffer of <paramref name="length"/> elements.</summary>
    public AdamW(int length, AdamWOptions? options = null, IReadOnlyList<ParameterGroup>? groups = null)
        : this(0, length, options, groups)
    {
    }

    /// <summary>
    /// Creates AdamW for the shard [shardOffset, shardOffset + shardLength) of the flat buffer.
    /// <paramref name="groups"/> are in full-buffer coordinates; elements outside every group use
    /// <see cref="AdamWOptions.WeightDecay"/>.
    /// </summary>
    public AdamW(int shardOffset, int shardLength, AdamWOptions? options, IReadOnlyList<ParameterGroup>? groups)
    {
        _options = options ?? new AdamWOptions();
        _options.Validate();
        _segments = DecaySegments.Build(shardOffset, shardLength, groups, _options.WeightDecay);
        ShardOffset = shardOffset;
        ShardLength = shardLength;
        _expAvg = new float[shardLength];
        _expAvgSq = new float[shardLength];
    }

    /// <inheritdoc />
    public string Kind => "adamw";

    /// <inheritdoc />
    public int ShardOffset { get; }

    /// <inheritdoc />
    public int ShardLength { get; }

    /// <inheritdoc />
    public long StepCount => _step;

    /// <summary>The hyper-parameters.</summary>
    public AdamWOptions Options => _options;

    /// <inheritdoc />
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate)
    {
        OptimizerChecks.RequireShardSpans(Kind, ShardOffset, ShardLength, parameters.Length, gradients.Length);
        _step++;
        var (beta1, beta2) = (_options.Beta1, _options.Beta2);
        var biasCorrection1 = 1 - Math.Pow(beta1, _step);
        var biasCorrection2 = 1 - Math.Pow(beta2, _step);
        var stepSize = (float)(learningRate / biasCorrection1);
        var biasCorrection2Sqrt = (float)Math.Sqrt(biasCorrection2);
        foreach (var segment in _segments)
        {
            var decay = (float)(1 - learningRate * segment.WeightDecay);
            Update(
                parameters.Slice(segment.Start, segment.Length),
                gradients.Slice(segment.Start, segment.Length),
                _expAvg.AsSpan(segment.Start, segment.Length),
                _expAvgSq.AsSpan(segment.Start, segment.Length),
                decay, stepSize, biasCorrection2Sqrt);
        }
    }

    private void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float decay, float stepSize, float biasCorrection2Sqrt)
    {
        var beta1 = (float)_options.Beta1;
        var beta2 = (float)_options.Beta2;
        var oneMinusBeta1 = (float)(1 - _options.Beta1);
        var oneMinusBeta2 = (float)(1 - _options.Beta2);
        var eps = (float)_options.Epsilon;
        var negStepSize = -stepSize;
        var i = 0;
        if (Vector.IsHardwareAccelerated && p.Length >= Vector<float>.Count)
        {
            var vDecay = new Vector<float>(decay);
            var vBeta1 = new Vector<float>(beta1);
            var vBeta2 = new Vector<float>(beta2);
            var vOneMinusBeta1 = new Vector<float>(oneMinusBeta1);
            var vOneMinusBeta2 = new Vector<float>(oneMinusBeta2);
            var vBc2Sqrt = new Vector<float>(biasCorrection2Sqrt);
            var vEps = new Vector<float>(eps);
            var vNegStep = new Vector<float>(negStepSize);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var pv = new Vector<float>(p[i..]) * vDecay;
                var gv = new Vector<float>(g[i..]);
                var mv = Vector.FusedMultiplyAdd(gv, vOneMinusBeta1, new Vector<float>(m[i..]) * vBeta1);
                var vv = Vector.FusedMultiplyAdd(vOneMinusBeta2 * gv, gv, new Vector<float>(v[i..]) * vBeta2);
                var denom = Vector.SquareRoot(vv) / vBc2Sqrt + vEps;
                pv += vNegStep * mv / denom;
                mv.CopyTo(m[i..]);
                vv.CopyTo(v[i..]);
                pv.CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            var pi = p[i] * decay;
            var gi = g[i];
            var mi = MathF.FusedMultiplyAdd(gi, oneMinusBeta1, m[i] * beta1);
            var vi = MathF.FusedMultiplyAdd(oneMinusBeta2 * gi, gi, v[i] * beta2);
            var denom = MathF.Sqrt(vi) / biasCorrection2Sqrt + eps;
            p[i] = pi + negStepSize * mi / denom;
            m[i] = mi;
            v[i] = vi;
        }
    }

    /// <inheritdoc />
    public OptimizerState ExportState() => new(Kind, _step, ShardOffset, ShardLength, new Dictionary<string, float[]>
    {
        [ExpAvg] = (float[])_expAvg.Clone(),
        [ExpAvgSq] = (float[])_expAvgSq.Clone(),
    });

    /// <inheritdoc />
    public void ImportState(OptimizerState state)
    {
        OptimizerChecks.RequireMatchingState(state, Kind, ShardOffset, ShardLength, ExpAvg, ExpAvgSq);
        _expAvg = (float[])state.Buffers[ExpAvg].Clone();
        _expAvgSq = (float[])state.Buffers[ExpAvgSq].Clone();
        _step = state.Step;
    }
}
