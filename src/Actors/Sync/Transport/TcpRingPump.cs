using System.Net.Sockets;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// Drives the ring's two TCP links from one thread with non-blocking socket calls (Linux): it sends every frame whose
/// data is ready as far as the kernel buffer takes it, receives whatever has arrived, and sleeps in <c>poll</c> only
/// when neither side can move. Unlike alternating blocking send/receive, no rank ever waits on one socket while the
/// other could progress, and a rank that holds the CPU runs ahead as far as the data dependencies allow — on machines
/// with fewer cores than ranks this avoids lock-step hand-offs. Frames are exactly those of
/// <see cref="TcpDataChannel"/> (<see cref="FrameHeader"/> + raw payload), header and payload leave in one <c>sendmsg</c>.
/// </summary>
internal sealed unsafe partial class TcpRingPump
{
    private const int MsgDontWait = 0x40;
    private const int MsgNoSignal = 0x4000;
    private const short PollIn = 0x001;
    private const short PollOut = 0x004;
    private const int EAgain = 11;
    private const int EIntr = 4;
    private const int PollSliceMilliseconds = 100;
    private const int SolSocket = 1;
    private const int SoRcvLowAt = 18;

    private readonly byte[] _scratch;
    private readonly FrameHeader _sendCodec = new();
    private readonly FrameHeader _receiveCodec = new();
    private int _lowWater;
    private int _receiveFd;

    public TcpRingPump(int chunkBytes)
    {
        _scratch = GC.AllocateUninitializedArray<byte>(chunkBytes, pinned: true);
    }

    /// <summary>Whether the pump can drive these channels (both TCP, on Linux x64/arm64).</summary>
    public static bool Supports(IDataChannel next, IDataChannel previous) =>
        OperatingSystem.IsLinux() && next is TcpDataChannel && previous is TcpDataChannel
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>One outgoing frame: floats at <c>Offset</c>, sent once receive number <c>After</c> (−1: none) is complete.</summary>
    public readonly record struct Outgoing(int Offset, int Length, int After);

    /// <summary>One incoming frame: floats at <c>Offset</c>, added to (<c>Add</c>) or copied over the buffer.</summary>
    public readonly record struct Incoming(int Offset, int Length, bool Add);

    /// <summary>
    /// Sends <paramref name="sends"/> to <paramref name="next"/> and receives <paramref name="receives"/> from
    /// <paramref name="previous"/>, in order on each link, over <paramref name="data"/>.
    /// </summary>
    public void Run(PeerLink next, PeerLink previous, Span<float> data, ReadOnlySpan<Outgoing> sends, ReadOnlySpan<Incoming> receives,
        CancellationToken abort)
    {
        var sendSocket = ((TcpDataChannel)next.Channel).Socket;
        var receiveSocket = ((TcpDataChannel)previous.Channel).Socket;
        bool sendRef = false, receiveRef = false;
        try
        {
            try { sendSocket.SafeHandle.DangerousAddRef(ref sendRef); }
            catch (ObjectDisposedException ex) { throw new PeerLinkBrokenException(next, ex); }
            try { receiveSocket.SafeHandle.DangerousAddRef(ref receiveRef); }
            catch (ObjectDisposedException ex) { throw new PeerLinkBrokenException(previous, ex); }
            int sendFd = (int)sendSocket.SafeHandle.DangerousGetHandle();
            int receiveFd = (int)receiveSocket.SafeHandle.DangerousGetHandle();
            _lowWater = 1;
            _receiveFd = receiveFd;
            fixed (float* basePointer = data)
            fixed (byte* scratch = _scratch)
                Pump(next, previous, sendFd, receiveFd, (byte*)basePointer, sends, receives, scratch, abort);
            long sent = 0, received = 0;
            foreach (var s in sends) sent += s.Length;
            foreach (var r in receives) received += r.Length;
            TransportByteCounters.AddSent("tcp", sent * sizeof(float));
            TransportByteCounters.AddReceived("tcp", received * sizeof(float));
        }
        finally
        {
            if (receiveRef && _lowWater != 1) SetLowWater(1); // blocking receives on this socket expect the default

            if (sendRef) sendSocket.SafeHandle.DangerousRelease();
            if (receiveRef) receiveSocket.SafeHandle.DangerousRelease();
        }
    }

