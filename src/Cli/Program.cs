using System.CommandLine;
using ActorTrain.Cli.Commands;
using Spectre.Console;

namespace ActorTrain.Cli;

/// <summary>Entry point of the <c>actortrain</c> command.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen verb; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        // Redirected output (simulate's node logs, CI, files) gets plain text: Spectre would otherwise emit colour
        // escapes whenever TERM is set, even into a file.
        if (Console.IsOutputRedirected)
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(Console.Out),
            });
        var root = new RootCommand("ActorTrain: distributed data-parallel training for .NET on libtorch.");
        foreach (var command in CommandCatalog.All())
            root.Add(command);
        try
        {
            // Our handler, not System.CommandLine's, decides between a one-line message and a stack trace.
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (UserFacingError.IsUserError(ex))
        {
            UserFacingError.Print(ex);
            return 1;
        }
    }
}
