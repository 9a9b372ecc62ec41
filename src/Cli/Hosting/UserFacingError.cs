namespace ActorTrain.Cli;

/// <summary>
/// Prints errors a user can act on (bad config, missing file, failed rank) as one short message instead of a stack
/// trace. Anything else is a bug and keeps its stack trace.
/// </summary>
public static class UserFacingError
{
    /// <summary>True for exceptions whose message is meant for the user.</summary>
    public static bool IsUserError(Exception ex) =>
        ex is not (NullReferenceException or IndexOutOfRangeException or InvalidCastException or ArgumentNullException
            or NotImplementedException or AccessViolationException or StackOverflowException);

    /// <summary>Writes the error (and its inner causes) to standard error.</summary>
    public static void Print(Exception ex)
    {
        var unwrapped = ex is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : ex;
        Console.Error.WriteLine($"error: {unwrapped.Message}");
        for (var inner = unwrapped.InnerException; inner is not null; inner = inner.InnerException)
            Console.Error.WriteLine($"  caused by: {inner.Message}");
        if (Environment.GetEnvironmentVariable("ACTORTRAIN_DEBUG") == "1")
            Console.Error.WriteLine(unwrapped);
        else
            Console.Error.WriteLine("  (set ACTORTRAIN_DEBUG=1 for the stack trace)");
    }
}
