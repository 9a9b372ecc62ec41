using System.Numerics;

namespace ActorTrain.Model.Optim;

/// <summary>
/// SGD with momentum over a flat float32 shard, with the arithmetic of torch.optim.SGD (single-tensor):
/// <code>
/// d ← g + wd·p
/// buf ← d                                  (first step)
/// buf ← μ·buf + (1 − dampening)·d          (later steps)
/// d ← nesterov ? d + μ·buf : buf           (when μ ≠ 0)
/// p ← p − lr·d
/// </code>
/// Each "x + α·y" is a fused multiply-add, as in libtorch's AVX2 <c>add_(y, alpha)</c> kernel.
/// </summary>
public sealed class SgdMomentum : IFlatOptimizer
{
    /// <summary>Name of the momentum buffer in <see cref="OptimizerState"/>.</summary>
    public const string MomentumBuffer = "momentum_buffer";

    private readonly SgdOptions _options;
    private readonly DecaySegment[] _segments;
    private float[] _buffer;
    private long _step;

    /// <summary>Creates SGD for the whole buffer of <paramref name="length"/> elements.</summary>
    public SgdMomentum(int length, SgdOptions? options = null, IReadOnlyList<ParameterGroup>? groups = null)
        : this(0, length, options, groups)
    {
    }

    /// <summary>Creates SGD for the shard [shardOffset, shardOffset + shardLength); groups in full-buffer coordinates.</summary>
    public SgdMomentum(int shardOffset, int shardLength, SgdOptions? options, IReadOnlyList<ParameterGroup>? groups)
    {
        _options = options ?? new SgdOptions();
        _options.Validate();
        _segments = DecaySegments.Build(shardOffset, shardLength, groups, _options.WeightDecay);
        ShardOffset = shardOffset;
        ShardLength = shardLength;
        _buffer = new float[shardLength];
    }

    /// <inheritdoc />
    public string Kind => "sgd";

    /// <inheritdoc />
    public int ShardOffset { get; }

    /// <inheritdoc />
    public int ShardLength { get; }

    /// <inheritdoc />
    public long StepCount => _step;

    /// <summary>The hyper-parameters.</summary>
    public SgdOptions Options => _options;

    /// <inheritdoc />
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate)
    {
        OptimizerChecks.RequireShardSpans(Kind, ShardOffset, ShardLength, parameters.Length, gradients.Length);
        var first = _step == 0;
        _step++;
        var negLr = (float)-learningRate;
        foreach (var segment in _segments)
        {
            Update(
                parameters.Slice(segment.Start, segment.Length),
                gradients.Slice(segment.Start, segment.Length),
                _buffer.AsSpan(segment.Start, segment.Length),
                (float)segment.WeightDecay, negLr, first);
        }
    }

    private void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> buf, float weightDecay, float negLr, bool first)
    {
        var momentum = (float)_options.Momentum;
        var oneMinusDampening = (float)(1 - _options.Dampening);
        var nesterov = _options.Nesterov;
        var useMomentum = momentum != 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && p.Length >= Vector<float>.Count)
        {
            var vWd = new Vector<float>(weightDecay);
            var vMomentum = new Vector<float>(momentum);
            var vOneMinusDampening = new Vector<float>(oneMinusDampening);
            var vNegLr = new Vector<float>(negLr);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var pv = new Vector<float>(p[i..]);
                var d = new Vector<float>(g[i..]);
                if (weightDecay != 0)
                {
                    d = Vector.FusedMultiplyAdd(pv, vWd, d);
                }
                if (useMomentum)
                {
                    var b = first ? d : Vector.FusedMultiplyAdd(d, vOneMinusDampening, new Vector<float>(buf[i..]) * vMomentum);
                    b.CopyTo(buf[i..]);
                    d = nesterov ? Vector.FusedMultiplyAdd(b, vMomentum, d) : b;
                }
                Vector.FusedMultiplyAdd(d, vNegLr, pv).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            var d = g[i];
            if (weightDecay != 0)
            {
                d = MathF.FusedMultiplyAdd(p[i], weightDecay, d);
            }
            if (useMomentum)
            {
                var b = first ? d : MathF.FusedMultiplyAdd(d, oneMinusDampening, buf[i] * momentum);
                buf[i] = b;
                d = nesterov ? MathF.FusedMultiplyAdd(b, momentum, d) : b;
            }
            p[i] = MathF.FusedMultiplyAdd(d, negLr, p[i]);
        }
    }

    /// <inheritdoc />
    public OptimizerState ExportState() => new(Kind, _step, ShardOffset, ShardLength, new Dictionary<string, float[]>
    {
        [MomentumBuffer] = (float[])_buffer.Clone(),
    });

    /// <inheritdoc />
    public void ImportState(OptimizerState state)
    {
        OptimizerChecks.RequireMatchingState(state, Kind, ShardOffset, ShardLength, MomentumBuffer);
        _buffer = (float[])state.Buffers[MomentumBuffer].Clone();
        _step = state.Step;
    }
}
