using Xunit;
using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Tests.Kernel;

public sealed class AskTests : KernelTestBase
{
    private sealed record Square(int Value);

    private sealed record Divide(int Numerator, int Denominator);

    private sealed class Calculator : ReceiveActor
    {
        public Calculator()
        {
            Receive<Square>(s => Sender.Tell(s.Value * s.Value));
            Receive<Divide>(d =>
            {
                try
                {
                    Sender.Tell(d.Numerator / d.Denominator);
                }
                catch (DivideByZeroException e)
                {
                    Sender.Tell(new Status.Failure(e));
                }
            });
            Receive<string>(_ => { }); // never replies
        }
    }

    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var calculator = System.ActorOf(Props.Create(() => new Calculator()));
        Assert.Equal(49, await calculator.Ask<int>(new Square(7), Timeout));
    }

    [Fact]
    public async Task Ask_timeout_names_target_message_type_and_timeout()
    {
        var calculator = System.ActorOf(Props.Create(() => new Calculator()), "silent");
        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => calculator.Ask<int>("hello?", TimeSpan.FromMilliseconds(100)));
        Assert.IsAssignableFrom<TimeoutException>(error);
        Assert.Contains("actortrain://test/user/silent", error.Message);
        Assert.Contains("System.String", error.Message);
        Assert.Contains("100 ms", error.Message);
    }

    [Fact]
    public async Task Status_Failure_reply_fails_the_Ask_with_its_cause()
    {
        var calculator = System.ActorOf(Props.Create(() => new Calculator()));
        await Assert.ThrowsAsync<DivideByZeroException>(() => calculator.Ask<int>(new Divide(1, 0), Timeout));
        Assert.Equal(3, await calculator.Ask<int>(new Divide(7, 2), Timeout));
    }

    [Fact]
    public async Task Reply_of_the_wrong_type_names_both_types()
    {
        var calculator = System.ActorOf(Props.Create(() => new Calculator()));
        var error = await Assert.ThrowsAsync<InvalidCastException>(() => calculator.Ask<string>(new Square(2), Timeout));
        Assert.Contains("System.String", error.Message);
        Assert.Contains("System.Int32", error.Message);
    }

    [Fact]
    public async Task Canceled_Ask_throws_OperationCanceledException()
    {
        var calculator = System.ActorOf(Props.Create(() => new Calculator()));
        using var cancel = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calculator.Ask<int>("never", Timeout, cancel.Token));
    }

    [Fact]
    public async Task Many_concurrent_Asks_each_get_their_own_reply()
    {
        var calculator = System.ActorOf(Props.Create(() => new Calculator()));
        var replies = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => calculator.Ask<int>(new Square(i), Timeout)));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i * i), replies);
    }
}
