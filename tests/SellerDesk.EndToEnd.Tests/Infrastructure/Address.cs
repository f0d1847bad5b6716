using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Waits for the page's address to change in place (history.pushState from Blazor's navigation), without evaluating
/// script in the page: the app's Content-Security-Policy refuses eval, and WaitForURLAsync waits for a load event
/// that an in-place change never fires.
/// </summary>
public static class Address
{
    public static async Task WaitForAsync(IPage page, Func<string, bool> matches, int timeoutMs = 15_000)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(matches);
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!matches(page.Url))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The address did not change as expected within {timeoutMs} ms; it is {page.Url}.");
            }

            await Task.Delay(100);
        }
    }
}
