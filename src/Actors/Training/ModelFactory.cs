using ActorTrain.Actors.Settings;
using ActorTrain.Model.Nn;
using static TorchSharp.torch;

namespace ActorTrain.Actors.Training;

/// <summary>Turns <c>actortrain.model</c> into a <see cref="GptConfig"/> and a device.</summary>
public static class ModelFactory
{
    /// <summary>The GPT shape (the settings already resolved the preset and explicit dimensions).</summary>
    public static GptConfig ConfigFor(ModelSettings model)
    {
        if (model.DType != ModelDType.Float32)
            throw new NotSupportedException($"actortrain.model.dtype = bfloat16 is not supported by the DDP engine yet (flat buffers are float32); use float32");
        var init = model.Init switch
        {
            ModelInit.Gpt2Normal => InitScheme.Gpt2Normal,
            ModelInit.XavierUniform => InitScheme.XavierUniform,
            ModelInit.XavierNormal => InitScheme.XavierNormal,
            ModelInit.KaimingUniform => InitScheme.KaimingUniform,
            ModelInit.KaimingNormal => InitScheme.KaimingNormal,
            _ => throw new ArgumentOutOfRangeException(nameof(model), model.Init, "unknown init"),
        };
        return new GptConfig(model.VocabSize, model.Context, model.Width, model.Layers, model.Heads, model.MlpRatio, model.Dropout, init, InitStd: model.InitStd);
    }

    /// <summary>
    /// The job's model: for <c>job.kind = finetune</c> with LoRA the adapted model (adapters drawn from
    /// <c>train.seed + 2</c>), and for either fine-tuning method the base weights of <c>finetune.base</c> loaded by name
    /// (a shape mismatch throws naming the file and tensor). The base is loaded before the flat layout copies values.
    /// </summary>
    public static Gpt Build(ActorTrainSettings settings, GptConfig config, Generator initGenerator, Device device, Generator? dropoutGenerator)
    {
        if (settings.Job.Kind != JobKind.Finetune) return new Gpt(config, initGenerator, device, dropoutGenerator);
        var finetune = settings.Finetune;
        using var loraGenerator = new Generator(unchecked((ulong)settings.Train.Seed) + 2);
        var model = new Gpt(config, initGenerator, device, dropoutGenerator, finetune.Lora, loraGenerator);
        try
        {
            if (finetune.Base.Length > 0) ActorTrain.Model.Checkpoints.BaseWeights.Load(model, finetune.Base);
            if (finetune.Nf4) model.QuantizeBase(finetune.Nf4DoubleQuant);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>cpu; cuda when configured (an error naming the key when no GPU is visible); auto = cuda when available.</summary>
    public static Device DeviceFor(ModelSettings model) => model.Device switch
    {
        ComputeDevice.Cpu => CPU,
        ComputeDevice.Cuda => cuda.is_available()
            ? CUDA
            : throw new InvalidOperationException("actortrain.model.device = cuda, but libtorch sees no CUDA device (CPU-only libtorch or no GPU); set device = cpu or auto"),
        _ => cuda.is_available() ? CUDA : CPU,
    };
}
