using Xunit;
using System.Runtime.CompilerServices;
using ActorTrain.Cluster.Kernel;
using FsCheck;
using FsCheck.Fluent;

namespace ActorTrain.Cluster.Tests.Kernel;

public sealed class MessageProcessingTests : KernelTestBase
{
    private sealed record Numbered(int Sender, int Sequence);

    private sealed record Done;

    /// <summary>Records whether messages from each sender arrived in sequence order.</summary>
    private sealed class OrderCheckingActor : ReceiveActor
    {
        public OrderCheckingActor(int senders, int perSender, StrongBox<bool> inOrderResult, ManualResetEventSlim finished)
        {
            var next = new int[senders];
            int total = 0;
            bool inOrder = true;
            Receive<Numbered>(m =>
            {
                inOrder &= m.Sequence == next[m.Sender];
                next[m.Sender] = m.Sequence + 1;
                if (++total == senders * perSender)
                {
                    inOrderResult.Value = inOrder;
                    finished.Set();
                }
            });
        }
    }

    [Fact]
    public void Messages_from_each_sender_arrive_in_the_order_they_were_told()
    {
        Prop.ForAll(Gen.Choose(1, 4).ToArbitrary(), Gen.Choose(1, 3000).ToArbitrary(), (senders, perSender) =>
        {
            var inOrder = new StrongBox<bool>();
            using var finished = new ManualResetEventSlim();
            var actor = System.ActorOf(Props.Create(() => new OrderCheckingActor(senders, perSender, inOrder, finished)).WithThroughput(7));
            Parallel.For(0, senders, s =>
            {
                for (int i = 0; i < perSender; i++) actor.Tell(new Numbered(s, i));
            });
            bool ok = finished.Wait(Timeout) && inOrder.Value;
            System.Stop(actor);
            return ok;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    private sealed class ConcurrencyDetectingActor : UntypedActor
    {
        private readonly StrongBox<int> _overlaps;
        private readonly TaskCompletionSource<int> _done;
        private readonly int _expected;
        private int _inHandler;
        private int _count;

        public ConcurrencyDetectingActor(int expected, StrongBox<int> overlaps, TaskCompletionSource<int> done)
        {
            _expected = expected;
            _overlaps = overlaps;
            _done = done;
        }

        protected override void OnReceive(object message)
        {
            if (Interlocked.Increment(ref _inHandler) != 1) Interlocked.Increment(ref _overlaps.Value);
            if (_count % 1000 == 0) Thread.SpinWait(200); // widen the window in which an overlap would be seen
            _count++;
            Interlocked.Decrement(ref _inHandler);
            if (_count == _expected) _done.TrySetResult(_count);
        }
    }

    [Fact]
    public async Task Handler_never_runs_concurrently_under_heavy_concurrent_tells()
    {
        const int threads = 4, perThread = 50_000;
        var overlaps = new StrongBox<int>();
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = System.ActorOf(Props.Create(() => new ConcurrencyDetectingActor(threads * perThread, overlaps, done)).WithThroughput(3));
        var message = new object();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            for (int i = 0; i < perThread; i++) actor.Tell(message);
        });
        Assert.Equal(threads * perThread, await done.Task.WaitAsync(Timeout * 4));
        Assert.Equal(0, overlaps.Value);
    }

    private sealed class AsyncActor : ReceiveActor
    {
        private int _inHandler;

        public AsyncActor(StrongBox<int> overlaps, List<int> processed)
        {
            ReceiveAsync<int>(async n =>
            {
                if (Interlocked.Increment(ref _inHandler) != 1) Interlocked.Increment(ref overlaps.Value);
                var replyTo = Sender;
                await Task.Delay(n % 3).ConfigureAwait(false);
                await Task.Yield();
                processed.Add(n); // not thread-safe on purpose: only one handler may run at a time
                Interlocked.Decrement(ref _inHandler);
                Assert.Same(replyTo, Sender); // the sender stays the same across awaits
                Sender.Tell(n);
            });
        }
    }

    [Fact]
    public void Async_handler_suspends_the_mailbox_until_its_task_completes()
    {
        var probe = CreateProbe();
        var overlaps = new StrongBox<int>();
        var processed = new List<int>();
        var actor = System.ActorOf(Props.Create(() => new AsyncActor(overlaps, processed)));
        for (int i = 0; i < 40; i++) actor.Tell(i, probe.Ref);
        for (int i = 0; i < 40; i++) probe.ExpectMsg(i);
        Assert.Equal(0, overlaps.Value);
        Assert.Equal(Enumerable.Range(0, 40), processed);
    }

    private sealed class FailingAsyncActor : ReceiveActor
    {
        public FailingAsyncActor()
        {
            ReceiveAsync<string>(async s =>
            {
                await Task.Yield();
                if (s == "fail") throw new InvalidOperationException("async boom");
                Sender.Tell(s);
            });
        }
    }

    [Fact]
    public void Faulted_async_handler_is_a_failure_handled_by_the_supervisor()
    {
        var probe = CreateProbe();
        var actor = System.ActorOf(Props.Create(() => new FailingAsyncActor()), "async-failer");
        actor.Tell("fail", probe.Ref);
        actor.Tell("after", probe.Ref);
        probe.ExpectMsg("after");
        Logs.WaitFor(e => e.Message.Contains("async-failer") && e.Message.Contains("async boom") && e.Message.Contains("Restart"));
    }

    [Fact]
    public void Unknown_message_to_a_ReceiveActor_is_logged_as_unhandled_and_processing_continues()
    {
        var probe = CreateProbe();
        var actor = System.ActorOf(Props.Create(() => new FailingAsyncActor()), "picky");
        actor.Tell(42);
        actor.Tell("still alive", probe.Ref);
        probe.ExpectMsg("still alive");
        Assert.True(LoggedAt(Microsoft.Extensions.Logging.LogLevel.Debug, "Unhandled message System.Int32"));
    }

    [Fact]
    public void Receive_handlers_cannot_be_declared_after_construction()
    {
        var probe = CreateProbe();
        System.ActorOf(Props.Create(() => new LateDeclaringActor()), "late").Tell("go", probe.Ref);
        var error = probe.ExpectMsg<string>();
        Assert.Contains("only be declared in the constructor", error);
    }

    private sealed class LateDeclaringActor : ReceiveActor
    {
        public LateDeclaringActor()
        {
            Receive<string>(_ =>
            {
                try
                {
                    Receive<int>(_ => { });
                    Sender.Tell("no error");
                }
                catch (InvalidOperationException e)
                {
                    Sender.Tell(e.Message);
                }
            });
        }
    }

    [Fact]
    public void Constructing_an_actor_outside_ActorOf_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LateDeclaringActor());
        Assert.Contains("ActorOf", error.Message);
    }

    [Fact]
    public void Duplicate_child_name_is_rejected_naming_the_parent()
    {
        System.ActorOf(Props.Create(() => new LateDeclaringActor()), "twin");
        var error = Assert.Throws<InvalidActorNameException>(() => System.ActorOf(Props.Create(() => new LateDeclaringActor()), "twin"));
        Assert.Contains("'twin'", error.Message);
        Assert.Contains("actortrain://test/user", error.Message);
        Assert.Throws<InvalidActorNameException>(() => System.ActorOf(Props.Create(() => new LateDeclaringActor()), "has space"));
        Assert.Throws<InvalidActorNameException>(() => System.ActorOf(Props.Create(() => new LateDeclaringActor()), "$reserved"));
    }
}
