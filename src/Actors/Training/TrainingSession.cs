using System.Diagnostics;
using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Data;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Optim;
using ActorTrain.Model.Sampling;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Training;

/// <summary>One rank's training run: the model, its flat buffers, optimizer, data shard and (rank 0) reporting.</summary>
internal sealed partial class TrainingSession : IDisposable
{
    private readonly TrainingRunOptions _options;
    private readonly TrainSettings _train;
    private readonly IGradientSync _sync;
    private readonly ITrainingObserver _observer;
    private readonly ILogger _logger;
    private readonly int _rank;
    private readonly int _world;
    private readonly Device _device;
    private readonly Generator _initGenerator;
    private readonly Generator _dropoutGenerator;
    private readonly Gpt _model;
    private readonly FlatParameters _flat;
    private readonly float[]? _hostParameters; // staging copies when the flat buffers live on a GPU
    private readonly float[]? _hostGradients;
    private readonly ShardedOptimizer _optimizer;
    private readonly bool _shardedOptimizer; // gradients reduce-scattered, each rank steps its shards, parameters all-gathered
    private readonly ParameterServerSync? _serverOptimizer; // ps.apply-optimizer: the shards step, ranks pull parameters
    private readonly IReadOnlyList<(int Offset, int Length)> _normShards; // the ranges whose Σg² this rank contributes
    private readonly string[] _layers;
    private readonly LearningRateSchedule _schedule;
    private readonly BucketedGradientSync _buckets;
    private readonly TrainingData _data;
    private readonly DistributedSampler _sampler;
    private readonly Batcher _batcher;
    private readonly List<TrainingSequence> _microBatch;
    private readonly IReadOnlyList<FlatTensorEntry> _tensorEntries;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CheckpointStore? _store;
    private readonly Evaluator? _evaluator;
    private MetricsJsonlWriter? _metrics;
    private TensorBoardWriter? _tensorBoard;
    private BackgroundPlotter? _plotter; // rank 0
    private long _step;
    private long _consumedTokens;
    private int _nonFiniteStreak;
    private string? _lastCheckpoint;
    private long _lastSavedStep = -1;

