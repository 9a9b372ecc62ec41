using System.Text;
using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Tests.Training;
using Xunit;
using SyncStrategy = ActorTrain.Actors.Sync.SyncStrategy;

namespace ActorTrain.Actors.Tests.Reporting;

/// <summary>Rank 0's TensorBoard event file, read back by an independent TFRecord/protobuf reader, equals metrics.jsonl.</summary>
public sealed class TensorBoardEventFileTests
{
    [Fact]
    public async Task A_two_rank_run_writes_one_event_file_whose_scalars_equal_metrics_jsonl()
    {
        using var dir = new TempRunDir();
        var s = TrainingTestSupport.TinySettings(dir.Path, steps: 6, microBatch: 4);
        s = s with { Train = s.Train with { EvalEvery = 3 } };
        await TrainingTestSupport.RunGroupAsync(2, SyncStrategy.Ring, _ => TrainingTestSupport.Options(s));

        var expected = EventFileExpectations.FromMetrics(dir.Path);
        var actual = EventFileExpectations.FromEventFile(dir.Path); // also: only one event file, so only rank 0 wrote
        // Every kind of scalar is there (a run that logged nothing would otherwise compare equal).
        string[] tags = ["train/loss", "train/lr", "train/grad_norm", "throughput/tokens_per_s", "step_time/compute_s",
            "step_time/sync_wait_s", "step_time/optimizer_s", "grad_norm/blocks.0", "grad_norm/head", "val/loss", "val/exact_match"];
        foreach (var tag in tags) Assert.True(expected.Count(x => x.Tag == tag) > 0, $"metrics.jsonl logged no {tag}");
        Assert.Equal(6, expected.Count(x => x.Tag == "train/loss"));
        Assert.Equal(expected, actual);
        // And Google's protobuf runtime (Python) parses the same scalars out of it.
        Assert.Equal(expected, PythonEventFileReader.Read(Directory.GetFiles(dir.Path, TensorBoardWriter.FilePrefix + "*").Single()));
        Assert.All(expected.Where(x => x.Tag == "step_time/compute_s"), x => Assert.True(x.Value > 0, $"compute time {x.Value} at step {x.Step}"));
    }

    [Fact]
    public void Tensorboard_off_writes_no_event_file_and_removes_an_earlier_runs_and_the_setting_is_validated()
    {
        using var dir = new TempRunDir();
        var s = TrainingTestSupport.TinySettings(dir.Path, steps: 2);
        TrainingTestSupport.RunSingle(TrainingTestSupport.Options(s));
        Assert.Single(Directory.GetFiles(dir.Path, TensorBoardWriter.FilePrefix + "*"));
        // A fresh run in the same directory with TensorBoard off leaves no curves of the earlier run behind.
        TrainingTestSupport.RunSingle(TrainingTestSupport.Options(s with { Train = s.Train with { TensorBoard = false } }));
        Assert.True(File.Exists(Path.Combine(dir.Path, "metrics.jsonl")));
        Assert.Empty(Directory.GetFiles(dir.Path, TensorBoardWriter.FilePrefix + "*"));

        Assert.True(ActorTrain.Actors.Settings.ActorTrainSettings.Default.Train.TensorBoard, "reference.conf turns TensorBoard on");
        var error = Assert.Throws<ActorTrain.Cluster.Settings.SettingsValidationException>(() =>
            ActorTrain.Actors.Settings.ActorTrainSettings.Load(ActorTrain.Cluster.Hocon.ConfigFactory.ParseString("actortrain.train.tensorboard = sometimes"), new Dictionary<string, string>()));
        Assert.Contains("actortrain.train.tensorboard", error.Message);
    }

    [Fact]
    public void The_reader_checks_both_masked_CRCs_so_a_flipped_byte_is_caught()
    {
        // The CRC-32C check value (RFC 3720 / the Castagnoli test vector).
        Assert.Equal(0xE3069283u, TfRecordEventReader.Crc32C(Encoding.ASCII.GetBytes("123456789")));

        using var dir = new TempRunDir();
        var writer = TensorBoardWriter.Open(dir.Path, []);
        writer.Write(new TrainingEvent { Kind = "step", Step = 7, Loss = 1.25, LearningRate = 3e-4 });
        var bytes = File.ReadAllBytes(writer.FilePath);
        var events = TfRecordEventReader.Read(bytes, "intact");
        Assert.Equal([("train/loss", 1.25f)], events[1].Scalars);
        Assert.Equal([("train/lr", 3e-4f)], events[2].Scalars);
        Assert.Equal(7, events[2].Step);

        var second = 16 + (int)BitConverter.ToUInt64(bytes, 0); // where the second record starts
        var lengthFlipped = (byte[])bytes.Clone();
        lengthFlipped[second] ^= 0x01;
        Assert.Contains("length checksum", Assert.Throws<InvalidDataException>(() => TfRecordEventReader.Read(lengthFlipped, "x")).Message);
        var dataFlipped = (byte[])bytes.Clone();
        dataFlipped[^6] ^= 0x40; // inside the last record's data (its float value)
        Assert.Contains("data checksum", Assert.Throws<InvalidDataException>(() => TfRecordEventReader.Read(dataFlipped, "x")).Message);
    }
}
