namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.data.source</c>.</summary>
public enum DataSource
{
    /// <summary>Synthetic arithmetic corpus ("arithmetic").</summary>
    Arithmetic,
    /// <summary>A UTF-8 text file ("text").</summary>
    Text,
    /// <summary>JSONL system/user/assistant records ("jsonl").</summary>
    Jsonl,
}
