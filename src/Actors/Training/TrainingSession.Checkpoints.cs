using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Settings;
using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Optim;
using ActorTrain.Model.Sampling;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Training;

internal sealed partial class TrainingSession
{
    private string MetricsPath => Path.Combine(_options.Settings.Job.RunDir, "metrics.jsonl");

    /// <summary>
    /// Collective: rank 0 resolves train.resume and loads the checkpoint; the step, sampler position and counters reach
    /// the other ranks through a scalar all-reduce, the parameters and optimizer state through broadcasts — so only
    /// rank 0 needs to see the run directory. Without a checkpoint this is just the initial parameter broadcast.
    /// </summary>
    private void Resume()
    {
        Checkpoint? checkpoint = null;
        OptimizerState? optimizerState = null;
        Exception? failure = null;
        if (_rank == 0 && _train.ResumeMode != ResumeMode.None)
        {
            try
            {
                checkpoint = _train.ResumeMode == ResumeMode.Latest
                    ? _store!.OpenLatest(skipped => _logger.LogWarning("resume = latest: skipping a damaged checkpoint, falling back to an older one: {Problem}", skipped))
                    : Checkpoint.Open(_train.Resume);
                if (checkpoint is null)
                {
                    _logger.LogWarning("resume = latest, but {RunDir} holds no complete checkpoint; starting from step 0", _store!.RunDirectory);
                }
                else
                {
                    CheckWorldSizeChange(checkpoint);
                    checkpoint.LoadModel(_tensorEntries, Parameters.Span);
                    optimizerState = checkpoint.LoadOptimizer(_tensorEntries, checked((int)_flat.Length), _optimizer.Kind);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }

        var state = checkpoint?.State;
        var header = _sync.AllReduceScalarsAsync([
            failure is not null ? -1 : state is not null ? 1 : 0,
            state?.Step ?? 0, state?.Sampler.Epoch ?? 0, state?.Sampler.Position ?? 0, state?.ConsumedTokens ?? 0,
            state?.NonFiniteStreak ?? 0, optimizerState?.Step ?? 0, state?.Sampler.Offset ?? 0, state?.WorldSize ?? 0,
        ]).GetAwaiter().GetResult();
        if (failure is not null) throw new InvalidOperationException($"cannot resume from '{_train.Resume}': {failure.Message}", failure);
        if (header[0] < 0) throw new InvalidOperationException($"rank 0 could not load the checkpoint to resume from ('{_train.Resume}'); see rank 0's error");

        if (Staged && header[0] == 0) _flat.CopyParametersTo(_hostParameters!);
        // With ps.apply-optimizer the shards take their ranges of rank 0's parameters on the way (also a broadcast).
        if (_serverOptimizer is not null) _serverOptimizer.InitializeParametersAsync(Parameters).GetAwaiter().GetResult();
        else _sync.BroadcastAsync(Parameters, 0).GetAwaiter().GetResult();
        if (Staged) _flat.CopyParametersFrom(_hostParameters!);
        VerifyReplicasIdentical();
        if (header[0] == 0) return;

        // Optimizer buffers in name order, so every rank broadcasts the same sequence.
        var names = _optimizer.BufferNames;
        var buffers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var buffer = optimizerState is not null ? (float[])optimizerState.Buffers[name].Clone() : new float[_flat.Length];
            if (_serverOptimizer is null) _sync.BroadcastAsync(buffer, 0).GetAwaiter().GetResult();
            buffers[name] = buffer;
        }
        if (_serverOptimizer is not null)
            _serverOptimizer.ImportOptimizerStateAsync([.. names.Select(n => buffers[n])], (long)header[6], checked((int)_flat.Length)).GetAwaiter().GetResult();
        _optimizer.ImportFull(new OptimizerState(_optimizer.Kind, (long)header[6], 0, checked((int)_flat.Length), buffers));
        _step = (long)header[1];
        var sampler = new SamplerState((long)header[2], (int)header[3], (long)header[7]);
        int savedWorld = (int)header[8];
        if (savedWorld == _world) _sampler.Restore(sampler);
        else
        {
            // An elastic job restarted with another world size: the rest of the epoch is split among the new ranks.
            _sampler.ResumeAt(sampler.Epoch, sampler.GlobalPosition(savedWorld));
            if (_rank == 0)
                _logger.LogWarning("the checkpoint was written by {Saved} rank(s), this job has {World}: epoch {Epoch} re-sharded from its sample {Position}",
                    savedWorld, _world, sampler.Epoch, sampler.GlobalPosition(savedWorld));
        }
        _consumedTokens = (long)header[4];
        _nonFiniteStreak = (int)header[5];
        _lastSavedStep = _step; // on every rank: the final save is collective when the optimizer is sharded
        if (state is not null)
        {
            if (state.RngStates.TryGetValue("dropout", out var dropout)) GeneratorState.Restore(_dropoutGenerator, dropout);
            _lastCheckpoint = checkpoint!.Directory;
        }
        _logger.LogInformation("rank {Rank} resumed at step {Step} (epoch {Epoch}, position {Position})", _rank, _step, (long)header[2], (int)header[3]);
    }

    private const string GlobalBatchKey = "global_batch";

    /// <summary>Sequences per optimizer step over all ranks.</summary>
    private long GlobalBatch => (long)_world * _train.MicroBatchSize * _train.GradAccumSteps;

    /// <summary>
    /// A checkpoint of another world size resumes only with the same global batch (what an elastic job keeps by
    /// changing grad-accum-steps): the steps then mean the same, and the sampler re-shards the epoch's rest.
    /// </summary>
    private void CheckWorldSizeChange(Checkpoint checkpoint)
    {
        var state = checkpoint.State;
        if (state.WorldSize == _world) return;
        bool known = state.Extra.TryGetValue(GlobalBatchKey, out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _);
        if (known && long.Parse(text!, System.Globalization.CultureInfo.InvariantCulture) == GlobalBatch) return;
        throw new InvalidOperationException($"checkpoint {checkpoint.Directory} was written by a job of {state.WorldSize} rank(s); this job has {_world}, " +
            (known ? $"and its global batch of {GlobalBatch} sequences per step differs from the checkpoint's {text}. "
                   : "and the checkpoint does not record its global batch. ") +
            "A different world size resumes only with the same global batch: world size × actortrain.train.micro-batch-size × actortrain.train.grad-accum-steps.");
    }

    /// <summary>
    /// Collective: after rank 0's parameters reached every rank, each rank compares its parameter checksum with rank 0's
    /// (broadcast), and the ranks that differ are summed into a scalar all-reduce, so every rank stops alike, naming them.
    /// </summary>
    private void VerifyReplicasIdentical()
    {
        var local = ParameterChecksum.Of(Parameters.Span);
        var root = ParameterChecksum.ToExactFloats(local);
        _sync.BroadcastAsync(root, 0).GetAwaiter().GetResult();
        var rootChecksum = ParameterChecksum.FromExactFloats(root);
        var differs = new double[_world];
        if (rootChecksum != local) differs[_rank] = 1;
        var summed = _sync.AllReduceScalarsAsync(differs).GetAwaiter().GetResult();
        var ranks = Enumerable.Range(0, _world).Where(r => summed[r] > 0).ToArray();
        if (ranks.Length > 0)
            throw new InvalidOperationException(
                $"after rank 0's parameter broadcast, rank(s) {string.Join(", ", ranks)} hold parameters whose checksum differs from rank 0's " +
                $"{ParameterChecksum.Format(rootChecksum)}: the replicas are not identical, so training would diverge. Check the gradient-sync transport and restart the job.");
        _logger.LogDebug("rank {Rank}: parameters identical to rank 0's ({Checksum})", _rank, ParameterChecksum.Format(local));
    }

    /// <summary>
    /// Collective when the optimizer is sharded (every rank all-gathers its optimizer state so rank 0 has all of it);
    /// rank 0 then writes a checkpoint of the current step and reports it. Every rank calls it at the same steps.
    /// </summary>
    private void Save()
    {
        var optimizerState = OptimizerStateForCheckpoint();
        _lastSavedStep = _step;
        if (_rank != 0) return;
        var state = new TrainingState
        {
            Step = _step,
            Sampler = _sampler.State,
            WorldSize = _world,
            Schedule = _schedule,
            RngStates = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["init"] = GeneratorState.Capture(_initGenerator),
                ["dropout"] = GeneratorState.Capture(_dropoutGenerator),
            },
            ConsumedTokens = _consumedTokens,
            NonFiniteStreak = _nonFiniteStreak,
            ConfigText = _options.EffectiveConfigText,
            Extra = new Dictionary<string, string>(StringComparer.Ordinal) { [GlobalBatchKey] = GlobalBatch.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        if (Staged) _flat.CopyParametersTo(_hostParameters!);
        _lastCheckpoint = _store!.Save(state, _tensorEntries, Parameters, optimizerState!);
        _logger.LogInformation("checkpoint for step {Step} written to {Directory}", _step, _lastCheckpoint);
        Emit(new TrainingEvent { Kind = "checkpoint", Step = _step, TotalSteps = _train.Steps, Message = _lastCheckpoint });
        _plotter?.Request();
    }

    /// <summary>
    /// The whole optimizer state on rank 0 (null elsewhere): all-gathered bucket by bucket when sharded, pulled from
    /// the parameter-server shards when they apply the optimizer.
    /// </summary>
    private OptimizerState? OptimizerStateForCheckpoint()
    {
        if (!_shardedOptimizer && _serverOptimizer is null && _rank != 0) return null;
        var buffers = _optimizer.ExportIntoFullBuffers();
        if (_serverOptimizer is not null)
        {
            _serverOptimizer.ExportOptimizerStateAsync([.. _optimizer.BufferNames.Select(n => buffers[n])]).GetAwaiter().GetResult();
        }
        else if (_shardedOptimizer)
        {
            foreach (var name in _optimizer.BufferNames) _buckets.GatherAll(buffers[name]);
        }
        return _rank == 0 ? new OptimizerState(_optimizer.Kind, _optimizer.StepCount, 0, checked((int)_flat.Length), buffers) : null;
    }

    /// <summary>Rank 0: opens metrics.jsonl — fresh, or truncated back to the resumed step — and records the effective config.</summary>
    private void OpenMetrics()
    {
        if (_rank != 0) return;
        var runDir = _options.Settings.Job.RunDir;
        Directory.CreateDirectory(runDir);
        if (_step == 0 && File.Exists(MetricsPath)) File.Delete(MetricsPath);
        _metrics = _step > 0 ? new MetricsJsonlWriter(MetricsPath, keepUpToStep: _step) : new MetricsJsonlWriter(MetricsPath);
        _plotter = new BackgroundPlotter(runDir, _logger);
        if (_train.TensorBoard) _tensorBoard = TensorBoardWriter.Open(runDir, _metrics.Kept);
        else if (_step == 0) TensorBoardWriter.DeleteEventFiles(runDir);
        if (_options.EffectiveConfigText.Length > 0)
            AtomicFile.WriteAllText(Path.Combine(runDir, "effective.conf"), _options.EffectiveConfigText);
    }

    /// <summary>Rank 0: reports an event to the observer and (except start/done) to metrics.jsonl.</summary>
    private void Emit(TrainingEvent e)
    {
        if (_rank != 0) return;
        e = e with { ElapsedSeconds = _clock.Elapsed.TotalSeconds };
        if (e.Kind is not ("start" or "done"))
        {
            _metrics?.Write(e);
            _tensorBoard?.Write(e);
        }
        _observer.OnEvent(e);
    }

    /// <summary>Rank 0: validation loss, exact-match and sample answers, reported as events.</summary>
    private EvaluationResult Evaluate()
    {
        var result = _evaluator!.Run(maxLossSequences: 1024, exactMatchSamples: _train.EvalSamples);
        Emit(new TrainingEvent
        {
            Kind = "eval", Step = _step, TotalSteps = _train.Steps, ValidationLoss = result.ValidationLoss, ExactMatch = result.ExactMatch,
        });
        foreach (var sample in result.Samples) Emit(new TrainingEvent { Kind = "sample", Step = _step, TotalSteps = _train.Steps, Message = sample });
        return result;
    }

    /// <summary>The export directory of a fine-tuning run: merged weights and (LoRA) the peft-style adapter.</summary>
    internal static string ExportDirectory(string runDir) => Path.Combine(runDir, "export");

    /// <summary>Rank 0 after a fine-tuning run: <c>export/merged.safetensors</c> (base names, W + (α/r)·B·A) and, for LoRA,
    /// <c>export/adapter/</c> (adapter_model.safetensors with peft key names, adapter_config.json).</summary>
    private void ExportFinetuned()
    {
        var dir = ExportDirectory(_options.Settings.Job.RunDir);
        Directory.CreateDirectory(dir);
        LoraExport.WriteMerged(_model, Path.Combine(dir, "merged.safetensors"));
        if (_model.Lora is not null) LoraExport.WriteAdapter(_model, Path.Combine(dir, "adapter"), _options.Settings.Finetune.Base);
        Emit(new TrainingEvent { Kind = "export", Step = _step, TotalSteps = _train.Steps, Message = $"exported the fine-tuned model to {dir}" });
    }
}