    public TrainingSession(TrainingRunOptions options, IGradientSync sync, ITrainingObserver observer)
    {
        _options = options;
        _train = options.Settings.Train;
        _sync = sync;
        _observer = observer;
        _rank = sync.Rank;
        _world = sync.WorldSize;
        _logger = options.LoggerFactory.CreateLogger("ActorTrain.Training");
        if (_train.Threads > 0) set_num_threads(_train.Threads);

        var config = ModelFactory.ConfigFor(options.Settings.Model);
        _device = ModelFactory.DeviceFor(options.Settings.Model);
        _data = TrainingData.Load(options.Settings.Data, config.ContextLength);
        _data.CheckVocabulary(config.VocabSize);
        if (_rank == 0)
        {
            // Instruction data learns only the assistant's tokens: how much of each batch carries loss.
            var supervision = SupervisionStats.Of(_data.Train, config.ContextLength, 100_000);
            _logger.LogInformation("training data: {Sequences:N0} sequences, {Positions:N0} target tokens, {Supervised:N0} supervised ({Fraction:P1})",
                _data.Train.Count, supervision.Positions, supervision.Supervised, supervision.SupervisedFraction);
            var (plain, packed) = PaddingStats.Of(_data.Train, new Batcher(config.ContextLength), _train.MicroBatchSize);
            _logger.LogInformation("padding: {Plain:P1} of input positions without packing, {Packed:P1} with (data.pack = {Pack})",
                plain, packed, options.Settings.Data.Pack ? "on" : "off");
        }

        // The same seed on every rank; rank 0's values are broadcast anyway.
        _initGenerator = new Generator(unchecked((ulong)_train.Seed));
        _dropoutGenerator = new Generator(unchecked((ulong)_train.Seed) + 1);
        _model = ModelFactory.Build(options.Settings, config, _initGenerator, _device, _dropoutGenerator);
        if (_rank == 0 && _model.Adapters.Count > 0)
        {
            var nf4 = _model.Adapters.Where(a => a.Nf4 is not null).ToList();
            var fp32 = _model.Adapters.Sum(a => a.OutFeatures * a.InFeatures * 4L);
            _logger.LogInformation("LoRA r={Rank}: {Adapters} adapted Linear(s), {Trainable:N0} trainable of {Total:N0} parameters; adapted base weights {Fp32:N0} bytes as float32{Nf4}",
                _model.Lora!.Rank, _model.Adapters.Count, _model.TrainableParameters().Sum(p => p.Parameter.numel()), config.ParameterCount() + _model.TrainableParameters().Sum(p => p.Parameter.numel()),
                fp32, nf4.Count == 0 ? "" : $", {nf4.Sum(a => a.BaseWeightBytes):N0} bytes as NF4 ({(double)nf4.Sum(a => a.BaseWeightBytes) / fp32:P1})");
        }
        // Under LoRA only the adapters are laid out: bucketed, synced, clipped, stepped and checkpointed.
        _flat = new FlatParameters(_model);
        if (_device.type != DeviceType.CPU)
        {
            _hostParameters = new float[_flat.Length];
            _hostGradients = new float[_flat.Length];
        }
        _tensorEntries = _flat.Entries.Select(e => new FlatTensorEntry(e.Name, checked((int)e.Offset), e.Shape)).ToArray();
        _schedule = new LearningRateSchedule(_train.InitialLr, _train.Lr, _train.MinLr, _train.WarmupSteps, _train.Steps).Validate();
        var plan = new GradientBucketPlan(_flat.Entries.Select(e => e.Length).ToArray(), options.Settings.Job.Sync.BucketCap);
        var sharding = options.Settings.Job.Sync.ShardOptimizer;
        _shardedOptimizer = _world > 1 && (sharding == OptimizerSharding.On || (sharding == OptimizerSharding.Auto && sync.HasNativeShardedCollectives));
        // Every rank contributes the squares of its shard of each bucket to the global norm, sharded optimizer or not.
        _normShards = plan.ShardsOf(_rank, _world);
        var length = checked((int)_flat.Length);
        // With ps.apply-optimizer the shards hold the optimizer; the rank keeps an empty one for its kind, buffer names and step count.
        _serverOptimizer = options.Settings.Job.Sync.Ps.ApplyOptimizer ? sync as ParameterServerSync : null;
        IEnumerable<(int Offset, int Length)> stepped = _serverOptimizer is not null ? [] : _shardedOptimizer ? _normShards : [(0, length)];
        _optimizer = new ShardedOptimizer(length, stepped, OptimizerFactory.For(_train, _flat.Entries));
        _layers = LayerGradientNorms.Layers(_flat.Entries);
        // Gradient-ready taps only where a bucket's sync can overlap backward; elsewhere AccumulateGrad fills the buckets.
        var signal = new GradientReadySignal(_flat.ParametersInFlatOrder);
        if (_world > 1 && options.OverlapGradientSync) _model.UseGradientReadySignal(signal);
        _buckets = new BucketedGradientSync(sync, plan, Gradients, signal, reduceScatter: _shardedOptimizer);
        BucketCount = plan.Buckets.Count;

        _sampler = new DistributedSampler(_data.Train.Count, _world, _rank, shuffle: true, seed: _train.Seed);
        _batcher = new Batcher(config.ContextLength);
        _microBatch = new List<TrainingSequence>(_train.MicroBatchSize);

        if (_rank == 0)
        {
            var keep = _train.KeepCheckpoints;
            _store = new CheckpointStore(options.Settings.Job.RunDir, keep == 0 ? null : keep);
            _evaluator = new Evaluator(_model, _data, _device);
        }
    }

    /// <summary>Gradient buckets per step (job.sync.bucket-cap over the flat gradient).</summary>
    internal int BucketCount { get; }

    /// <summary>Parameters in the flat buffer.</summary>
    internal long ParameterCount => _flat.Length;

    /// <summary>Optimizer steps completed.</summary>
    internal long Step => _step;

    /// <summary>What <see cref="Run"/> does before its first step (resume, or broadcast rank 0's initial parameters),
    /// for callers that drive the steps themselves (<see cref="DdpStepRunner"/>).</summary>
    internal void PrepareSteps() => Resume();

    /// <summary>The parameters as host memory: the flat buffer itself on CPU, the staging copy on a GPU.</summary>
    private Memory<float> Parameters => _hostParameters ?? _flat.Parameters;

    /// <summary>The gradients as host memory (see <see cref="Parameters"/>).</summary>
    private Memory<float> Gradients => _hostGradients ?? _flat.Gradients;

    private bool Staged => _hostParameters is not null;

