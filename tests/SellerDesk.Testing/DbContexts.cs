using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;

namespace SellerDesk.Testing;

public static class DbContexts
{
    /// <summary>A context over a test database, for arranging data the API has no way to write.</summary>
    public static SellerDeskDbContext UseNpgsqlFor(this DbContextOptionsBuilder<SellerDeskDbContext> builder, TestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        return new SellerDeskDbContext(builder.UseNpgsql(database.DataSource).Options);
    }
}
