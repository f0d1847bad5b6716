namespace SellerDesk.Web.Features.Comparisons;

/// <summary>
/// Figures a component adds to the report it shows (comparisons, LTV by first SKU), loaded once per key after the
/// report itself is on screen (from <c>OnAfterRenderAsync</c>: only on the live page, never twice for one key). A failure leaves the page as
/// it is, without changes, and is logged: what it loads never takes the page down with it.
/// </summary>
public sealed class LoadSlot<T>
    where T : class
{
    private object? _key;

    public T? Value { get; private set; }

    /// <summary>Loads for <paramref name="key"/> unless done or under way; true when <see cref="Value"/> changed.</summary>
    public async Task<bool> RefreshAsync(object? key, Func<CancellationToken, Task<T>> load, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(logger);
        if (key is null || Equals(key, _key))
        {
            return false;
        }

        _key = key;
        try
        {
            var value = await load(cancellationToken);
            if (!Equals(key, _key))
            {
                return false;
            }

            Value = value;
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Figures loaded after the report failed; the page shows the report without them");
            _key = null;
            return false;
        }
    }
}
