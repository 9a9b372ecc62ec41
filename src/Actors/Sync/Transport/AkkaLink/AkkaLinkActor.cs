using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Actors.Sync.Transport.AkkaLink;

/// <summary>
/// This side's end of one <c>akka</c> data link: it hands pieces, credits and abort notices to its
/// <see cref="AkkaDataChannel"/>, dropping (and logging) any message that does not carry the job's data-link token.
/// </summary>
internal sealed class AkkaLinkActor : ReceiveActor
{
    public AkkaLinkActor(AkkaDataChannel channel)
    {
        var log = Context.GetLogger();
        Receive<DataChunk>(chunk =>
        {
            if (channel.Authentic(chunk.Token)) channel.OnChunk(chunk);
            else log.Warning("Dropped a data chunk with a wrong data-link token from {0}", Sender.Path);
        });
        Receive<ChunkCredit>(credit =>
        {
            if (channel.Authentic(credit.Token)) channel.OnCredit(credit.Chunks);
            else log.Warning("Dropped a chunk credit with a wrong data-link token from {0}", Sender.Path);
        });
        Receive<DataLinkAborted>(aborted =>
        {
            if (channel.Authentic(aborted.Token)) channel.OnPeerAborted(aborted.Reason);
            else log.Warning("Dropped an abort notice with a wrong data-link token from {0}", Sender.Path);
        });
    }

    public static Props Props(AkkaDataChannel channel) => Akka.Actor.Props.Create(() => new AkkaLinkActor(channel));
}
