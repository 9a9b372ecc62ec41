namespace ActorTrain.Model.Data;

/// <summary>Turns text into token ids and back.</summary>
public interface ITokenizer
{
    /// <summary>Number of distinct token ids (ids are 0..VocabSize-1).</summary>
    int VocabSize { get; }

    /// <summary>Token ids of <paramref name="text"/>.</summary>
    long[] Encode(string text);

    /// <summary>Text of <paramref name="tokens"/>.</summary>
    string Decode(ReadOnlySpan<long> tokens);
}
