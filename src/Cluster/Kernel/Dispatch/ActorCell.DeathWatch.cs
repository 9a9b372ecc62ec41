namespace ActorTrain.Cluster.Kernel;

// DeathWatch: who this actor watches, who watches it, and turning notifications into Terminated messages.
internal sealed partial class ActorCell
{
    private HashSet<IActorRef>? _watching;
    private HashSet<IActorRef>? _watchedBy;
    private HashSet<IActorRef>? _terminatedQueued;

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Equals(_self)) return subject;
        if ((_watching ??= []).Add(subject))
        {
            if (!_system.Provider.IsLocalAddress(subject.Path.Address))
                _system.LocalProvider.RegisterRemoteWatcher(this);
            subject.SendSystemMessage(new Watch(subject, _self));
        }
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (_watching?.Remove(subject) == true)
            subject.SendSystemMessage(new Unwatch(subject, _self));
        _terminatedQueued?.Remove(subject);
        return subject;
    }

    private void HandleWatch(Watch watch)
    {
        if (watch.Watchee.Equals(_self) && !watch.Watcher.Equals(_self))
            (_watchedBy ??= []).Add(watch.Watcher);
    }

    private void HandleUnwatch(Unwatch unwatch)
    {
        if (unwatch.Watchee.Equals(_self)) _watchedBy?.Remove(unwatch.Watcher);
    }

    private void HandleDeathWatchNotification(DeathWatchNotification notification)
    {
        if (_watching?.Remove(notification.Actor) != true || _terminating) return;
        // Delivered through the user mailbox (ordered after messages the dead actor sent us), as in Akka.
        (_terminatedQueued ??= []).Add(notification.Actor);
        _mailbox.Post(new TerminatedDelivery(new Terminated(notification.Actor, notification.ExistenceConfirmed, notification.AddressTerminated)), notification.Actor);
    }

    private void HandleAddressTerminated(Address address)
    {
        if (_watching is not null)
        {
            foreach (var watched in _watching.Where(w => w.Path.Address.Equals(address)).ToList())
                HandleDeathWatchNotification(new DeathWatchNotification(watched, ExistenceConfirmed: false, AddressTerminated: true));
        }
        _watchedBy?.RemoveWhere(w => w.Path.Address.Equals(address));
    }

    private void NotifyWatchersAndUnwatchAll()
    {
        if (_watchedBy is not null)
        {
            foreach (var watcher in _watchedBy)
                watcher.SendSystemMessage(new DeathWatchNotification(_self, ExistenceConfirmed: true, AddressTerminated: false));
            _watchedBy = null;
        }
        if (_watching is not null)
        {
            foreach (var watched in _watching) watched.SendSystemMessage(new Unwatch(watched, _self));
            _watching = null;
        }
        _terminatedQueued = null;
        _system.LocalProvider.UnregisterRemoteWatcher(this);
    }
}
