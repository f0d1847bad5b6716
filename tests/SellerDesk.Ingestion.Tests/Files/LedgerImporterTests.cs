using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;
using static SellerDesk.Ingestion.Tests.Files.LedgerTestFiles;

namespace SellerDesk.Ingestion.Tests.Files;

public sealed class LedgerImporterTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string SalesHeader = "marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees";
    private const string ReturnsHeader = "marketplace,order_id,line_id,return_id,returned_at,quantity,refund";

    private readonly LedgerImporter _importer = new(database.DataSource);

    private static readonly (LedgerFileKind Kind, string File)[] TinyFiles =
    [
        (LedgerFileKind.Costs, "costs.csv"),
        (LedgerFileKind.Sales, "sales.csv"),
        (LedgerFileKind.Returns, "returns.csv"),
        (LedgerFileKind.AdSpend, "ad_spend.csv"),
        (LedgerFileKind.Fees, "fees.csv"),
    ];

    [Fact]
    public async Task Importing_the_tiny_files_stores_every_row()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var results = await ImportTinyAsync(workspace);

        results.Should().OnlyContain(r => r.Succeeded && r.Updated == 0 && r.Warnings.Count == 0);
        results.Select(r => (r.Kind, r.Rows, r.Inserted)).Should().Equal(
            (LedgerFileKind.Costs, 3, 3),
            (LedgerFileKind.Sales, 13, 13),
            (LedgerFileKind.Returns, 3, 3),
            (LedgerFileKind.AdSpend, 8, 8),
            (LedgerFileKind.Fees, 3, 3));
        (await CountAsync(workspace)).Should().Be(new LedgerCounts(13, 3, 8, 3, 3));
        (await ScalarAsync<decimal>("SELECT sum(revenue) FROM sales_lines WHERE workspace_id = $1", workspace)).Should().Be(11570m);
        (await ScalarAsync<DateTime>(
            "SELECT ordered_at FROM sales_lines WHERE workspace_id = $1 AND order_id = 'S3'", workspace))
            .Should().Be(new DateTime(2026, 1, 31, 22, 30, 0, DateTimeKind.Utc));
        (await ScalarAsync<bool>(
            "SELECT restockable FROM returns WHERE workspace_id = $1 AND return_id = 'R2'", workspace)).Should().BeFalse();
    }

    [Fact]
    public async Task Importing_the_same_files_again_inserts_and_updates_nothing()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        await ImportTinyAsync(workspace);

        var again = await ImportTinyAsync(workspace);

        again.Should().OnlyContain(r => r.Succeeded && r.Inserted == 0 && r.Updated == 0);
        (await CountAsync(workspace)).Should().Be(new LedgerCounts(13, 3, 8, 3, 3));
    }

    [Fact]
    public async Task A_changed_row_is_updated_not_duplicated()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        await ImportTinyAsync(workspace);

        var result = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader,
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,2,1100,0,150,20,0",
            "own_store,S1,2,2026-01-10T12:00:00+03:00,c1,vk_ads,TEE-02,1,900.00,0,0,18,0",
            "own_store,S9,1,2026-03-20T12:00:00+03:00,c9,organic,MUG-01,1,500,0,100,10,0"));

        result.Should().Be(result with { Rows = 3, Inserted = 1, Updated = 1 });
        result.Errors.Should().BeEmpty();
        (await CountAsync(workspace)).Sales.Should().Be(14);
        (await ScalarAsync<decimal>(
            "SELECT revenue FROM sales_lines WHERE workspace_id = $1 AND order_id = 'S1' AND line_id = '1'", workspace)).Should().Be(1100m);
    }

    [Fact]
    public async Task A_file_may_change_an_order_attribute_when_it_replaces_all_the_orders_lines()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        await ImportTinyAsync(workspace);

        var result = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader,
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c7,vk_ads,MUG-01,2,1000,0,150,20,0",
            "own_store,S1,2,2026-01-10T12:00:00+03:00,c7,vk_ads,TEE-02,1,900,0,0,18,0"));

        result.Errors.Should().BeEmpty();
        result.Updated.Should().Be(2);
    }

    [Fact]
    public async Task A_semicolon_file_imports_the_same_numbers_as_the_comma_file()
    {
        var comma = await database.NewWorkspaceAsync("ledger import");
        var semicolon = await database.NewWorkspaceAsync("ledger import");
        string[] rows =
        [
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000.50,0,150.25,20.1,0",
            "ozon,O1,1,2026-01-05T08:00:00+03:00,,ozon_ads,MUG-01,1,600,90.75,80,0,0.01",
        ];

        var fromComma = await ImportAsync(comma, LedgerFileKind.Sales, Lines([SalesHeader, .. rows]));
        var fromSemicolon = await ImportAsync(semicolon, LedgerFileKind.Sales, Lines(
        [
            SalesHeader.Replace(',', ';'),
            .. rows.Select(r => string.Join(';', r.Split(',').Select(v => v.Replace('.', ',')))),
        ]));

        fromComma.Errors.Should().BeEmpty();
        fromSemicolon.Errors.Should().BeEmpty();
        const string Totals = """
            SELECT string_agg(concat_ws('|', marketplace, order_id, line_id, ordered_at, customer_id, channel, sku, quantity,
                                        revenue, commission, logistics, acquiring, other_fees), ';' ORDER BY marketplace, order_id)
            FROM sales_lines WHERE workspace_id = $1
            """;
        var stored = await ScalarAsync<string>(Totals, semicolon);
        stored.Should().Be(await ScalarAsync<string>(Totals, comma)).And.Contain("1000.50");
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_rejects_the_whole_file()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var result = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader,
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0",
            "own_store,S2,1,2026-02-15T10:00:00+03:00,c1,vk_ads,MUG-01,two,500,0,100,10,0"));

        result.Errors.Should().Equal(new ImportProblem(3, "quantity", "'two' is not a whole number"));
        result.Rows.Should().Be(2);
        (result.Inserted, result.Updated).Should().Be((0, 0));
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
    }

    [Fact]
    public async Task A_missing_column_rejects_the_file()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var result = await ImportAsync(workspace, LedgerFileKind.Costs, Lines("sku,unit_cost", "MUG-01,200"));

        result.Errors.Should().Equal(new ImportProblem(1, "valid_from", "required column 'valid_from' is missing"));
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
    }

    [Fact]
    public async Task A_bad_date_rejects_the_file()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var result = await ImportAsync(workspace, LedgerFileKind.Fees, Lines(
            "date,marketplace,kind,amount", "2026-01-31,wildberries,storage,320", "2026-02-30,wildberries,storage,300"));

        result.Errors.Should().Equal(new ImportProblem(3, "date", "'2026-02-30' is not a date (use YYYY-MM-DD or DD.MM.YYYY)"));
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
    }

    [Fact]
    public async Task An_empty_file_is_rejected()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var result = await ImportAsync(workspace, LedgerFileKind.Returns, string.Empty);

        result.Errors.Should().ContainSingle().Which.Message.Should().StartWith("the file is empty");
        result.Errors[0].Line.Should().Be(1);
    }

    [Fact]
    public async Task A_header_only_file_succeeds_with_no_rows()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var result = await ImportAsync(workspace, LedgerFileKind.Sales, SalesHeader);

        result.Should().BeEquivalentTo(new { Succeeded = true, Rows = 0, Inserted = 0, Updated = 0 });
    }

    [Fact]
    public async Task A_duplicate_key_in_a_file_is_rejected()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var result = await ImportAsync(workspace, LedgerFileKind.AdSpend, Lines(
            "date,marketplace,channel,amount",
            "2026-01-10,own_store,vk_ads,1500",
            "2026-01-11,own_store,vk_ads,100",
            "10.01.2026,own_store,vk_ads,1600"));

        result.Errors.Should().Equal(new ImportProblem(4, null, "duplicates line 2 (same date, marketplace and channel)"));
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
    }

    [Fact]
    public async Task Lines_of_one_order_that_disagree_within_a_file_are_rejected()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var result = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader,
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0",
            "own_store,S1,2,2026-01-10T12:00:00+03:00,c2,organic,TEE-02,1,900,0,0,18,0",
            "own_store,S1,3,2026-01-10T09:00:00Z,c1,vk_ads,TEE-02,1,900,0,0,18,0",
            "own_store,S1,4,2026-01-10T09:00:01Z,c1,vk_ads,TEE-02,1,900,0,0,18,0"));

        result.Errors.Select(e => e.ToString()).Should().Equal(
            "line 3, column customer_id: customer_id 'c2' differs from 'c1' on line 2 of the same order S1",
            "line 3, column channel: channel 'organic' differs from 'vk_ads' on line 2 of the same order S1",
            "line 5, column ordered_at: ordered_at 2026-01-10T12:00:01+03:00 differs from 2026-01-10T12:00:00+03:00 on line 2 of the same order S1");
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
    }

    [Fact]
    public async Task A_first_import_with_a_repeated_key_and_a_disagreeing_line_lists_both_duplicates_first()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var result = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader,
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0",
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c1,organic,MUG-01,2,1000,0,150,20,0",
            "own_store,S2,1,2026-01-11T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0"));

        result.Errors.Select(e => e.ToString()).Should().Equal(
            "line 3: duplicates line 2 (same marketplace, order_id and line_id)",
            "line 3, column channel: channel 'organic' differs from 'vk_ads' on line 2 of the same order S1");
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
    }

    [Fact]
    public async Task A_repeated_key_is_rejected_when_the_ledger_already_holds_that_key_and_nothing_is_changed()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        var first = await ImportAsync(workspace, LedgerFileKind.AdSpend, Lines(
            "date,marketplace,channel,amount",
            "2026-01-10,own_store,vk_ads,1500"));
        first.Succeeded.Should().BeTrue();

        var result = await ImportAsync(workspace, LedgerFileKind.AdSpend, Lines(
            "date,marketplace,channel,amount",
            "2026-01-10,own_store,vk_ads,1700",
            "2026-01-11,own_store,vk_ads,100",
            "10.01.2026,own_store,vk_ads,1600"));

        result.Errors.Should().Equal(new ImportProblem(4, null, "duplicates line 2 (same date, marketplace and channel)"));
        (await ScalarAsync<decimal>("SELECT sum(amount) FROM ad_spend WHERE workspace_id = $1", workspace)).Should().Be(1500m);
    }

    [Fact]
    public async Task Lines_of_one_order_apart_in_the_file_are_checked_against_its_first_line()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var rejected = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader,
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0",
            "own_store,S2,1,2026-01-11T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0",
            "own_store,S1,2,2026-01-10T12:00:00+03:00,c1,organic,TEE-02,1,900,0,0,18,0"));
        var accepted = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader,
            "own_store,S1,1,2026-01-10T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0",
            "own_store,S2,1,2026-01-11T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0",
            "own_store,S1,2,2026-01-10T09:00:00Z,c1,vk_ads,TEE-02,1,900,0,0,18,0"));

        rejected.Errors.Select(e => e.ToString()).Should().Equal(
            "line 4, column channel: channel 'organic' differs from 'vk_ads' on line 2 of the same order S1");
        accepted.Succeeded.Should().BeTrue();
        accepted.Inserted.Should().Be(3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_that_breaks_off_mid_file_fails_with_its_own_error_and_writes_nothing(bool timesOut)
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        var text = new StringBuilder(SalesHeader).Append('\n');
        for (var i = 0; i < 30_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"ozon,O{i},1,2026-01-05T08:00:00+03:00,k1,ozon_ads,MUG-01,1,600,90,80,0,0\n");
        }

        await using var body = new BreakingStream(Utf8(text.ToString()), breakAfter: 1_000_000, timesOut);

        var import = () => _importer.ImportAsync(workspace, TimeZoneInfo.Utc, LedgerFileKind.Sales, body, null);

        var thrown = await import.Should().ThrowAsync<Exception>();
        thrown.Which.Should().BeOfType(timesOut ? typeof(TimeoutException) : typeof(IOException));
        thrown.Which.Message.Should().Be("the client went away");
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
        var after = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(SalesHeader, "ozon,O1,1,2026-01-05T08:00:00+03:00,k1,ozon_ads,MUG-01,1,600,90,80,0,0"));
        after.Inserted.Should().Be(1);
    }

    /// <summary>A body that throws, as a dropped connection does, after some bytes.</summary>
    private sealed class BreakingStream(Stream inner, long breakAfter, bool timesOut) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= breakAfter)
            {
                throw timesOut ? new TimeoutException("the client went away") : new IOException("the client went away");
            }

            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, breakAfter - _read)], cancellationToken);
            _read += read;
            return read;
        }

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task A_line_without_the_customer_id_its_order_has_elsewhere_in_the_file_is_rejected()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var result = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader,
            "ozon,O1,1,2026-01-05T08:00:00+03:00,,ozon_ads,MUG-01,1,600,90,80,0,0",
            "ozon,O1,2,2026-01-05T08:00:00+03:00,k1,ozon_ads,TEE-02,1,900,90,80,0,0"));

        result.Errors.Should().Equal(new ImportProblem(
            3, "customer_id", "customer_id 'k1' differs from (empty) on line 2 of the same order O1"));
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
    }

    [Fact]
    public async Task Set_checks_list_at_most_100_problems_and_count_the_rest()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        var text = new StringBuilder("sku,valid_from,unit_cost\n");
        for (var i = 0; i < 151; i++)
        {
            text.Append("MUG-01,2025-01-01,200\n");
        }

        var result = await ImportAsync(workspace, LedgerFileKind.Costs, text.ToString());

        result.Errors.Should().HaveCount(101);
        result.Errors[0].Should().Be(new ImportProblem(3, null, "duplicates line 2 (same sku and valid_from)"));
        result.Errors[99].Line.Should().Be(102);
        result.Errors[100].ToString().Should().Be("line 103: and 50 more problems not listed");
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
    }

    [Fact]
    public async Task A_line_that_disagrees_with_a_stored_line_of_its_order_is_rejected()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        await ImportTinyAsync(workspace);
        var before = await CountAsync(workspace);

        var result = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader,
            "own_store,S1,3,2026-01-10T12:00:00+03:00,,vk_ads,CAP-03,1,300,0,0,6,0"));

        result.Errors.Should().Equal(new ImportProblem(
            2, "customer_id", "customer_id (empty) differs from 'c1' stored for line_id '1' of the same order S1"));
        (await CountAsync(workspace)).Should().Be(before);
    }

    [Fact]
    public async Task A_return_beyond_the_sold_quantity_is_rejected()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        await ImportTinyAsync(workspace);
        var before = await CountAsync(workspace);

        // W2/1 sold 3 units; R1 (stored, 1 unit) stays, so 1 + 1 + 2 > 3 on line 3.
        var result = await ImportAsync(workspace, LedgerFileKind.Returns, Lines(
            ReturnsHeader,
            "wildberries,W2,1,R4,2026-02-06T12:00:00+03:00,1,500",
            "wildberries,W2,1,R5,2026-02-07T12:00:00+03:00,2,1000",
            "own_store,S4,1,R3,2026-03-01T12:00:00+03:00,2,960"));

        result.Errors.Select(e => e.ToString()).Should().Equal(
            "line 3, column quantity: brings the units returned of sales line wildberries/W2/1 to 4, more than the 3 sold",
            "line 4, column quantity: brings the units returned of sales line own_store/S4/1 to 2, more than the 1 sold");
        (await CountAsync(workspace)).Should().Be(before);
    }

    [Fact]
    public async Task A_return_that_replaces_a_stored_one_counts_once()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        await ImportTinyAsync(workspace);

        var result = await ImportAsync(workspace, LedgerFileKind.Returns, Lines(
            ReturnsHeader, "wildberries,W2,1,R1,2026-02-05T12:00:00+03:00,3,1500"));

        result.Errors.Should().BeEmpty();
        result.Updated.Should().Be(1);
    }

    [Fact]
    public async Task A_return_for_an_unknown_sales_line_is_rejected()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        await ImportTinyAsync(workspace);
        var before = await CountAsync(workspace);

        var result = await ImportAsync(workspace, LedgerFileKind.Returns, Lines(
            ReturnsHeader,
            "wildberries,W1,1,R9,2026-01-21T12:00:00+03:00,0,0",
            "wildberries,W9,1,R8,2026-01-21T12:00:00+03:00,1,100"));

        // Line 2 has its own problem (quantity 0) and stops at the row rules; line 3 reaches the set checks only when
        // the file has no row problems, so fix line 2 and try again.
        result.Errors.Should().Equal(new ImportProblem(2, "quantity", "'0' is not a positive whole number"));

        result = await ImportAsync(workspace, LedgerFileKind.Returns, Lines(
            ReturnsHeader, "wildberries,W9,1,R8,2026-01-21T12:00:00+03:00,1,100"));

        result.Errors.Should().Equal(new ImportProblem(2, "order_id", "no sales line wildberries/W9/1"));
        (await CountAsync(workspace)).Should().Be(before);
    }

    [Fact]
    public async Task A_sales_reimport_with_fewer_units_than_already_returned_is_rejected()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        await ImportTinyAsync(workspace);

        var result = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader, "own_store,S4,1,2026-02-20T09:00:00+03:00,c3,vk_ads,MUG-01,1,480,0,100,10,0",
            "wildberries,W1,1,2026-01-12T14:00:00+03:00,,wb_ads,TEE-02,1,1000,250,70,0,0",
            "wildberries,W2,1,2026-01-25T14:00:00+03:00,,wb_ads,MUG-01,0,1500,375,210,0,0"));
        result.Errors.Should().Equal(new ImportProblem(4, "quantity", "'0' is not a positive whole number"));

        await ImportAsync(workspace, LedgerFileKind.Returns, Lines(ReturnsHeader, "wildberries,W2,1,R7,2026-02-06T12:00:00+03:00,2,1000"));
        result = await ImportAsync(workspace, LedgerFileKind.Sales, Lines(
            SalesHeader, "wildberries,W2,1,2026-01-25T14:00:00+03:00,,wb_ads,MUG-01,2,1000,250,140,0,0"));

        result.Errors.Should().Equal(new ImportProblem(2, "quantity", "quantity 2 is less than the 3 units already returned for this line"));
        (await ScalarAsync<int>(
            "SELECT quantity FROM sales_lines WHERE workspace_id = $1 AND order_id = 'W2'", workspace)).Should().Be(3);
    }

    [Fact]
    public async Task Rows_before_a_bad_row_are_not_written()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        var text = new StringBuilder("sku,valid_from,unit_cost\n");
        for (var i = 0; i < 25_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"SKU-{i},2026-01-01,{i}.5\n");
        }

        text.Append("SKU-X,2026-01-01,-1\n");
        var progress = new List<ImportProgress>();

        await using var stream = Utf8(text.ToString());
        var result = await _importer.ImportAsync(workspace, Moscow, LedgerFileKind.Costs, stream, new SyncProgress(progress), CancellationToken.None);

        result.Errors.Should().Equal(new ImportProblem(25_002, "unit_cost", "'-1' is negative (fees, costs and amounts are positive numbers)"));
        result.Rows.Should().Be(25_001);
        (await CountAsync(workspace)).Should().Be(LedgerCounts.None);
        progress.Select(p => p.RowsRead).Should().Equal(10_000, 20_000, 25_001);
        progress[^1].BytesRead.Should().Be(stream.Length);
    }

    [Fact]
    public async Task A_batch_of_records_is_written_in_one_transaction_with_the_same_checks()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        var orderedAt = new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.FromHours(3));
        var sale = new SaleLine("own_store", "D1", "1", orderedAt, "d1", "vk_ads", "MUG-01", 2, 1000m, 0m, 150m, 20m, 0m);
        var returned = new ReturnEvent("own_store", "D1", "1", "DR1", orderedAt.AddDays(3), 1, 500m, 0m, 50m, true, null);
        var batch = new LedgerBatch
        {
            Costs = [new UnitCost("MUG-01", new DateOnly(2025, 1, 1), 200m)],
            Sales = [sale],
            Returns = [returned],
            AdSpend = [new AdSpend(new DateOnly(2026, 1, 10), "own_store", "vk_ads", 1500m)],
            Fees = [new PeriodFee(new DateOnly(2026, 1, 31), "own_store", "storage", 10m)],
        };

        var written = await _importer.WriteAsync(workspace, batch, CancellationToken.None);
        var again = await _importer.WriteAsync(workspace, batch, CancellationToken.None);
        var tooMuch = await _importer.WriteAsync(
            workspace,
            new LedgerBatch
            {
                Sales = [sale with { Revenue = 1 }],
                Returns = [returned with { ReturnId = "DR2", Quantity = 2 }, returned with { ReturnId = "DR3", Quantity = 0 }],
            },
            CancellationToken.None);

        written.Should().BeEquivalentTo(new { Succeeded = true, Rows = 5, Inserted = 5, Updated = 0 });
        again.Should().BeEquivalentTo(new { Succeeded = true, Rows = 5, Inserted = 0, Updated = 0 });
        tooMuch.Errors.Select(e => e.ToString()).Should().Equal("returns item 2, column quantity: '0' is not a positive whole number");

        tooMuch = await _importer.WriteAsync(
            workspace,
            new LedgerBatch { Sales = [sale with { Revenue = 1 }], Returns = [returned with { ReturnId = "DR2", Quantity = 2 }] },
            CancellationToken.None);
        tooMuch.Errors.Select(e => e.ToString()).Should().Equal(
            "returns item 1, column quantity: brings the units returned of sales line own_store/D1/1 to 3, more than the 2 sold");
        (await CountAsync(workspace)).Should().Be(new LedgerCounts(1, 1, 1, 1, 1));
        (await ScalarAsync<decimal>("SELECT revenue FROM sales_lines WHERE workspace_id = $1", workspace)).Should().Be(1000m);
    }

    [Fact]
    public async Task A_batch_return_may_reference_a_sale_of_the_same_batch_but_not_an_unknown_one()
    {
        var workspace = await database.NewWorkspaceAsync("ledger import");
        var at = new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
        var sale = new SaleLine("ozon", "B1", "1", at, null, "organic", "TEE-02", 1, 900m, 0m, 0m, 0m, 0m);
        var returned = new ReturnEvent("ozon", "B1", "1", "BR1", at.AddDays(1), 1, 900m, 0m, 0m, false, "defect");

        var unknown = await _importer.WriteAsync(workspace, new LedgerBatch { Returns = [returned] }, CancellationToken.None);
        var both = await _importer.WriteAsync(workspace, new LedgerBatch { Sales = [sale], Returns = [returned] }, CancellationToken.None);

        unknown.Errors.Should().ContainSingle().Which.Should().Be(
            new ImportProblem(1, "order_id", "no sales line ozon/B1/1") { Kind = LedgerFileKind.Returns });
        both.Should().BeEquivalentTo(new { Succeeded = true, Inserted = 2 });
    }

    [Fact]
    public async Task The_importer_is_registered_with_the_shared_data_source()
    {
        var services = new ServiceCollection().AddSellerDeskData(database.ConnectionString).AddSellerDeskIngestion();
        await using var provider = services.BuildServiceProvider();
        var workspace = await database.NewWorkspaceAsync("ledger import");

        var importer = provider.GetRequiredService<LedgerImporter>();
        await using var stream = File.OpenRead(SharedExamples.Tiny("costs.csv"));
        var result = await importer.ImportAsync(workspace, Moscow, LedgerFileKind.Costs, stream, null, CancellationToken.None);

        result.Inserted.Should().Be(3);
    }

    private async Task<List<ImportResult>> ImportTinyAsync(Guid workspace)
    {
        var results = new List<ImportResult>();
        foreach (var (kind, file) in TinyFiles)
        {
            await using var stream = File.OpenRead(SharedExamples.Tiny(file));
            results.Add(await _importer.ImportAsync(workspace, Moscow, kind, stream, null, CancellationToken.None));
        }

        return results;
    }

    private async Task<ImportResult> ImportAsync(Guid workspace, LedgerFileKind kind, string text)
    {
        await using var stream = Utf8(text);
        return await _importer.ImportAsync(workspace, Moscow, kind, stream, null, CancellationToken.None);
    }

    private async Task<T> ScalarAsync<T>(string sql, Guid workspace)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<LedgerCounts> CountAsync(Guid workspace)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM sales_lines WHERE workspace_id = $1)::int,
                   (SELECT count(*) FROM returns WHERE workspace_id = $1)::int,
                   (SELECT count(*) FROM ad_spend WHERE workspace_id = $1)::int,
                   (SELECT count(*) FROM period_fees WHERE workspace_id = $1)::int,
                   (SELECT count(*) FROM unit_costs WHERE workspace_id = $1)::int
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new LedgerCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4));
    }

    private sealed record LedgerCounts(int Sales, int Returns, int AdSpend, int Fees, int Costs)
    {
        public static LedgerCounts None { get; } = new(0, 0, 0, 0, 0);
    }

    /// <summary>Records progress on the reporting thread (<see cref="Progress{T}"/> would post it later).</summary>
    private sealed class SyncProgress(List<ImportProgress> reports) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => reports.Add(value);
    }
}
