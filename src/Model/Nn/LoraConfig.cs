using System.Text.RegularExpressions;

namespace ActorTrain.Model.Nn;

/// <summary>
/// LoRA adapters for a <see cref="Gpt"/>: which Linear layers get one (module-path patterns), rank r, α and the dropout
/// on the adapter's input. Each adapted layer computes <c>W x + b + (α/r)·B(A(dropout(x)))</c>.
/// </summary>
/// <param name="Rank">r, the inner dimension of A (r × in) and B (out × r).</param>
/// <param name="Alpha">α; the adapter's output is scaled by α/r.</param>
/// <param name="Dropout">Dropout probability on the adapter's input (0 = none).</param>
/// <param name="Targets">Module-path patterns: a pattern matches a path equal to it or ending in "." + it; <c>*</c>
/// matches any characters (e.g. <c>qkv</c>, <c>blocks.*.proj</c>, <c>blocks.0.*</c>).</param>
/// <param name="ModulesToSave">Module-path patterns (same matching) of modules that train in full beside the adapters, as
/// peft's <c>modules_to_save</c>: e.g. <c>tok</c> and <c>pos</c> when the data holds tokens or positions the base never
/// learned (null or empty: none).</param>
public sealed record LoraConfig(int Rank, double Alpha, double Dropout, IReadOnlyList<string> Targets, IReadOnlyList<string>? ModulesToSave = null)
{
    /// <summary>The layers peft's GPT recipes adapt: attention qkv and output projection, both MLP layers.</summary>
    public static IReadOnlyList<string> DefaultTargets { get; } = ["qkv", "proj", "fc", "out"];

    /// <summary>α/r.</summary>
    public double Scale => Alpha / Rank;

    /// <summary>Throws naming the <c>actortrain.finetune.lora</c> key when a value is out of range.</summary>
    public void Validate()
    {
        if (Rank <= 0) throw new ArgumentException($"actortrain.finetune.lora.rank = {Rank}: must be a positive integer");
        if (!(Alpha > 0)) throw new ArgumentException($"actortrain.finetune.lora.alpha = {Alpha}: must be positive");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"actortrain.finetune.lora.dropout = {Dropout}: must be in [0, 1)");
        if (Targets.Count == 0) throw new ArgumentException("actortrain.finetune.lora.targets is empty: name at least one Linear module (e.g. qkv)");
    }

    /// <summary>The modules trained in full beside the adapters (never null).</summary>
    public IReadOnlyList<string> SavedModules => ModulesToSave ?? [];

    /// <summary>True when the parameter <paramref name="parameterName"/> ("pos.weight") belongs to a module of <see cref="SavedModules"/>.</summary>
    public bool IsSaved(string parameterName)
    {
        var dot = parameterName.LastIndexOf('.');
        var module = dot < 0 ? parameterName : parameterName[..dot];
        return SavedModules.Any(m => Matches(m, module));
    }

    /// <summary>True when <paramref name="modulePath"/> (e.g. <c>blocks.0.qkv</c>) matches one of <see cref="Targets"/>.</summary>
    public bool IsTarget(string modulePath) => Targets.Any(t => Matches(t, modulePath));

    /// <summary>True when <paramref name="pattern"/> matches <paramref name="modulePath"/> (whole path or a dotted suffix).</summary>
    public static bool Matches(string pattern, string modulePath) =>
        Regex.IsMatch(modulePath, @"(^|\.)" + Regex.Escape(pattern).Replace(@"\*", ".*") + "$", RegexOptions.CultureInvariant);

    /// <summary>Throws when a pattern matches none of <paramref name="linearPaths"/>, listing the paths it could match.</summary>
    public void CheckEveryTargetMatches(IReadOnlyList<string> linearPaths)
    {
        foreach (var pattern in Targets)
        {
            if (!linearPaths.Any(p => Matches(pattern, p)))
                throw new ArgumentException($"actortrain.finetune.lora.targets: pattern '{pattern}' matches no Linear module of the model; " +
                                            $"the adaptable modules are {string.Join(", ", linearPaths.Take(8))}{(linearPaths.Count > 8 ? ", …" : "")}");
        }
    }
}
