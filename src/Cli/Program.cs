namespace ActorTrain.Cli;

/// <summary>Entry point of the <c>actortrain</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("actortrain: no commands yet");
        return 2;
    }
}
