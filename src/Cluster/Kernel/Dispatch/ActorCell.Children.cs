using System.Collections.Concurrent;

namespace ActorTrain.Cluster.Kernel;

// Children: creation with unique names, lookup by name (also from other threads), and their termination.
internal sealed partial class ActorCell
{
    private ConcurrentDictionary<string, LocalActorRef>? _children;
    private HashSet<IActorRef>? _childrenStopping;
    private long _nextChildId;

    public IEnumerable<IActorRef> Children => ChildRefs();

    public IActorRef? Child(string name) => GetChild(name);

    /// <summary>The live child named <paramref name="name"/>; safe to call from any thread (path lookup).</summary>
    internal LocalActorRef? GetChild(string name) =>
        _children is { } children && children.TryGetValue(name, out var child) ? child : null;

    private IEnumerable<LocalActorRef> ChildRefs() => _children?.Values ?? Enumerable.Empty<LocalActorRef>();

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (_terminating)
            throw new InvalidOperationException($"Cannot create child '{name}' of {_self.Path}: that actor is stopping.");
        name = name is null ? GenerateName() : ValidateName(name);
        var children = _children ?? Interlocked.CompareExchange(ref _children, new(StringComparer.Ordinal), null) ?? _children!;
        var cell = new ActorCell(_system, _self.Path.Child(name), props, _self);
        if (!children.TryAdd(name, cell.SelfRef))
            throw new InvalidActorNameException(
                $"Actor name '{name}' is not unique under {_self.Path}: a child with that name is alive or still stopping. " +
                "Choose another name, or wait for its Terminated before reusing the name.");
        if (_terminating)
        {
            // Raced with Stop (possible for guardians, whose ActorOf is called from any thread).
            children.TryRemove(new KeyValuePair<string, LocalActorRef>(name, cell.SelfRef));
            throw new InvalidOperationException($"Cannot create child '{name}' of {_self.Path}: that actor is stopping.");
        }
        cell.Start();
        return cell.SelfRef;
    }

    private string GenerateName()
    {
        long id = Interlocked.Increment(ref _nextChildId);
        return "$" + Base36(id);
    }

    private static string Base36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        Span<char> buffer = stackalloc char[16];
        int position = buffer.Length;
        do
        {
            buffer[--position] = digits[(int)(value % 36)];
            value /= 36;
        } while (value > 0);
        return new string(buffer[position..]);
    }

    private string ValidateName(string name)
    {
        if (name.Length == 0)
            throw new InvalidActorNameException($"An actor name under {_self.Path} must not be empty.");
        if (name[0] == '$')
            throw new InvalidActorNameException(
                $"Actor name '{name}' under {_self.Path} must not start with '$' (reserved for generated names).");
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-_.*$+:@&=,!~';".Contains(c)))
                throw new InvalidActorNameException(
                    $"Actor name '{name}' under {_self.Path} contains '{c}'; use ASCII letters, digits and -_.*$+:@&=,!~'; only.");
        }
        return name;
    }

    /// <summary>Stops an actor asynchronously: a local one through its cell, a remote one with a PoisonPill.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is LocalActorRef local && GetChild(local.Path.Name) is { } child && child.Equals(local))
            StopChild(child);
        else
            _system.Stop(actor);
    }

    private void StopChild(IActorRef child)
    {
        (_childrenStopping ??= []).Add(child);
        child.SendSystemMessage(Terminate.Instance);
    }

    private void HandleChildTerminated(IActorRef child)
    {
        if (child is LocalActorRef local)
            _children?.TryRemove(new KeyValuePair<string, LocalActorRef>(local.Path.Name, local));
        _childrenStopping?.Remove(child);
        _restartStatistics?.Remove(child);
        if (_terminating)
        {
            if (_children is not { IsEmpty: false }) FinishTerminate();
        }
        else if (_pendingRecreateCause is { } cause && _childrenStopping is not { Count: > 0 })
        {
            FinishRecreate(cause);
        }
    }
}
