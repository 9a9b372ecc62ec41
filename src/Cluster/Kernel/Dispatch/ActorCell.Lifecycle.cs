using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Kernel;

// Creation, restart and termination of the actor instance, and dispatch of system messages.
internal sealed partial class ActorCell
{
    private volatile bool _terminating;
    private volatile bool _terminated;

    /// <summary>True once the actor has fully stopped (PostStop done, watchers notified).</summary>
    internal bool IsTerminated => _terminated;

    private void ProcessSystemMessages()
    {
        while (_pendingTask is null && _mailbox.TryDequeueSystem(out var message))
        {
            if (_terminated)
            {
                HandleSystemMessageAfterTermination(message);
                continue;
            }
            try
            {
                HandleSystemMessage(message);
            }
            catch (Exception e)
            {
                HandleInvokeFailure(e);
            }
        }
    }

    private void HandleSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Create: HandleCreate(); break;
            case Terminate: HandleTerminate(); break;
            case Failed failed: HandleChildFailed(failed); break;
            case ChildTerminated childTerminated: HandleChildTerminated(childTerminated.Child); break;
            case Resume: HandleResume(); break;
            case Recreate recreate: HandleRecreate(recreate.Cause); break;
            case Watch watch: HandleWatch(watch); break;
            case Unwatch unwatch: HandleUnwatch(unwatch); break;
            case DeathWatchNotification notification: HandleDeathWatchNotification(notification); break;
            case AddressTerminated addressTerminated: HandleAddressTerminated(addressTerminated.Address); break;
        }
    }

    private void HandleSystemMessageAfterTermination(SystemMessage message)
    {
        // A dead actor still answers watches, so that watching an already-stopped actor yields Terminated.
        if (message is Watch watch && watch.Watchee.Equals(_self) && !watch.Watcher.Equals(_self))
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(_self, ExistenceConfirmed: true, AddressTerminated: false));
    }

    private ActorBase NewInstance()
    {
        var previous = CreatingCell;
        CreatingCell = this;
        try
        {
            var actor = _props.NewActor();
            if (!ReferenceEquals(actor.Cell, this))
                throw new InvalidOperationException(
                    $"The Props factory for {_self.Path} returned an actor that was not created by it (reused instance?); return a new instance each call.");
            actor.AfterConstruction();
            ResetBehaviors(actor);
            return actor;
        }
        finally
        {
            CreatingCell = previous;
        }
    }

    private void HandleCreate()
    {
        try
        {
            _actor = NewInstance();
            _actor.InvokePreStart();
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e is ActorInitializationException ? e : new ActorInitializationException(_self, e));
        }
    }

    private void HandleResume()
    {
        if (!_failed) return;
        _failed = false;
        _failedMessage = null;
        _currentMessage = null;
        _currentSender = null;
        // A resumed escalation also resumes the child that caused it.
        foreach (var child in ChildRefs()) child.SendSystemMessage(Resume.Instance);
    }

    private void HandleRecreate(Exception cause)
    {
        if (_terminating) return;
        if (_actor is null)
        {
            // Construction failed: there is no old instance to notify.
            FinishRecreate(cause);
            return;
        }
        try
        {
            _actor.InvokePreRestart(cause, _failedMessage);
        }
        catch (Exception e)
        {
            Log.LogError(e, "PreRestart of {Path} threw; restarting anyway", _self.Path);
        }
        UnstashAll(); // stashed messages survive a restart
        _pendingRecreateCause = cause;
        if (_childrenStopping is not { Count: > 0 }) FinishRecreate(cause);
        // else: FinishRecreate runs when the last stopping child has terminated (names are free again).
    }

    private void FinishRecreate(Exception cause)
    {
        _pendingRecreateCause = null;
        _failed = false;
        _failedMessage = null;
        _currentMessage = null;
        _currentSender = null;
        try
        {
            _actor = NewInstance();
            _actor.InvokePostRestart(cause);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e is ActorInitializationException ? e : new ActorInitializationException(_self, e));
            return;
        }
        foreach (var survivor in ChildRefs()) survivor.SendSystemMessage(new Recreate(cause));
    }

    /// <summary>Starts stopping: children first; PostStop and notifications follow once all children are gone.</summary>
    private void HandleTerminate()
    {
        if (_terminating) return;
        _terminating = true;
        _pendingRecreateCause = null;
        bool hasChildren = false;
        foreach (var child in ChildRefs())
        {
            hasChildren = true;
            StopChild(child);
        }
        if (!hasChildren) FinishTerminate();
    }

    private void FinishTerminate()
    {
        if (_terminated) return;
        try
        {
            _actor?.InvokePostStop();
        }
        catch (Exception e)
        {
            Log.LogError(e, "PostStop of {Path} threw", _self.Path);
        }
        _terminated = true;
        _actor = null;
        _behaviors.Clear();
        _currentBehavior = static _ => false;
        _currentMessage = null;
        _currentSender = null;
        DropStash();
        NotifyWatchersAndUnwatchAll();
        if (_parent is not null) _parent.SendSystemMessage(new ChildTerminated(_self));
        else _system.OnRootGuardianTerminated();
        DrainToDeadLetters();
    }

    private void DropStash()
    {
        if (_stash is not null)
        {
            foreach (var envelope in _stash) _system.PublishDeadLetter(envelope.Message, envelope.Sender, _self);
            _stash = null;
        }
        if (_unstashed is not null)
        {
            for (int i = _unstashed.Count - 1; i >= 0; i--)
                _system.PublishDeadLetter(_unstashed[i].Message, _unstashed[i].Sender, _self);
            _unstashed = null;
        }
    }

    private void DrainToDeadLetters()
    {
        while (_mailbox.TryDequeueUser(out var envelope))
            _system.PublishDeadLetter(envelope.Message, envelope.Sender, _self);
    }
}