    private void Pump(PeerLink next, PeerLink previous, int sendFd, int receiveFd, byte* bytes,
        ReadOnlySpan<Outgoing> sends, ReadOnlySpan<Incoming> receives, byte* scratch, CancellationToken abort)
    {
        int sendIndex = 0, receiveIndex = 0;
        long sent = 0; // bytes of the current outgoing frame (header included) already sent
        int received = 0; // bytes of the current incoming frame's payload received (after its header)
        int headerGot = 0; // bytes of the current incoming frame's header received
        int headerNeeded = FrameHeader.PrefixBytes; // its header size, once the prefix has told the length
        byte* sendHeader = stackalloc byte[FrameHeader.MaxBytes];
        byte* receiveHeader = stackalloc byte[FrameHeader.MaxBytes];
        var iov = stackalloc IoVec[2];
        var fds = stackalloc PollFd[2];
        int sendHeaderSize = sends.Length > 0 ? WriteHeader(sendHeader, sends[0].Length) : 0;

        while (sendIndex < sends.Length || receiveIndex < receives.Length)
        {
            bool moved = false;

            // Send while frames are ready and the kernel takes bytes.
            bool sendBlocked = false;
            while (sendIndex < sends.Length && sends[sendIndex].After < receiveIndex)
            {
                var frame = sends[sendIndex];
                long payloadBytes = (long)frame.Length * sizeof(float);
                byte* payload = bytes + (long)frame.Offset * sizeof(float);
                int count = 0;
                if (sent < sendHeaderSize)
                {
                    iov[count++] = new IoVec { Base = sendHeader + sent, Length = (nuint)(sendHeaderSize - sent) };
                    iov[count++] = new IoVec { Base = payload, Length = (nuint)payloadBytes };
                }
                else
                {
                    long done = sent - sendHeaderSize;
                    iov[count++] = new IoVec { Base = payload + done, Length = (nuint)(payloadBytes - done) };
                }
                var message = new MsgHdr { Iov = iov, IovLength = (nuint)count };
                nint n = SendMsg(sendFd, &message, MsgDontWait | MsgNoSignal);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EAgain) { sendBlocked = true; break; }
                    if (errno == EIntr) continue;
                    throw new PeerLinkBrokenException(next, new SocketException(errno));
                }
                moved = true;
                sent += n;
                if (sent == sendHeaderSize + payloadBytes)
                {
                    sent = 0;
                    if (++sendIndex < sends.Length) sendHeaderSize = WriteHeader(sendHeader, sends[sendIndex].Length);
                }
            }

