namespace ActorTrain.Cli.Bench;

/// <summary>
/// Wraps a verb's action so that errors meant for the user (bad option, missing file, failed worker) print as one
/// short message and exit code 1, instead of System.CommandLine's default stack-trace dump.
/// </summary>
public static class GuardedAction
{
    /// <summary>Runs <paramref name="action"/>; user errors become exit code 1.</summary>
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (UserFacingError.IsUserError(ex))
        {
            UserFacingError.Print(ex);
            return 1;
        }
    }

    /// <summary>Runs <paramref name="action"/>; user errors become exit code 1.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (UserFacingError.IsUserError(ex))
        {
            UserFacingError.Print(ex);
            return 1;
        }
    }
}
