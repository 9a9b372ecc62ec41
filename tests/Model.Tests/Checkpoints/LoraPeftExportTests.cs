using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Tests.Optim;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Checkpoints;

/// <summary>
/// The adapter export loads in Python (Debian's PyTorch; peft itself is not installed here) with peft's key names and
/// shapes, and W + (α/r)·B·A computed there from the base and the adapter reproduces the merged export.
/// </summary>
public sealed class LoraPeftExportTests
{
    private const string Script = """
        import json, re, struct, sys
        import numpy as np, torch
        base_path, merged_path, adapter_dir = sys.argv[1:4]
        def load(path):
            raw = open(path, "rb").read()
            (n,) = struct.unpack("<Q", raw[:8])
            header = json.loads(raw[8:8 + n]); header.pop("__metadata__", None)
            data = raw[8 + n:]
            return {k: torch.from_numpy(np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], dtype="<f4").reshape(v["shape"]).copy())
                    for k, v in header.items()}
        base, merged, adapter = load(base_path), load(merged_path), load(adapter_dir + "/adapter_model.safetensors")
        config = json.load(open(adapter_dir + "/adapter_config.json"))
        assert config["peft_type"] == "LORA" and config["task_type"] == "CAUSAL_LM", config
        r, alpha = config["r"], config["lora_alpha"]
        pattern = re.compile(r"^base_model\.model\.(.+)\.lora_([AB])\.weight$")
        modules = {}
        for key, value in adapter.items():
            m = pattern.match(key)
            assert m, "not a peft LoRA key: " + key
            modules.setdefault(m.group(1), {})[m.group(2)] = value
        assert sorted(modules) == sorted(config["target_modules"]), (sorted(modules), config["target_modules"])
        assert sorted(merged) == sorted(base), "merged export must carry exactly the base names"
        worst = 0.0
        for path, ab in modules.items():
            w = base[path + ".weight"]
            assert ab["A"].shape == (r, w.shape[1]), (path, ab["A"].shape)
            assert ab["B"].shape == (w.shape[0], r), (path, ab["B"].shape)
            rebuilt = w + (alpha / r) * ab["B"] @ ab["A"]
            worst = max(worst, float((rebuilt - merged[path + ".weight"]).abs().max()))
            assert float((merged[path + ".weight"] - w).abs().max()) > 1e-4, path + ": the adapter changed nothing"
        for name in base:
            if name[:-len(".weight")] not in modules:
                assert torch.equal(base[name], merged[name]), name + " changed although it has no adapter"
        print(len(modules), worst)
        """;

    [TorchFact]
    public void The_adapter_loads_in_python_with_peft_names_and_rebuilds_the_merged_weights()
    {
        using var dir = new TempDirectory();
        using var gen = new Generator(11);
        using var loraGen = new Generator(12);
        var lora = new LoraConfig(4, 16, 0, ["qkv", "blocks.1.out", "head"]);
        using var model = new Gpt(GptConfig.Tiny with { Layers = 2 }, gen, lora: lora, loraGenerator: loraGen);
        using (no_grad())
            foreach (var adapter in model.Adapters) adapter.AdapterB.normal_(0, 0.05, new Generator(13));
        var basePath = dir.File("base.safetensors");
        var writer = new SafeTensorsWriter();
        foreach (var (name, p) in model.FrozenParameters()) writer.AddFloat32(name, p.shape, p.detach().contiguous().data<float>().ToArray());
        writer.WriteFile(basePath);
        LoraExport.WriteMerged(model, dir.File("merged.safetensors"));
        LoraExport.WriteAdapter(model, dir.File("adapter"), basePath);

        var output = ReferencePython.Run(Script, basePath, dir.File("merged.safetensors"), dir.File("adapter")).Trim().Split(' ');
        Assert.Equal("4", output[0]); // blocks.0.qkv, blocks.1.qkv, blocks.1.out, head
        var worst = double.Parse(output[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(worst <= 1e-5, $"W + (α/r)·B·A in PyTorch differs from the merged export by {worst}");
    }
}