            // Receive whatever has arrived.
            bool receiveBlocked = false;
            while (receiveIndex < receives.Length)
            {
                var frame = receives[receiveIndex];
                int payloadBytes = frame.Length * sizeof(float);
                if (headerGot < headerNeeded)
                {
                    nint h = Recv(receiveFd, receiveHeader + headerGot, (nuint)(headerNeeded - headerGot), MsgDontWait);
                    if (h <= 0) { if (Blocked(h, previous)) { receiveBlocked = true; break; } continue; }
                    moved = true;
                    headerGot += (int)h;
                    if (headerGot < headerNeeded) continue;
                    try
                    {
                        if (headerNeeded == FrameHeader.PrefixBytes)
                        {
                            // The prefix tells the length: refuse a disagreeing frame before reading on.
                            int length = _receiveCodec.ReadLength(new ReadOnlySpan<byte>(receiveHeader, FrameHeader.PrefixBytes));
                            if (length != payloadBytes) throw TcpDataChannel.LengthMismatch(length, payloadBytes);
                            headerNeeded = FrameHeader.SizeFor(length);
                            if (headerGot < headerNeeded) continue;
                        }
                        _receiveCodec.CheckComplete(new ReadOnlySpan<byte>(receiveHeader, headerNeeded), payloadBytes);
                    }
                    catch (InvalidDataException ex) { throw new PeerLinkBrokenException(previous, ex); }
                    received = 0;
                }
                byte* target = frame.Add ? scratch : bytes + (long)frame.Offset * sizeof(float);
                if (received < payloadBytes)
                {
                    nint n = Recv(receiveFd, target + received, (nuint)(payloadBytes - received), MsgDontWait);
                    if (n <= 0) { if (Blocked(n, previous)) { receiveBlocked = true; break; } continue; }
                    moved = true;
                    received += (int)n;
                    if (received < payloadBytes) continue;
                }
                if (frame.Add)
                {
                    var accumulator = new Span<float>(bytes + (long)frame.Offset * sizeof(float), frame.Length);
                    TensorPrimitives.Add(accumulator, new ReadOnlySpan<float>(scratch, frame.Length), accumulator);
                }
                receiveIndex++;
                headerGot = 0;
                headerNeeded = FrameHeader.PrefixBytes;
                received = 0;
            }

            if (moved) continue;
            if (abort.IsCancellationRequested) abort.ThrowIfCancellationRequested();
            int nfds = 0;
            if (sendBlocked) fds[nfds++] = new PollFd { Fd = sendFd, Events = PollOut };
            if (receiveBlocked)
            {
                var frame = receives[receiveIndex];
                // Wake only when the rest of the frame is there (SO_RCVLOWAT; Linux caps it at half the receive
                // buffer): a frame is used whole, and with fewer cores than ranks every earlier wake-up is a context
                // switch the sender's core pays for too. Measured: 64 MiB ring 80-85 ms against 110-115 ms when
                // woken every 128 KiB (4 ranks, 2 cores, 4 MiB chunks).
                int payloadBytes = frame.Length * sizeof(float);
                long remaining = FrameHeader.SizeFor(payloadBytes) - headerGot + (long)payloadBytes - received;
                SetLowWater((int)Math.Min(remaining, int.MaxValue));
                fds[nfds++] = new PollFd { Fd = receiveFd, Events = PollIn };
            }
            if (nfds == 0) continue;
            int r = Poll(fds, (nuint)nfds, PollSliceMilliseconds);
            if (r < 0 && Marshal.GetLastPInvokeError() != EIntr)
                throw new PeerLinkBrokenException(next, new SocketException(Marshal.GetLastPInvokeError()));
        }
    }

    /// <summary>For a receive that returned <paramref name="n"/> ≤ 0: true when it would block; throws on EOF or error.</summary>
    private static bool Blocked(nint n, PeerLink link)
    {
        if (n == 0) throw new PeerLinkBrokenException(link, new EndOfStreamException("the connection was closed by the peer"));
        int errno = Marshal.GetLastPInvokeError();
        if (errno == EAgain) return true;
        if (errno == EIntr) return false;
        throw new PeerLinkBrokenException(link, new SocketException(errno));
    }

    private void SetLowWater(int bytes)
    {
        if (bytes == _lowWater) return;
        int value = bytes;
        if (SetSockOpt(_receiveFd, SolSocket, SoRcvLowAt, &value, sizeof(int)) == 0) _lowWater = bytes;
    }

    /// <summary>Writes the frame header for <paramref name="floats"/> floats at <paramref name="header"/>; returns its size.</summary>
    private int WriteHeader(byte* header, int floats)
    {
        var encoded = _sendCodec.Encode(checked(floats * sizeof(float)));
        encoded.CopyTo(new Span<byte>(header, FrameHeader.MaxBytes));
        return encoded.Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, int* value, uint length);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
}
