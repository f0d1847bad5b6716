using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>One problem row of a rejected upload.</summary>
public sealed record UploadProblemView(string Line, string Column, string Message);

public sealed class UploadPage(IPage page) : AppPage(page)
{
    public ILocator ExpectedHeader => Page.Locator("[data-testid=expected-header] .header-line");

    public ILocator Result => Page.Locator("[data-testid=upload-result]");

    public ILocator Rejected => Page.Locator("[data-testid=upload-rejected]");

    public ILocator NothingWritten => Page.Locator("[data-testid=nothing-written]");

    public async Task OpenAsync() => await GotoAsync("upload");

    /// <summary>Picks the kind with the keyboard-reachable radio button (sales, returns, ad_spend, fees, costs).</summary>
    public async Task ChooseKindAsync(string kind) => await Page.Locator($"#kind-{kind}").CheckAsync();

    public async Task ChooseFileAsync(string name, string content) =>
        await ChooseFileAsync(name, System.Text.Encoding.UTF8.GetBytes(content), "text/csv");

    public async Task ChooseFileAsync(string name, byte[] content, string mimeType)
    {
        // The circuit is up before the file input listens: Blazor's InputFile wires its change handler from its own
        // first after-render call (it sets _blazorInputFileNextFileId then). A file set before that is never seen.
        await Page.WaitForFunctionAsync("() => document.querySelector('#ledger-file')?._blazorInputFileNextFileId !== undefined");
        await Page.Locator("#ledger-file").SetInputFilesAsync(new FilePayload { Name = name, MimeType = mimeType, Buffer = content });
    }

    public async Task ImportAsync()
    {
        await Page.Locator("[data-testid=upload-submit]:not([disabled])").ClickAsync();
        await Result.Or(Page.Locator("[data-testid=upload-failure]")).WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
    }

    public async Task<decimal?> CountAsync(string name) => Number(await Page.Locator($"[data-testid=upload-{name}]").InnerTextAsync());

    public async Task<IReadOnlyList<UploadProblemView>> ProblemsAsync()
    {
        var rows = await Page.Locator("[data-testid=upload-errors] tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => ['line', 'column', 'message'].map(n => (r.querySelector(`[data-cell=${n}]`)?.innerText ?? '').trim()))");
        return rows.Select(r => new UploadProblemView(r[0], r[1], r[2])).ToList();
    }
}
