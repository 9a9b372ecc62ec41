using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Kernel;

// Failure of this actor (suspend and report to the parent) and supervision of failing children.
internal sealed partial class ActorCell
{
    private bool _failed;
    private object? _failedMessage;
    private Exception? _pendingRecreateCause;
    private Dictionary<IActorRef, RestartStatistics>? _restartStatistics;

    /// <summary>
    /// This actor threw: stop processing user messages and ask the parent for a directive
    /// (Resume / Recreate / Terminate arrive as system messages).
    /// </summary>
    private void HandleInvokeFailure(Exception cause)
    {
        if (_terminating)
        {
            Log.LogError(cause, "{Path} failed while stopping; the failure is ignored", _self.Path);
            return;
        }
        if (_failed)
        {
            Log.LogError(cause, "{Path} failed again while waiting for its supervisor's decision", _self.Path);
            return;
        }
        _failed = true;
        _failedMessage = _currentMessage;
        if (_parent is null)
        {
            _system.KernelLog.LogCritical(cause, "The root guardian failed; terminating actor system {System}", _system.Name);
            HandleTerminate();
            return;
        }
        _parent.SendSystemMessage(new Failed(_self, cause));
    }

    private void HandleChildFailed(Failed failed)
    {
        var child = failed.Child;
        if (GetChild(child.Path.Name) is not { } liveChild || !liveChild.Equals(child)) return; // already gone
        if (_terminating) return; // the child is being stopped anyway
        var strategy = _props.SupervisorStrategy ?? _actor?.InvokeSupervisorStrategy() ?? Kernel.SupervisorStrategy.DefaultStrategy;
        var directive = strategy.Decide(failed.Cause);
        var targets = strategy.AppliesToAllChildren ? ChildRefs().ToList() : [liveChild];
        switch (directive)
        {
            case Directive.Resume:
                LogFailure(child, failed.Cause, LogLevel.Warning, "Resume");
                child.SendSystemMessage(Resume.Instance);
                break;
            case Directive.Restart:
                var statistics = _restartStatistics ??= [];
                if (!statistics.TryGetValue(child, out var childStatistics))
                    statistics[child] = childStatistics = new RestartStatistics();
                if (childStatistics.RequestRestartPermission(strategy))
                {
                    LogFailure(child, failed.Cause, LogLevel.Error, "Restart");
                    foreach (var target in targets) target.SendSystemMessage(new Recreate(failed.Cause));
                }
                else
                {
                    LogFailure(child, failed.Cause, LogLevel.Error,
                        $"Stop (restart budget of {strategy.MaxNrOfRetries} within {strategy.WithinTimeRange?.ToString() ?? "its lifetime"} exhausted)");
                    foreach (var target in targets) StopChild(target);
                }
                break;
            case Directive.Stop:
                LogFailure(child, failed.Cause, LogLevel.Error, "Stop");
                foreach (var target in targets) StopChild(target);
                break;
            default:
                // Escalate: this actor fails with the child's exception; our own supervisor decides about us.
                _currentMessage = null;
                HandleInvokeFailure(failed.Cause);
                break;
        }
    }

    private void LogFailure(IActorRef child, Exception cause, LogLevel level, string decision) =>
        _system.SupervisionLog.Log(level, cause,
            "Actor {Child} failed with {ExceptionType}: {Reason}; supervisor {Supervisor} decided: {Directive}",
            child.Path, cause.GetType().Name, cause.Message, _self.Path, decision);
}
