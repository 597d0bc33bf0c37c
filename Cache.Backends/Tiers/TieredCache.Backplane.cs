using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.Tiers;

// The tier on the backplane: every change is announced; another node's announcement drops the L1 copy (a tag eviction
// drops the tag's stamp); a lost connection shortens new copies and a regained one empties L1, because messages were
// missed meanwhile.
public sealed partial class TieredCache
{
    /// <summary>Announces a change; a backplane failure is logged and counted, never thrown: the write itself happened.</summary>
    private async Task Publish(BackplaneMessage message)
    {
        if (Options.Backplane.Case is not IBackplane backplane) return;
        try
        {
            await backplane.PublishAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CacheBackendException or TimeoutException or InvalidOperationException or ObjectDisposedException)
        {
            _logger.LogWarning(e, "Tiered cache: the backplane could not announce {Kind} of '{Key}'; other nodes keep their copies for at most their L1 timeout: {Failure}", message.Kind, message.Key, e.Message);
            FailureAnswered?.Invoke(e as CacheBackendException ?? new CacheBackendException(e.Message, e));
        }
    }

    private Task PublishChanged(string key, int version) => Publish(BackplaneMessage.KeyChanged(NodeId, key, version));

    private void OnMessage(BackplaneMessage message)
    {
        if (message.NodeId == NodeId) return;
        switch (message.Kind)
        {
            case BackplaneMessageKind.KeyChanged:
                Forget(Invalidate(message.Key, message.Version));
                break;
            case BackplaneMessageKind.TagEvicted:
                // Only the tag's stamp: a tagged copy checks its stamps on every read, so once the stamp is re-read from
                // L2 every copy written before the eviction reads as a miss, and the untagged copies stay.
                Forget(Invalidate(Tags.TagStamp.KeyOf(message.Key), _l2.Policy.Version));
                break;
            default:
                DropAll();
                break;
        }
    }

    private void OnConnectionChanged(bool connected)
    {
        if (!connected)
        {
            lock (_connectionLock) _backplaneDown = true;
            _logger.LogWarning("Tiered cache: the backplane is disconnected; new L1 copies live at most {Timeout}", Options.BackplaneDownL1Timeout);
            return;
        }
        // Emptied before the normal lifetime resumes, so no copy that missed an invalidation survives the outage.
        DropAll();
        lock (_connectionLock) _backplaneDown = false;
        _logger.LogInformation("Tiered cache: the backplane is back; L1 emptied");
    }

    private void DropAll()
    {
        Interlocked.Increment(ref _clears);
        Forget(_l1.ClearAsync());
    }

    // An L1 is in-process and completes at once; a slow one must not hold up the backplane's delivery thread.
    private void Forget(Task task)
    {
        if (task.IsCompleted) { _ = task.Exception; return; }
        task.ContinueWith(t => _logger.LogWarning(t.Exception, "Tiered cache: dropping an L1 copy failed"), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
