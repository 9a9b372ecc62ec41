using System.Diagnostics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using ActorTrain.Actors.Reporting;
using ActorTrain.Model.Data;
using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Optim;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Training;

internal sealed partial class TrainingSession
{
    /// <summary>What one optimizer step produced (identical on every rank, except the per-layer norms: rank 0 only).</summary>
    internal sealed record StepResult(double? Loss, double? GradNorm, double LearningRate, long GlobalTokens, bool StopRequested,
        Dictionary<string, double>? LayerGradNorms)
    {
        /// <summary>Where this rank's time went (Stopwatch ticks): forward + backward, waiting for the gradient sync
        /// (buckets and the scalar all-reduce), and averaging + clipping + optimizer.</summary>
        public (long Compute, long SyncWait, long Optimizer) PhaseTicks { get; init; }

        /// <summary>Input tokens of this rank's micro-batches.</summary>
        public long LocalTokens { get; init; }
    }

    /// <summary>
    /// One synchronous DDP step; <paramref name="stopVote"/> asks every rank to stop after it. The micro-batches come from
    /// this rank's shard of the configured data, or, when <paramref name="sequences"/> is given, from those sequences
    /// (micro-batch-size × grad-accum-steps of them, micro-batch k = the k-th consecutive run of micro-batch-size).
    /// </summary>
    internal StepResult RunStep(bool stopVote, IReadOnlyList<TrainingSequence>? sequences = null)
    {
        if (sequences is not null && sequences.Count != _train.MicroBatchSize * _train.GradAccumSteps)
            throw new ArgumentException($"a step takes {_train.MicroBatchSize * _train.GradAccumSteps} sequences (micro-batch-size × grad-accum-steps), not {sequences.Count}", nameof(sequences));
        var started = Stopwatch.GetTimestamp();
        _flat.ZeroGradients();
        double lossSum = 0;
        long targetTokens = 0, inputTokens = 0;
        var accumulation = _train.GradAccumSteps;
        var overlap = _world > 1 && _options.OverlapGradientSync && !Staged && _serverOptimizer is null;
        try
        {
            for (var k = 0; k < accumulation; k++) lossSum += ForwardBackward(k, accumulation, overlap, sequences, ref targetTokens, ref inputTokens);
        }
        catch (Exception e) when (TorchErrors.IsOutOfMemory(e))
        {
            throw TorchErrors.OutOfMemory(_model.Config, _train.MicroBatchSize, _device.ToString(), e);
        }
        var computed = Stopwatch.GetTimestamp();
        double serverSquares = 0; // ps.apply-optimizer: Σg² of the summed gradient, from the shards
        if (overlap)
        {
            _buckets.CompleteOverlappedBackward();
        }
        else
        {
            if (Staged) _flat.CopyGradientsTo(_hostGradients!);
            if (_serverOptimizer is not null) serverSquares = _serverOptimizer.PushGradientsAsync(Gradients).GetAwaiter().GetResult();
            else if (_world > 1) _buckets.SyncAll();
        }

        // One scalar all-reduce carries the token counts (Σ token losses / N_global), the loss for logging, the stop vote
        // and this rank's Σg² over its shard of every bucket: the global norm and the non-finite check without a
        // second collective, and with each rank reading only 1/world of the gradient for them.
        var gradients = Gradients.Span;
        _options.InspectGradients?.Invoke(_step, gradients);
        // Per-layer norms need the summed gradient, which never reaches the ranks when the shards apply the optimizer.
        var logLayers = _serverOptimizer is null && ((_step + 1) % _train.LogEvery == 0 || _step + 1 == _train.Steps);
        double squares = 0;
        if (_serverOptimizer is null)
            foreach (var (offset, length) in _normShards) squares += GradientClipper.SumOfSquares(gradients.Slice(offset, length));
        double[] scalars = [lossSum, targetTokens, inputTokens, stopVote ? 1 : 0, squares];
        if (logLayers) scalars = [.. scalars, .. LayerGradientNorms.PartialSums(_flat.Entries, _layers, gradients, _normShards)];
        var sums = _sync.AllReduceScalarsAsync(scalars).GetAwaiter().GetResult();
        var synced = Stopwatch.GetTimestamp();
        if (_serverOptimizer is not null) sums[4] = serverSquares; // the same bits on every rank
        var globalTargets = sums[1];
        var stopRequested = sums[3] > 0;
        var scale = globalTargets > 0 ? 1.0 / globalTargets : 1.0;

        var learningRate = _schedule.At(_step);
        double? loss = globalTargets > 0 ? sums[0] / globalTargets : null;
        Dictionary<string, double>? layerNorms = null;
        double? gradNorm = null;
        _step++;
        _consumedTokens += (long)sums[2];
        // Squares are summed in float64, so only a NaN or infinite gradient (never a large finite one) makes this non-finite.
        if (!double.IsFinite(sums[4]))
        {
            // The sums are identical on every rank, so every rank skips alike.
            _nonFiniteStreak++;
            var message = $"non-finite gradient (NaN or Inf) at step {_step}: step skipped ({_nonFiniteStreak} in a row, at most {_train.MaxNonfiniteSteps})";
            _logger.LogWarning("rank {Rank}: {Message}", _rank, message);
            Emit(new TrainingEvent { Kind = "warning", Step = _step, TotalSteps = _train.Steps, Loss = loss, Message = message });
            if (_nonFiniteStreak >= _train.MaxNonfiniteSteps) throw new NonFiniteGradientException(_step, _nonFiniteStreak);
        }
        else
        {
            _nonFiniteStreak = 0;
            if (_rank == 0 && logLayers) layerNorms = LayerGradientNorms.FromSums(_layers, sums.AsSpan(5), scale);
            var norm = Math.Sqrt(sums[4]) * scale;
            gradNorm = norm;
            // Averaging and clipping in one multiply, on the ranges this rank steps.
            var factor = (float)(scale * (_train.GradClip > 0 ? GradientClipper.ClipCoefficient(norm, (float)_train.GradClip) : 1f));
            if (_serverOptimizer is not null) _serverOptimizer.ApplyOptimizerAsync(factor, learningRate, Parameters).GetAwaiter().GetResult();
            foreach (var (offset, length) in _optimizer.Ranges)
            {
                var part = gradients.Slice(offset, length);
                TensorPrimitives.Multiply(part, factor, part);
            }
            _optimizer.Step(Parameters.Span, gradients, learningRate);
            if (_shardedOptimizer) _buckets.GatherAll(Parameters);
            if (Staged) _flat.CopyParametersFrom(_hostParameters!);
        }
        return new StepResult(loss, gradNorm, learningRate, (long)sums[2], stopRequested, layerNorms)
        {
            PhaseTicks = (computed - started, synced - computed, Stopwatch.GetTimestamp() - synced),
            LocalTokens = inputTokens,
        };
    }

