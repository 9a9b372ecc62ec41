namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// A duplex, frame-oriented byte channel between two peers (TCP socket, shared-memory rings or Akka messages). Operations block the
/// calling thread (the collectives run them on dedicated worker threads); one thread sends while another receives.
/// Each frame is received with the exact length the receiver expects; a different length is a protocol error.
/// </summary>
public interface IDataChannel : IDisposable
{
    /// <summary>"tcp", "shared-memory" or "akka".</summary>
    string Kind { get; }

    /// <summary>Sends one frame.</summary>
    void Send(ReadOnlySpan<byte> payload);

    /// <summary>Receives one frame of exactly <c>destination.Length</c> bytes into <paramref name="destination"/>.</summary>
    void Receive(Span<byte> destination);

    /// <summary>Receives one frame of <c>accumulator.Length</c> floats and adds it element-wise: accumulator += frame.</summary>
    void ReceiveAdd(Span<float> accumulator);

    /// <summary>Makes blocked and later operations fail promptly (the group is failing); safe from any thread.</summary>
    void Abort();
}
