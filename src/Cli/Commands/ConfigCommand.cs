using System.CommandLine;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Bench;
using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain config show|validate</c>: the effective configuration (reference.conf, then the file with its
/// includes and substitutions, then ACTORTRAIN_*/torchrun environment variables, then <c>--set</c>), and its
/// validation errors by key. Invalid configuration exits with code 1.
/// </summary>
public static class ConfigCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var command = new Command("config", "Show or validate the effective configuration.");
        command.Add(CreateShow());
        command.Add(CreateValidate());
        return command;
    }

    private static Command CreateShow()
    {
        var (file, sets) = CommonOptions();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of HOCON." };
        var origins = new Option<bool>("--origins") { Description = "Annotate each value with where it was set (file:line, env, --set, reference.conf)." };
        var command = new Command("show", "Print the effective configuration after includes, substitutions, environment and --set overrides.")
        {
            file, sets, json, origins,
        };
        command.SetAction(parse => GuardedAction.Run(() =>
        {
            if (Load(parse.GetValue(file), parse.GetValue(sets)) is not { } loaded) return 1;
            Console.Out.WriteLine(parse.GetValue(json) ? loaded.Effective.ToJson() : loaded.Effective.ToHocon(parse.GetValue(origins)));
            return 0;
        }));
        return command;
    }

    private static Command CreateValidate()
    {
        var (file, sets) = CommonOptions();
        var command = new Command("validate", "Check the configuration; list every problem by key; exit 1 when invalid.") { file, sets };
        command.SetAction(parse => GuardedAction.Run(() =>
        {
            if (Load(parse.GetValue(file), parse.GetValue(sets)) is null) return 1;
            Console.Out.WriteLine($"configuration is valid{(parse.GetValue(file) is { } f ? $" ({f})" : "")}");
            return 0;
        }));
        return command;
    }

    private static (Option<string?> File, Option<string[]> Sets) CommonOptions() => (
        new Option<string?>("--config", "-c") { Description = "HOCON config file (its includes and substitutions are resolved)." },
        new Option<string[]>("--set") { Description = "Override one key: --set actortrain.train.steps=500 (repeatable; later wins).", AllowMultipleArgumentsPerToken = false });

    /// <summary>Loads the config; prints warnings, or the problems (one per key) and returns null when invalid.</summary>
    internal static LoadedConfig? Load(string? file, string[]? sets)
    {
        try
        {
            var loaded = ActorTrainConfigLoader.Load(file, ProcessEnvironment.Snapshot(), sets ?? [], ProgramVariables.Names);
            foreach (string warning in loaded.Warnings) Console.Error.WriteLine($"warning: {warning}");
            return loaded;
        }
        catch (SettingsValidationException ex)
        {
            Console.Error.WriteLine(ex.Errors.Count == 1 ? "error: invalid configuration (1 problem):" : $"error: invalid configuration ({ex.Errors.Count} problems):");
            foreach (var error in ex.Errors) Console.Error.WriteLine($"  {error.Key}: {error.Message}");
            return null;
        }
        catch (HoconParseException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return null;
        }
    }
}