    /// <summary>Forward and backward of micro-batch <paramref name="k"/>; returns its summed token loss.</summary>
    private double ForwardBackward(int k, int accumulation, bool overlap, IReadOnlyList<TrainingSequence>? sequences, ref long targetTokens, ref long inputTokens)
    {
        var batch = sequences is null ? NextMicroBatch() : CollateSlice(sequences, k);
        ReseedDropout(k);
        using var scope = NewDisposeScope();
        var inputs = tensor(batch.Inputs, batch.Shape, device: _device);
        var targets = tensor(batch.Targets, batch.Shape, device: _device);
        var logits = batch.PositionIds is null
            ? _model.forward(inputs)
            : _model.forward(inputs, tensor(batch.PositionIds, batch.Shape, device: _device), tensor(batch.SegmentIds!, batch.Shape, device: _device));
        var result = CrossEntropy.Compute(logits, targets, nn.Reduction.Sum);
        targetTokens += result.Count;
        inputTokens += (long)batch.BatchSize * batch.SequenceLength;
        // Only the last micro-batch's backward communicates: earlier ones just accumulate into the flat buffer.
        if (k == accumulation - 1 && overlap) _buckets.BeginOverlappedBackward();
        result.Loss.backward();
        return result.Loss.item<float>();
    }

    /// <summary>Micro-batch <paramref name="k"/> of a step's caller-supplied sequences.</summary>
    private Batch CollateSlice(IReadOnlyList<TrainingSequence> sequences, int k)
    {
        if (_train.GradAccumSteps == 1) return Collate(sequences);
        _microBatch.Clear();
        for (var i = 0; i < _train.MicroBatchSize; i++) _microBatch.Add(sequences[k * _train.MicroBatchSize + i]);
        return Collate(_microBatch);
    }

    /// <summary>The next micro-batch of this rank's shard; a finished epoch starts the next one (reshuffled).</summary>
    private Batch NextMicroBatch()
    {
        _microBatch.Clear();
        while (_microBatch.Count < _train.MicroBatchSize)
        {
            if (!_sampler.TryNext(out var index))
            {
                _sampler.SetEpoch(_sampler.Epoch + 1);
                continue;
            }
            _microBatch.Add(_data.Train[index]);
        }
        return Collate(_microBatch);
    }

    private Batch Collate(IReadOnlyList<TrainingSequence> sequences) =>
        _options.Settings.Data.Pack ? _batcher.CollatePacked(sequences) : _batcher.Collate(sequences);

    /// <summary>Dropout masks depend only on (seed, rank, step, micro-batch), so a resumed run draws the same masks.</summary>
    private void ReseedDropout(int microBatch)
    {
        if (_options.Settings.Model.Dropout <= 0) return;
        var h = unchecked((ulong)_train.Seed * 0x9E3779B97F4A7C15UL ^ (ulong)_rank * 0xBF58476D1CE4E5B9UL ^ (ulong)_step * 0x94D049BB133111EBUL ^ (ulong)microBatch);
        _dropoutGenerator.manual_seed(unchecked((long)h));
    }
}
