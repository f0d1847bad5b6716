using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Scenarios;
using SellerDesk.Domain.Scenarios;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Scenarios;

/// <summary>Saved what-if scenarios (table <c>scenarios</c>, migration 0019) on a real PostgreSQL: round trip, names, workspaces.</summary>
public sealed class SavedScenariosTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private sealed class Contexts(TestDatabase database) : IDbContextFactory<SellerDeskDbContext>
    {
        public SellerDeskDbContext CreateDbContext() => new DbContextOptionsBuilder<SellerDeskDbContext>().UseNpgsqlFor(database);
    }

    private SavedScenarios Store => new(new Contexts(database), TimeProvider.System);

    private async Task<Guid> WorkspaceAsync()
    {
        var id = Guid.NewGuid();
        await using var command = database.DataSource.CreateCommand("INSERT INTO workspaces (id, name) VALUES ($1, $2)");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue("ws-" + id.ToString("N")[..8]);
        await command.ExecuteNonQueryAsync();
        return id;
    }

    private static readonly ScenarioAdjustment[] Adjustments =
    [
        new("wildberries", CommissionPp: 3m),
        new(ReturnsScale: 0.25m, PricePct: -10.5m),
        new("ozon", "vk_ads", AdSpendPct: -50m, LogisticsPct: 20m),
        new(),
    ];

    [Fact]
    public async Task A_saved_scenario_comes_back_with_its_name_and_every_adjustment_in_order()
    {
        var workspace = await WorkspaceAsync();
        var user = Guid.NewGuid();

        var (saved, problem) = await Store.SaveAsync(workspace, null, "  WB +3 pp and a price war  ", Adjustments, user, CancellationToken.None);

        problem.Should().Be(SaveScenarioProblem.None);
        var read = await Store.GetAsync(workspace, saved!.Id, CancellationToken.None);
        read!.Name.Should().Be("WB +3 pp and a price war");
        read.Adjustments.Should().Equal(Adjustments);
        (await Store.ListAsync(workspace, CancellationToken.None)).Select(s => s.Id).Should().Equal(saved.Id);

        await using var command = database.DataSource.CreateCommand("SELECT adjustments::text, created_by FROM scenarios WHERE workspace_id = $1 AND id = $2");
        command.Parameters.AddWithValue(workspace);
        command.Parameters.AddWithValue(saved.Id);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        reader.GetString(0).Should().Contain("\"commission_pp\": 3").And.Contain("\"returns_scale\": 0.25").And.NotContain("null", "absent fields are left out, as in the API");
        reader.GetGuid(1).Should().Be(user);
    }

    [Fact]
    public async Task Saving_again_under_its_id_renames_and_changes_it_and_a_taken_or_blank_name_is_refused()
    {
        var workspace = await WorkspaceAsync();
        var (first, _) = await Store.SaveAsync(workspace, null, "Logistics", [new(LogisticsPct: 20m)], null, CancellationToken.None);
        var (second, _) = await Store.SaveAsync(workspace, null, "No returns", [new(ReturnsScale: 0m)], null, CancellationToken.None);

        var (updated, problem) = await Store.SaveAsync(workspace, first!.Id, "Logistics +30", [new(LogisticsPct: 30m)], null, CancellationToken.None);

        problem.Should().Be(SaveScenarioProblem.None);
        updated!.Id.Should().Be(first.Id);
        (await Store.GetAsync(workspace, first.Id, CancellationToken.None))!.Adjustments.Should().Equal(new ScenarioAdjustment(LogisticsPct: 30m));
        (await Store.SaveAsync(workspace, second!.Id, "Logistics +30", [], null, CancellationToken.None)).Problem.Should().Be(SaveScenarioProblem.NameTaken);
        (await Store.SaveAsync(workspace, null, "logistics +30", [], null, CancellationToken.None)).Problem.Should().Be(SaveScenarioProblem.None, "names differ by case");
        (await Store.SaveAsync(workspace, null, "   ", [], null, CancellationToken.None)).Problem.Should().Be(SaveScenarioProblem.NameMissing);
        (await Store.ListAsync(workspace, CancellationToken.None)).Select(s => s.Name).Should().BeEquivalentTo("Logistics +30", "logistics +30", "No returns");
    }

    [Fact]
    public async Task Another_workspace_neither_sees_nor_changes_nor_deletes_a_scenario_and_the_owner_deletes_it()
    {
        var mine = await WorkspaceAsync();
        var theirs = await WorkspaceAsync();
        var (saved, _) = await Store.SaveAsync(mine, null, "Price war", [new(PricePct: -10m)], null, CancellationToken.None);

        (await Store.GetAsync(theirs, saved!.Id, CancellationToken.None)).Should().BeNull();
        (await Store.ListAsync(theirs, CancellationToken.None)).Should().BeEmpty();
        (await Store.DeleteAsync(theirs, saved.Id, CancellationToken.None)).Should().BeFalse();
        var (copy, _) = await Store.SaveAsync(theirs, saved.Id, "Price war", [new(PricePct: 50m)], null, CancellationToken.None);
        copy!.Id.Should().NotBe(saved.Id, "an id of another workspace saves a new scenario of one's own");
        (await Store.GetAsync(mine, saved.Id, CancellationToken.None))!.Adjustments.Should().Equal(new ScenarioAdjustment(PricePct: -10m));

        (await Store.DeleteAsync(mine, saved.Id, CancellationToken.None)).Should().BeTrue();
        (await Store.GetAsync(mine, saved.Id, CancellationToken.None)).Should().BeNull();
    }
}
