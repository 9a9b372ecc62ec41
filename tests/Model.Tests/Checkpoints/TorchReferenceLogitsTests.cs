using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Optim;
using ActorTrain.Model.Sampling;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Checkpoints;

/// <summary>
/// A checkpoint's model.safetensors loads into the same GPT written in PyTorch (bench/peers/peer_gpt.py, as pytorch_ddp_baseline.py builds it;
/// Debian's PyTorch 1.13) by name, and that model computes the same logits on a fixed batch.
/// </summary>
public sealed class TorchReferenceLogitsTests
{
    private const string Script = """
        import importlib.util, json, struct, sys
        import numpy as np, torch
        peer, weights, tokens_path, logits_path = sys.argv[1:5]
        sys.argv = sys.argv[:1]  # the peer script reads its own arguments at import
        spec = importlib.util.spec_from_file_location("peer", peer); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
        raw = open(weights, "rb").read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n]); header.pop("__metadata__", None)
        data = raw[8 + n:]
        state = {name: torch.from_numpy(np.frombuffer(data[i["data_offsets"][0]:i["data_offsets"][1]], dtype="<f4").reshape(i["shape"]).copy())
                 for name, i in header.items()}
        model = m.Gpt()
        missing, unexpected = model.load_state_dict(state, strict=False)
        assert not unexpected, unexpected
        assert all(k.endswith(".mask") for k in missing), missing
        tokens = torch.tensor(json.load(open(tokens_path)), dtype=torch.long)
        expected = torch.from_numpy(np.fromfile(logits_path, dtype="<f4").reshape(tokens.shape[0], tokens.shape[1], -1))
        with torch.no_grad():
            logits = model.eval()(tokens)
        print(float((logits - expected).abs().max()))
        """;

    [TorchFact]
    public void A_checkpoint_loads_into_the_pytorch_reference_gpt_and_gives_the_same_logits()
    {
        using var dir = new TempDirectory();
        using var gen = new Generator(5);
        using var model = new Gpt(GptConfig.GptBench with { Init = InitScheme.XavierUniform }, gen);
        using var flat = new FlatParameters(model);
        var entries = flat.Entries.Select(e => new FlatTensorEntry(e.Name, checked((int)e.Offset), e.Shape)).ToArray();
        var checkpoint = new CheckpointStore(dir.Path).Save(new TrainingState
        {
            Step = 1, Sampler = new SamplerState(0, 0), WorldSize = 1, Schedule = new LearningRateSchedule(0, 1e-3, 1e-4, 1, 10),
            ConfigText = "actortrain {}\n",
        }, entries, flat.Parameters, null);

        var tokens = Enumerable.Range(0, 2).Select(b => Enumerable.Range(0, 24).Select(t => (long)((b * 97 + t * 31) % 256)).ToArray()).ToArray();
        float[] logits;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            model.eval();
            logits = model.forward(tensor(tokens.SelectMany(r => r).ToArray(), [2, 24])).data<float>().ToArray();
        }
        var tokensPath = Path.Combine(dir.Path, "tokens.json");
        var logitsPath = Path.Combine(dir.Path, "logits.f32");
        File.WriteAllText(tokensPath, System.Text.Json.JsonSerializer.Serialize(tokens));
        File.WriteAllBytes(logitsPath, System.Runtime.InteropServices.MemoryMarshal.AsBytes(logits.AsSpan()).ToArray());

        var output = ReferencePython.Run(Script, RepositoryFiles.Path("bench/peers/pytorch_ddp_baseline.py"),
            Path.Combine(checkpoint, Checkpoint.ModelFileName), tokensPath, logitsPath);
        var maxDifference = double.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(maxDifference <= 1e-5, $"PyTorch's logits differ from ours by up to {maxDifference}");
    }
}
