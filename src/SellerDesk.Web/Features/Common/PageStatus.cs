namespace SellerDesk.Web.Features.Common;

/// <summary>Where a page's data stands.</summary>
public enum PageStatus
{
    /// <summary>The first load has not finished.</summary>
    Loading,

    /// <summary>Data is shown.</summary>
    Ready,

    /// <summary>Start-up has not created the workspace yet (first start, migrations running).</summary>
    Starting,

    /// <summary>PostgreSQL does not answer; the page retries by itself.</summary>
    DatabaseUnavailable,

    /// <summary>Something else failed; logged, and the page retries by itself.</summary>
    Failed,
}
