using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary>Every ActorTrain setting, read and validated once at start-up (Akka settings-class style).</summary>
public sealed record ActorTrainSettings
{
    /// <summary><c>actortrain.cluster</c>.</summary>
    public ClusterSettings Cluster { get; init; } = new();

    /// <summary><c>actortrain.remote</c>.</summary>
    public RemoteSettings Remote { get; init; } = new();

    /// <summary><c>actortrain.job</c>.</summary>
    public JobSettings Job { get; init; } = new();

    /// <summary><c>actortrain.model</c>.</summary>
    public ModelSettings Model { get; init; } = new();

    /// <summary><c>actortrain.data</c>.</summary>
    public DataSettings Data { get; init; } = new();

    /// <summary><c>actortrain.train</c>.</summary>
    public TrainSettings Train { get; init; } = new();

    /// <summary><c>actortrain.finetune</c> (used when <c>job.kind = finetune</c>).</summary>
    public FinetuneSettings Finetune { get; init; } = new();

    /// <summary><c>actortrain.metrics</c>: Prometheus <c>/metrics</c> on every node.</summary>
    public HttpEndpointSettings Metrics { get; init; } = new();

    /// <summary><c>actortrain.dashboard</c>: the live dashboard on the coordinator's node.</summary>
    public HttpEndpointSettings Dashboard { get; init; } = new();

    /// <summary>Binds <paramref name="userConfig"/> over reference.conf (substitutions see <paramref name="environment"/>,
    /// the process environment when null). Throws <see cref="SettingsValidationException"/> listing every unknown key,
    /// wrong type and broken rule.</summary>
    public static ActorTrainSettings Load(Config userConfig, IReadOnlyDictionary<string, string>? environment = null) =>
        ActorTrainConfigLoader.Bind(userConfig, environment ?? ProcessEnvironment.Snapshot(), Array.Empty<SettingsError>()).Settings;

    /// <summary>The defaults of reference.conf.</summary>
    public static ActorTrainSettings Default => Load(Config.Empty, new Dictionary<string, string>());

    /// <summary>Reads every section from a resolved config; <paramref name="isExplicit"/> tells which keys the user set.</summary>
    public static ActorTrainSettings Bind(SettingsReader reader, Func<string, bool> isExplicit)
    {
        var settings = new ActorTrainSettings
        {
            Cluster = ClusterSettings.Bind(reader),
            Remote = RemoteSettings.Bind(reader),
            Job = JobSettings.Bind(reader),
            Model = ModelSettings.Bind(reader, isExplicit),
            Data = DataSettings.Bind(reader),
            Train = TrainSettings.Bind(reader),
            Finetune = FinetuneSettings.Bind(reader),
            Metrics = HttpEndpointSettings.Bind(reader, "actortrain.metrics"),
            Dashboard = HttpEndpointSettings.Bind(reader, "actortrain.dashboard"),
        };

        // Rules across sections.
        if (reader.Ok("actortrain.train.eval-samples", "actortrain.data.val-size") && settings.Train.EvalSamples > settings.Data.ValSize)
            reader.Fail("actortrain.train.eval-samples", $"must not exceed actortrain.data.val-size ({settings.Data.ValSize})");
        ElasticNodeRange.CheckGlobalBatch(reader, settings.Job, settings.Train);
        return settings;
    }
}