    public TrainingOutcome Run(CancellationToken cancellationToken)
    {
        Resume();
        var checksum = ParameterChecksum.Of(Parameters.Span);
        _logger.LogInformation("rank {Rank} parameter checksum {Checksum} ({Parameters:N0} parameters, step {Step}, device {Device}, optimizer {Sharding})",
            _rank, ParameterChecksum.Format(checksum), _flat.Length, _step, _device,
            _serverOptimizer is not null ? $"on the {_serverOptimizer.ShardCount} parameter-server shard(s)"
            : _shardedOptimizer ? $"sharded: this rank steps {_optimizer.Ranges.Sum(r => (long)r.Length):N0}" : "on every rank");
        OpenMetrics();
        Emit(new TrainingEvent
        {
            Kind = "start", Step = _step, TotalSteps = _train.Steps,
            Message = $"training {_flat.Length:N0} parameters on {_world} rank(s), {_device}; global batch {_world * _train.MicroBatchSize * _train.GradAccumSteps} sequences per step" +
                      (_step > 0 ? $"; resumed at step {_step}" : "") + $"; parameter checksum {ParameterChecksum.Format(checksum)}",
        });

        // A fine-tuning run reports where the base starts, so the log shows exact-match before and after.
        EvaluationResult? initial = null;
        if (_rank == 0 && _step == 0 && _options.Settings.Job.Kind == JobKind.Finetune) initial = Evaluate();

        double? lastLoss = null;
        var stopped = false;
        var window = new LogWindow(_clock);
        while (_step < _train.Steps)
        {
            if (_options.StopAfterStep is { } stopAt && _step >= stopAt)
            {
                stopped = true;
                break;
            }
            var result = RunStep(cancellationToken.IsCancellationRequested);
            window.Add(result.GlobalTokens, result.PhaseTicks);
            if (result.Loss is { } loss) lastLoss = loss;
            AfterStep(result, window);
            if (result.StopRequested)
            {
                stopped = true;
                break;
            }
        }

        EvaluationResult? final = null;
        if (_rank == 0 && !stopped) final = Evaluate();
        if (_lastSavedStep != _step) Save();
        if (_rank == 0 && _options.Settings.Job.Kind == JobKind.Finetune) ExportFinetuned();
        if (_rank == 0)
        {
            Emit(new TrainingEvent
            {
                Kind = "done", Step = _step, TotalSteps = _train.Steps, Loss = lastLoss,
                ValidationLoss = final?.ValidationLoss, ExactMatch = final?.ExactMatch,
                Message = stopped ? $"stopped after step {_step}; checkpoint {_lastCheckpoint}" : $"finished {_step} steps; checkpoint {_lastCheckpoint}",
            });
            _metrics?.Dispose();
            _metrics = null;
            _plotter?.Request();
            _plotter?.Flush(); // the plots are complete when the run returns
        }
        // Every rank returns only once rank 0's final checkpoint exists.
        _sync.BarrierAsync().GetAwaiter().GetResult();

        var parameters = Parameters.ToArray();
        return new TrainingOutcome(_step, _lastCheckpoint, lastLoss, final?.ValidationLoss, final?.ExactMatch)
        {
            FinalParameters = parameters,
            FinalChecksum = ParameterChecksum.Of(parameters),
            Stopped = stopped,
            Samples = final?.Samples ?? [],
            InitialExactMatch = initial?.ExactMatch,
        };
    }

    private void AfterStep(StepResult result, LogWindow window)
    {
        var ticks = result.PhaseTicks;
        _options.StepStats?.Record(_rank, _step, result.LocalTokens, ticks.Compute, ticks.SyncWait, ticks.Optimizer);
        var last = _step == _train.Steps;
        // The save decision depends only on the step and the (all-reduced) stop vote, so every rank takes part in it.
        var save = !last && (result.StopRequested || (_train.SaveEvery > 0 && _step % _train.SaveEvery == 0));
        if (_rank != 0)
        {
            if (save) Save();
            return;
        }
        if (_step % _train.LogEvery == 0 || last || result.StopRequested)
        {
            var (rate, compute, syncWait, optimizer) = window.Take();
            Emit(new TrainingEvent
            {
                Kind = "step", Step = _step, TotalSteps = _train.Steps, Loss = result.Loss, LearningRate = result.LearningRate,
                GradNorm = result.GradNorm, TokensPerSecond = rate, LayerGradNorms = result.LayerGradNorms,
                ComputeSeconds = compute, SyncWaitSeconds = syncWait, OptimizerSeconds = optimizer,
            });
        }
        if (!last && !result.StopRequested && _train.EvalEvery > 0 && _step % _train.EvalEvery == 0) Evaluate();
        if (save) Save();
    }

    public void Dispose()
    {
        _plotter?.Flush();
        _metrics?.Dispose();
        _buckets.Dispose();
        _flat.Dispose();
        _model.Dispose();
        _initGenerator.Dispose();
        _dropoutGenerator.Dispose();
    }
}
