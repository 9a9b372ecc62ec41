namespace ActorTrain.Cli;

/// <summary>
/// ACTORTRAIN_* environment variables that configure the program or its scripts rather than a setting; the config
/// loader would otherwise warn that they name no key.
/// </summary>
public static class ProgramVariables
{
    /// <summary>The names, for <c>ActorTrainConfigLoader.Load(..., ignoredEnvironmentVariables)</c>.</summary>
    public static readonly string[] Names =
    [
        "ACTORTRAIN_CLI",            // path of this executable (scripts/setup.sh)
        "ACTORTRAIN_PEERS_DIR",      // where the PyTorch peer scripts live (bench verbs; default bench/peers)
        "ACTORTRAIN_LOG_LEVEL",      // minimum log level (CliLogging)
        "ACTORTRAIN_DEBUG",          // print stack traces (UserFacingError)
        "ACTORTRAIN_BENCH_TRACE",    // per-phase timings in bench ddp
        "ACTORTRAIN_BENCH_CMD",      // the command bench/allreduce scripts run
        "ACTORTRAIN_WITH_TORCH_PY",  // scripts/setup.sh: install python3-torch
    ];
}
