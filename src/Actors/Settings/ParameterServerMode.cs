namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.job.sync.ps.mode</c>.</summary>
public enum ParameterServerMode
{
    /// <summary>Every step waits for all ranks ("sync").</summary>
    Sync,
    /// <summary>Stale-synchronous parallel: ranks may run ahead by up to staleness steps ("ssp").</summary>
    Ssp,
}
