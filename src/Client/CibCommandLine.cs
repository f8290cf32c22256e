using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cib.Detection.CoActivity;
using Cib.Detection.Formats;
using Cib.Detection.Signals;
using Cib.Detection.Simulation;
using Cib.Grains.Interfaces;
using Spectre.Console;

namespace Cib.Client;

/// <summary>The <c>cib</c> command line: ingest, simulate, sweep and query a silo.</summary>
public static class CibCommandLine
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The options that say which silo to talk to and with which key.</summary>
    private sealed record Connection(Option<string> Server, Option<string?> Key)
    {
        public string Address(ParseResult pr) => pr.GetValue(Server)!;

        public CibClient NewClient(ParseResult pr, Uri address) => new(address, pr.GetValue(Key));
    }

    /// <summary>The root command.</summary>
    public static RootCommand Build(IAnsiConsole? console = null)
    {
        var con = console ?? AnsiConsole.Console;
        var serverOption = new Option<string>("--server")
        {
            Description = "The silo's address (default: $CIB_SERVER or http://127.0.0.1:5080)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CIB_SERVER") ?? "http://127.0.0.1:5080",
            Recursive = true,
        };
        var key = new Option<string?>("--key")
        {
            Description = "API key (default: $CIB_KEY)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CIB_KEY"),
            Recursive = true,
        };
        var root = new RootCommand("cib: find coordinated inauthentic behaviour. Talks to a Cib silo over HTTP.");
        root.Options.Add(serverOption);
        root.Options.Add(key);
        var server = new Connection(serverOption, key);
        root.Subcommands.Add(Ingest(con, server));
        root.Subcommands.Add(Simulate(con));
        root.Subcommands.Add(Sweep(con, server));
        root.Subcommands.Add(Load(con, server));
        root.Subcommands.Add(Status(con, server));
        root.Subcommands.Add(Networks(con, server));
        root.Subcommands.Add(Network(con, server));
        root.Subcommands.Add(Account(con, server));
        root.Subcommands.Add(Takedowns(con, server));
        root.Subcommands.Add(AnalyzeCommand.Create(con));
        root.Subcommands.Add(EvalCommand.Create(con));
        root.Subcommands.Add(BenchCommand.Create(con));
        root.Subcommands.Add(Keys(con, server));
        root.Subcommands.Add(Review(con, server));
        root.Subcommands.Add(Timeline(con, server));
        root.Subcommands.Add(History(con, server));
        root.Subcommands.Add(Search(con, server));
        root.Subcommands.Add(Export(con, server));
        root.Subcommands.Add(Labels(con, server));
        root.Subcommands.Add(Exemptions(con, server));
        root.Subcommands.Add(Report(con, server));
        root.Subcommands.Add(Audit(con, server));
        return root;
    }

    private static Command Ingest(IAnsiConsole con, Connection server)
    {
        var file = new Argument<FileInfo>("file") { Description = "NDJSON (.ndjson/.jsonl), the coordination network toolkit's CSV, or CooRTweet's CSV; .gz accepted" };
        var format = new Option<SignalFileFormat>("--format") { Description = "File format (default: detect from extension and header)", DefaultValueFactory = _ => SignalFileFormat.Auto };
        var kind = new Option<string>("--kind") { Description = "Signal kind of CooRTweet rows (default repost)", DefaultValueFactory = _ => "repost" };
        var batch = new Option<int>("--batch-size") { Description = "Signals per request (default 5000)", DefaultValueFactory = _ => 5000 };
        var cmd = new Command("ingest", "Send a file of signals to the silo; invalid records are reported with their position and field, valid ones are kept") { file, format, kind, batch };
        cmd.SetAction(async (pr, ct) =>
        {
            var path = pr.GetValue(file)!;
            if (!path.Exists)
            {
                con.MarkupLineInterpolated($"[red]error:[/] file \"{path.FullName}\" does not exist");
                return 2;
            }
            if (!SignalKinds.TryParse(pr.GetValue(kind), out var cooKind))
            {
                con.MarkupLineInterpolated($"[red]error:[/] --kind must be one of {SignalKinds.AllNames} (got \"{pr.GetValue(kind)}\")");
                return 2;
            }
            var size = Math.Max(1, pr.GetValue(batch));
            using var client = server.NewClient(pr, new Uri(server.Address(pr)));
            var clock = Stopwatch.StartNew();
            long read = 0, accepted = 0, duplicates = 0, rejected = 0;
            var pending = new List<Signal>(size);
            async Task FlushAsync()
            {
                if (pending.Count == 0)
                {
                    return;
                }
                var r = await client.IngestAsync(pending, ct);
                accepted += r.Accepted;
                duplicates += r.Duplicates;
                rejected += r.Rejected;
                foreach (var x in r.Rejections)
                {
                    con.MarkupLineInterpolated($"[yellow]rejected by the silo:[/] {x.Message}");
                }
                pending.Clear();
                con.MarkupLineInterpolated($"  {read:N0} read, {accepted:N0} accepted, {duplicates:N0} duplicates, {rejected:N0} rejected ({read / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0}/s)");
            }
            try
            {
                foreach (var r in SignalFileReader.Open(path.FullName, pr.GetValue(format), cooKind))
                {
                    read++;
                    if (r.Signal is { } s)
                    {
                        pending.Add(s);
                        if (pending.Count >= size)
                        {
                            await FlushAsync();
                        }
                    }
                    else if (r.Error is { } e)
                    {
                        rejected++;
                        if (rejected <= 50)
                        {
                            con.MarkupLineInterpolated($"[yellow]rejected:[/] {e}");
                        }
                    }
                }
                await FlushAsync();
            }
            catch (HttpRequestException ex)
            {
                con.MarkupLineInterpolated($"[red]error:[/] cannot reach the silo at {server.Address(pr)}: {ex.Message}. Start one with: dotnet run --project src/Silo");
                return 1;
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
            {
                con.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return 2;
            }
            con.MarkupLineInterpolated($"Done: {read:N0} records, {accepted:N0} accepted, {duplicates:N0} already stored, {rejected:N0} rejected in {clock.Elapsed.TotalSeconds:F1} s");
            return rejected > 0 ? 3 : 0;
        });
        return cmd;
    }

    private static Command Simulate(IAnsiConsole con)
    {
        var output = new Option<FileInfo>("--out") { Description = "NDJSON file to write", Required = true };
        var truth = new Option<FileInfo?>("--truth") { Description = "CSV file for the ground truth (account, role, group, kind)" };
        var accounts = new Option<int>("--accounts") { Description = "Organic accounts (default 5000)", DefaultValueFactory = _ => new SimulationOptions().OrganicAccounts };
        var campaigns = new Option<int>("--campaigns") { Description = "Planted campaigns (default 6)", DefaultValueFactory = _ => new SimulationOptions().Campaigns };
        var seed = new Option<int>("--seed") { Description = "Random seed (default 42)", DefaultValueFactory = _ => new SimulationOptions().Seed };
        var days = new Option<double>("--days") { Description = "Simulated days (default 1)", DefaultValueFactory = _ => 1.0 };
        var cmd = new Command("simulate", "Write realistic platform activity with planted campaigns, organic viral bursts and fan communities") { output, truth, accounts, campaigns, seed, days };
        cmd.SetAction(pr =>
        {
            SimulationResult sim;
            try
            {
                sim = PlatformSimulator.Run(new SimulationOptions
                {
                    OrganicAccounts = pr.GetValue(accounts),
                    Campaigns = pr.GetValue(campaigns),
                    Seed = pr.GetValue(seed),
                    Duration = TimeSpan.FromDays(pr.GetValue(days)),
                });
            }
            catch (ArgumentException ex)
            {
                con.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return 2;
            }
            using (var w = new StreamWriter(pr.GetValue(output)!.FullName))
            {
                foreach (var s in sim.Signals)
                {
                    NdjsonSignalWriter.Write(w, s);
                }
            }
            if (pr.GetValue(truth) is { } t)
            {
                using var w = new StreamWriter(t.FullName);
                GroundTruthWriter.WriteCsv(w, sim);
            }
            con.MarkupLineInterpolated($"Wrote {sim.Signals.Count:N0} signals from {sim.Accounts.Count:N0} accounts ({sim.Campaigns.Count} planted campaigns, {sim.Campaigns.Sum(c => c.Accounts.Count)} campaign accounts) to {pr.GetValue(output)!.FullName}");
            return 0;
        });
        return cmd;
    }

    private static Command Sweep(IAnsiConsole con, Connection server)
    {
        var cmd = new Command("sweep", "Cluster and score now (after every acknowledged signal is applied)");
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var r = await client.SweepAsync(ct);
            con.MarkupLineInterpolated($"{r.Networks} networks ({r.NetworksAboveThreshold} above the takedown threshold), {r.Edges:N0} edges from {r.CandidatePairs:N0} candidate pairs, {r.NewTakedownEntries} new takedown entries, {r.Seconds:F2} s, model {r.ModelVersion}");
            return 0;
        }));
        return cmd;
    }

    private static Command Load(IAnsiConsole con, Connection server)
    {
        var signals = new Option<int>("--signals") { Description = "Simulated signals to send (default 1,000,000)", DefaultValueFactory = _ => 1_000_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent senders (default 4)", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Signals per request (default 5,000)", DefaultValueFactory = _ => 5_000 };
        var cmd = new Command("load", "Load a running silo: ingest simulated signals over HTTP while querying networks, then sweep; prints ingest throughput, query latency percentiles and the sweep's time")
        {
            signals, senders, batch,
        };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var (n, s, b) = (pr.GetValue(signals), pr.GetValue(senders), pr.GetValue(batch));
            if (n < 1 || s < 1 || b < 1)
            {
                con.MarkupLine("[red]error:[/] --signals, --senders and --batch must be at least 1");
                return 2;
            }
            var simulated = BenchCommand.Simulate(n);
            var batches = LoadCommand.Batches(simulated, b);
            con.MarkupLineInterpolated($"simulated {simulated.Count:N0} signals in {batches.Count:N0} batches (not timed); load average {BenchCommand.LoadAverage()}");
            using var querier = server.NewClient(pr, client.BaseAddress!);
            var result = await LoadCommand.RunAsync(client, querier, batches, s, ct);
            LoadCommand.Print(con, result, s, b);
            // Ingest may run up to MaxBacklog signals ahead of the pump, and a sweep waits for the pump inside one grain
            // call, which the silo's response timeout cuts off: wait for the pump here, and say how long it took.
            var catchUp = System.Diagnostics.Stopwatch.StartNew();
            for (var status = await client.GetStatusAsync(ct); status.Processed < status.LogHead; status = await client.GetStatusAsync(ct))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
            con.MarkupLineInterpolated($"the pump applied the last acknowledged signals {catchUp.Elapsed.TotalSeconds:F1} s after ingest ended");
            var sweep = await client.SweepAsync(ct);
            con.MarkupLineInterpolated($"sweep over {sweep.SignalsProcessed:N0} signals: {sweep.Seconds:F2} s after {sweep.CatchUpSeconds:F2} s waiting for the pump to apply the last signals; {sweep.Networks} networks, {sweep.Edges:N0} edges from {sweep.CandidatePairs:N0} candidate pairs");
            con.MarkupLineInterpolated($"load average at the end {BenchCommand.LoadAverage()}");
            return 0;
        }));
        return cmd;
    }

    private static Command Status(IAnsiConsole con, Connection server)
    {
        var cmd = new Command("status", "Signals acknowledged and applied, and the latest sweep");
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var s = await client.GetStatusAsync(ct);
            con.MarkupLineInterpolated($"signals acknowledged: {s.LogHead:N0}; applied: {s.Processed:N0}");
            if (s.LastSweep is { } r)
            {
                con.MarkupLineInterpolated($"last sweep {r.StartedAt:u}: {r.Networks} networks, {r.NetworksAboveThreshold} above threshold, {r.Seconds:F2} s");
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Networks(IAnsiConsole con, Connection server)
    {
        var status = new Option<string?>("--status") { Description = "active or dormant" };
        var minScore = new Option<double?>("--min-score") { Description = "Only networks scoring at least this" };
        var minSize = new Option<int?>("--min-size") { Description = "Only networks with at least this many accounts" };
        var maxSize = new Option<int?>("--max-size") { Description = "Only networks with at most this many accounts" };
        var kind = new Option<string?>("--kind") { Description = "Dominant co-activity kind: co-repost, co-link, co-text, co-hashtag, ..." };
        var review = new Option<string?>("--review") { Description = "unreviewed, confirmed, dismissed or escalated" };
        var label = new Option<string?>("--label") { Description = "Only networks with a member carrying this label" };
        var target = new Option<string?>("--target") { Description = "Only networks whose evidence targets contain this text" };
        var seenAfter = new Option<DateTimeOffset?>("--seen-after") { Description = "Active at or after (ISO 8601)" };
        var seenBefore = new Option<DateTimeOffset?>("--seen-before") { Description = "Active at or before (ISO 8601)" };
        var limit = new Option<int>("--limit") { Description = "At most this many (default 50)", DefaultValueFactory = _ => 50 };
        var cmd = new Command("networks", "List networks, highest score first") { status, minScore, minSize, maxSize, kind, review, label, target, seenAfter, seenBefore, limit };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var list = await client.ListNetworksAsync(new NetworkFilter
            {
                Status = pr.GetValue(status), MinScore = pr.GetValue(minScore), MinSize = pr.GetValue(minSize), MaxSize = pr.GetValue(maxSize), Kind = pr.GetValue(kind),
                Review = pr.GetValue(review), Label = pr.GetValue(label), Target = pr.GetValue(target), SeenAfter = pr.GetValue(seenAfter), SeenBefore = pr.GetValue(seenBefore), Limit = pr.GetValue(limit),
            }, ct);
            var table = new Table().AddColumns("network", "status", "review", "size", "score", "takedown", "kind", "first seen", "last seen", "returned from");
            foreach (var n in list)
            {
                table.AddRow(n.Id, n.Status, n.Review, n.Size.ToString(Inv), n.Score.ToString("F3", Inv), n.AboveTakedownThreshold ? "yes" : "no", n.DominantKind, n.FirstSeen.ToString("u", Inv), n.LastSeen.ToString("u", Inv), n.RecidivismOf ?? "-");
            }
            con.Write(table);
            return 0;
        }));
        return cmd;
    }

    private static Command Network(IAnsiConsole con, Connection server)
    {
        var id = new Argument<string>("id") { Description = "Network id" };
        var cmd = new Command("network", "A network: score and explanation, features, members, top edges with evidence") { id };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var n = await client.GetNetworkAsync(pr.GetValue(id)!, ct);
            if (n is null)
            {
                con.MarkupLineInterpolated($"[red]error:[/] no network has id \"{pr.GetValue(id)}\"");
                return 4;
            }
            con.MarkupLineInterpolated($"[bold]{n.Summary.Id}[/] {n.Summary.Status}, {n.Summary.Size} accounts, score {n.Summary.Score:F3} (model {n.Summary.ModelVersion}), takedown: {(n.Summary.AboveTakedownThreshold ? "yes" : "no")}");
            con.MarkupLineInterpolated($"{n.Explanation.Summary}");
            var features = new Table().AddColumns("feature", "value");
            foreach (var (k, v) in n.Features)
            {
                features.AddRow(k, v.ToString("G4", Inv));
            }
            con.Write(features);
            con.MarkupLineInterpolated($"members: {MemberList(n)}");
            var edges = new Table().AddColumns("a", "b", "support", "weight", "jaccard", "mean gap s", "evidence (kind target: times)");
            foreach (var e in n.TopEdges.Take(15))
            {
                var evidence = string.Join("\n", e.Evidence.Take(3).Select(s => $"{s.Kind.ToWire()} {Shorten(s.TargetKey)}: {s.TimeA:HH:mm:ss} / {s.TimeB:HH:mm:ss}"));
                edges.AddRow(Markup.Escape(e.A), Markup.Escape(e.B), e.Support.ToString(Inv), e.Weight.ToString("F2", Inv), e.Jaccard.ToString("F3", Inv), e.MeanGapSeconds.ToString("F1", Inv), Markup.Escape(evidence));
            }
            con.Write(edges);
            con.MarkupLineInterpolated($"{n.EdgeCount} edges in all; the {Math.Min(15, n.TopEdges.Count)} heaviest shown");
            return 0;
        }));
        return cmd;
    }

    private static Command Account(IAnsiConsole con, Connection server)
    {
        var id = new Argument<string>("id") { Description = "Account id" };
        var cmd = new Command("account", "An account's features and network") { id };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var a = await client.GetAccountAsync(pr.GetValue(id)!, ct);
            if (a is null)
            {
                con.MarkupLineInterpolated($"[red]error:[/] no signal of account \"{pr.GetValue(id)}\" has been applied");
                return 4;
            }
            var f = a.Features;
            var table = new Table().AddColumns("field", "value");
            table.AddRow("account", Markup.Escape(f.Account));
            table.AddRow("network", a.NetworkId ?? "-");
            table.AddRow("actions", f.Actions.ToString(Inv));
            table.AddRow("co-activity actions", f.CoActivityActions.ToString(Inv));
            table.AddRow("first seen", f.FirstSeen?.ToString("u", Inv) ?? "-");
            table.AddRow("last seen", f.LastSeen?.ToString("u", Inv) ?? "-");
            table.AddRow("burstiness", f.Burstiness.ToString("F3", Inv));
            table.AddRow("created", f.CreatedAt?.ToString("u", Inv) ?? "-");
            table.AddRow("handle", Markup.Escape(f.Handle ?? "-"));
            table.AddRow("by kind", string.Join(", ", Enum.GetValues<SignalKind>().Select(k => $"{k.ToWire()} {f.ActionsByKind[(int)k]}")));
            con.Write(table);
            return 0;
        }));
        return cmd;
    }

    private static Command Takedowns(IAnsiConsole con, Connection server)
    {
        var after = new Option<long>("--after") { Description = "Cursor of the last entry already processed (default 0)", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "At most this many (default 100)", DefaultValueFactory = _ => 100 };
        var cursors = new Argument<long[]>("cursors") { Description = "Cursors of the entries acted on", Arity = ArgumentArity.OneOrMore };
        var ack = new Command("ack", "Acknowledge takedown entries (enforcement)") { cursors };
        ack.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            con.MarkupLineInterpolated($"acknowledged {await client.AcknowledgeAsync(pr.GetValue(cursors)!, ct)} entries");
            return 0;
        }));
        var account = new Option<string>("--account") { Description = "Account", Required = true };
        var network = new Option<string>("--network") { Description = "Network id", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (appeal upheld, error, ...)", Required = true };
        var reverse = new Command("reverse", "Reverse an account's takedown: an appeal upheld or a reinstatement (enforcement, reviewer)") { account, network, reason };
        reverse.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            await client.ReverseAsync(new ReversalRequest(pr.GetValue(account)!, pr.GetValue(network)!, pr.GetValue(reason)!), ct);
            con.MarkupLineInterpolated($"reversed the takedown of {pr.GetValue(account)} in {pr.GetValue(network)}");
            return 0;
        }));
        var cmd = new Command("takedowns", "The takedown list after a cursor") { after, limit, ack, reverse };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var page = await client.GetTakedownsAsync(pr.GetValue(after), pr.GetValue(limit), ct);
            var table = new Table().AddColumns("cursor", "kind", "account", "network", "action", "score", "decided by", "labels", "status", "listed");
            foreach (var e in page.Entries)
            {
                var status = e.Withheld ? (e.ExemptionId is { } x ? $"WITHHELD ({x})" : $"HELD BACK ({e.Reason})") : e.Acknowledged is { } a ? $"acknowledged by {a.By}" : "open";
                table.AddRow(e.Cursor.ToString(Inv), e.Kind, Markup.Escape(e.Account), e.NetworkId, e.Action, e.Score.ToString("F3", Inv), Markup.Escape(e.DecidedBy),
                    string.Join(", ", e.Labels ?? []), Markup.Escape(status), e.ListedAt.ToString("u", Inv));
            }
            con.Write(table);
            con.MarkupLineInterpolated($"next cursor: {page.NextCursor}");
            return 0;
        }));
        return cmd;
    }

    private static async Task<int> WithClient(IAnsiConsole con, ParseResult pr, Connection server, Func<CibClient, Task<int>> action)
    {
        var address = server.Address(pr);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            con.MarkupLineInterpolated($"[red]error:[/] --server must be an absolute URL (got \"{address}\")");
            return 2;
        }
        using var client = server.NewClient(pr, uri);
        try
        {
            return await action(client);
        }
        catch (HttpRequestException ex)
        {
            con.MarkupLineInterpolated($"[red]error:[/] cannot reach the silo at {address}: {ex.Message}. Start one with: dotnet run --project src/Silo");
            return 1;
        }
        catch (CibApiException ex)
        {
            con.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return 1;
        }
    }

    private static Command Keys(IAnsiConsole con, Connection server)
    {
        var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
        var roles = new Option<string[]>("--role") { Description = $"A role: {string.Join(", ", Roles.All)} (repeatable)", Required = true, AllowMultipleArgumentsPerToken = true };
        var create = new Command("create", "Create a key (admin); the key is printed once") { name, roles };
        create.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var k = await client.CreateKeyAsync(pr.GetValue(name)!, pr.GetValue(roles)!, ct);
            con.MarkupLineInterpolated($"created key {k.Info.Id} \"{k.Info.Name}\" with roles {string.Join(", ", k.Info.Roles)}");
            con.MarkupLineInterpolated($"key (shown once, store it now): [bold]{k.Key}[/]");
            return 0;
        }));
        var list = new Command("list", "List keys (admin); secrets are never shown");
        list.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var table = new Table().AddColumns("id", "name", "roles", "created", "by", "revoked");
            foreach (var k in await client.ListKeysAsync(ct))
            {
                table.AddRow(k.Id, Markup.Escape(k.Name), string.Join(", ", k.Roles), k.CreatedAt.ToString("u", Inv), Markup.Escape(k.CreatedBy), k.RevokedAt?.ToString("u", Inv) ?? "-");
            }
            con.Write(table);
            return 0;
        }));
        var id = new Argument<string>("id") { Description = "Key id" };
        var revoke = new Command("revoke", "Revoke a key (admin)") { id };
        revoke.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            await client.RevokeKeyAsync(pr.GetValue(id)!, ct);
            con.MarkupLineInterpolated($"revoked key {pr.GetValue(id)}");
            return 0;
        }));
        return new Command("keys", "Manage API keys") { create, list, revoke };
    }

    private static Command Review(IAnsiConsole con, Connection server)
    {
        var id = new Argument<string>("network") { Description = "Network id" };
        var decision = new Option<string>("--decision") { Description = "confirm, dismiss or escalate", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (required)", Required = true };
        var action = new Option<string?>("--action") { Description = "For confirm: remove (default), label or restrict" };
        var include = new Option<string[]>("--include") { Description = "Also action this account (repeatable)", AllowMultipleArgumentsPerToken = true };
        var exclude = new Option<string[]>("--exclude") { Description = "Do not action this member (repeatable)", AllowMultipleArgumentsPerToken = true };
        var note = new Option<string?>("--note") { Description = "A note for other reviewers" };
        var cmd = new Command("review", "Confirm, dismiss or escalate a network (reviewer)") { id, decision, reason, action, include, exclude, note };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var n = await client.DecideAsync(pr.GetValue(id)!, new ReviewRequest(pr.GetValue(decision)!, pr.GetValue(reason)!, pr.GetValue(action),
                pr.GetValue(include) ?? [], pr.GetValue(exclude) ?? [], pr.GetValue(note)), ct);
            con.MarkupLineInterpolated($"{n.Summary.Id} is now {n.Summary.Review} ({n.Decisions?.Count ?? 0} decisions recorded)");
            return 0;
        }));
        return cmd;
    }

    private static Command Timeline(IAnsiConsole con, Connection server)
    {
        var id = new Argument<string>("network") { Description = "Network id" };
        var width = new Option<int>("--width") { Description = "Columns of the picture (default 96)", DefaultValueFactory = _ => 96 };
        var limit = new Option<int>("--limit") { Description = "At most this many actions (default 5000)", DefaultValueFactory = _ => 5000 };
        var cmd = new Command("timeline", "Draw the actions of a network's members over time, so synchrony shows") { id, width, limit };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var t = await client.GetTimelineAsync(pr.GetValue(id)!, pr.GetValue(limit), ct);
            con.Write(new Text(TimelinePicture.Render(t, Math.Clamp(pr.GetValue(width), 10, 400))));
            return 0;
        }));
        return cmd;
    }

    private static Command History(IAnsiConsole con, Connection server)
    {
        var id = new Argument<string>("account") { Description = "Account id" };
        var limit = new Option<int>("--limit") { Description = "At most this many (default 100)", DefaultValueFactory = _ => 100 };
        var cmd = new Command("history", "An account's signals, oldest first") { id, limit };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var table = new Table().AddColumns("time", "kind", "target", "text");
            foreach (var s in await client.GetHistoryAsync(pr.GetValue(id)!, pr.GetValue(limit), ct))
            {
                table.AddRow(s.Timestamp.ToString("u", Inv), s.Kind.ToWire(), Markup.Escape(Shorten(s.Target)), Markup.Escape(Shorten(s.Text ?? "")));
            }
            con.Write(table);
            return 0;
        }));
        return cmd;
    }

    private static Command Search(IAnsiConsole con, Connection server)
    {
        var query = new Argument<string>("target") { Description = "A URL, hashtag or post id (or part of one)" };
        var cmd = new Command("search", "Which networks pushed this URL, hashtag or post") { query };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var table = new Table().AddColumns("network", "status", "size", "score", "matching targets");
            foreach (var h in await client.SearchTargetsAsync(pr.GetValue(query)!, ct))
            {
                table.AddRow(h.NetworkId, h.Status, h.Size.ToString(Inv), h.Score.ToString("F3", Inv), Markup.Escape(string.Join("\n", h.Targets.Take(5))));
            }
            con.Write(table);
            return 0;
        }));
        return cmd;
    }

    private static Command Export(IAnsiConsole con, Connection server)
    {
        var id = new Argument<string?>("network") { Description = "Network id (omit with --all)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Export every network as one graph" };
        var format = new Option<string>("--format") { Description = "gexf (default), graphml or csv", DefaultValueFactory = _ => "gexf" };
        var output = new Option<FileInfo>("--out") { Description = "File to write", Required = true };
        var cmd = new Command("export", "Export a network or the whole graph for Gephi (GEXF, GraphML) or as CSV") { id, all, format, output };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            if (pr.GetValue(all) == (pr.GetValue(id) is not null))
            {
                con.MarkupLine("[red]error:[/] give a network id or --all, not both");
                return 2;
            }
            var bytes = await client.ExportAsync(pr.GetValue(all) ? null : pr.GetValue(id), pr.GetValue(format)!, ct);
            await File.WriteAllBytesAsync(pr.GetValue(output)!.FullName, bytes, ct);
            con.MarkupLineInterpolated($"wrote {bytes.Length:N0} bytes to {pr.GetValue(output)!.FullName}");
            return 0;
        }));
        return cmd;
    }

    private static Command Labels(IAnsiConsole con, Connection server)
    {
        var account = new Argument<string>("account") { Description = "Account id" };
        var labels = new Option<string[]>("--label") { Description = $"A label: {string.Join(", ", AccountLabels.All)} (repeatable; none clears)", AllowMultipleArgumentsPerToken = true };
        var reason = new Option<string>("--reason") { Description = "Why (required)", Required = true };
        var set = new Command("set", "Replace an account's labels (admin)") { account, labels, reason };
        set.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var marks = await client.SetLabelsAsync(pr.GetValue(account)!, new LabelRequest(pr.GetValue(labels) ?? [], pr.GetValue(reason)!), ct);
            con.MarkupLineInterpolated($"{marks.Account}: {(marks.Labels.Count == 0 ? "no labels" : string.Join(", ", marks.Labels))}");
            return 0;
        }));
        return new Command("labels", "Account labels (state-controlled media, government, political, advertiser)") { set };
    }

    private static Command Exemptions(IAnsiConsole con, Connection server)
    {
        var account = new Option<string?>("--account") { Description = "Exempt this account" };
        var network = new Option<string?>("--network") { Description = "Exempt this network" };
        var reason = new Option<string>("--reason") { Description = "Why (required)", Required = true };
        var requester = new Option<string>("--requester") { Description = "Who asked for it (required)", Required = true };
        var expires = new Option<DateTimeOffset>("--expires") { Description = "When it stops applying (ISO 8601, at most a year away)", Required = true };
        var add = new Command("add", "Record an exemption; you approve it with your admin key (admin)") { account, network, reason, requester, expires };
        add.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var x = await client.AddExemptionAsync(new ExemptionRequest(pr.GetValue(account), pr.GetValue(network), pr.GetValue(reason)!, pr.GetValue(requester)!, pr.GetValue(expires)), ct);
            con.MarkupLineInterpolated($"exemption {x.Id} for {x.Account ?? x.NetworkId} until {x.ExpiresAt:u}, approved by {x.Approver}: audited and counted in reports");
            return 0;
        }));
        var list = new Command("list", "List every exemption, expired ones included");
        list.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var table = new Table().AddColumns("id", "subject", "reason", "requester", "approver", "created", "expires", "active");
            foreach (var x in await client.ListExemptionsAsync(ct))
            {
                table.AddRow(x.Id, Markup.Escape(x.Account ?? $"network {x.NetworkId}"), Markup.Escape(x.Reason), Markup.Escape(x.Requester), Markup.Escape(x.Approver),
                    x.CreatedAt.ToString("u", Inv), x.ExpiresAt.ToString("u", Inv), x.ActiveAt(DateTimeOffset.UtcNow) ? "yes" : "expired");
            }
            con.Write(table);
            return 0;
        }));
        return new Command("exemptions", "Explicit, reasoned, approved, expiring exemptions") { add, list };
    }

    private static Command Report(IAnsiConsole con, Connection server)
    {
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the period (ISO 8601)", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "End of the period (ISO 8601, exclusive)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.json and report.md (default: current folder)", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var cmd = new Command("report", "Write the transparency report for a period as JSON and Markdown (admin)") { from, to, output };
        cmd.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var r = await client.GetTransparencyReportAsync(pr.GetValue(from), pr.GetValue(to), ct);
            var dir = pr.GetValue(output)!;
            dir.Create();
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "report.json"), System.Text.Json.JsonSerializer.Serialize(r, new System.Text.Json.JsonSerializerOptions(CibJson.Options) { WriteIndented = true }), ct);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "report.md"), TransparencyMarkdown.Render(r), ct);
            con.MarkupLineInterpolated($"{r.NetworksActioned} networks and {r.AccountsActioned} accounts actioned, {r.WithheldEntries} withheld under exemptions, {r.HeldBackByMemberLayer} held back by the member layer, {r.Reversals} reversals; wrote report.json and report.md to {dir.FullName}");
            return 0;
        }));
        return cmd;
    }

    private static Command Audit(IAnsiConsole con, Connection server)
    {
        var verify = new Command("verify", "Check the audit log's hash chain: any change, deletion or reordering is reported (admin)");
        verify.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var v = await client.VerifyAuditAsync(ct);
            if (v.Ok)
            {
                con.MarkupLineInterpolated($"audit log intact: {v.Entries} entries, every hash and link checks out");
                return 0;
            }
            con.MarkupLineInterpolated($"[red]audit log TAMPERED[/] at entry {v.FirstBadSeq}: {v.Problem} ({v.Entries} entries verified before it)");
            return 5;
        }));
        var after = new Option<long>("--after") { Description = "Show entries after this position (default 0)", DefaultValueFactory = _ => 0 };
        var list = new Command("list", "Show audit log entries (admin)") { after };
        list.SetAction((pr, ct) => WithClient(con, pr, server, async client =>
        {
            var table = new Table().AddColumns("seq", "at", "actor", "action", "subject", "details");
            foreach (var e in await client.GetAuditAsync(pr.GetValue(after), 1000, ct))
            {
                table.AddRow(e.Seq.ToString(Inv), e.At.ToString("u", Inv), Markup.Escape(e.Actor), e.Action, Markup.Escape(e.Subject), Markup.Escape(e.Details));
            }
            con.Write(table);
            return 0;
        }));
        return new Command("audit", "The tamper-evident audit log") { verify, list };
    }

    /// <summary>The members; once a member layer is trained, each with its probability, highest first, and those
    /// below the layer's threshold marked as held back from the model's takedown list.</summary>
    internal static string MemberList(NetworkSnapshot n)
    {
        if (n.MemberScores is not { } scores || n.MemberThreshold is not { } threshold)
        {
            return string.Join(", ", n.Members);
        }
        var ranked = n.Members.OrderByDescending(m => scores.GetValueOrDefault(m, double.NaN)).ThenBy(m => m, StringComparer.Ordinal);
        return string.Join(", ", ranked.Select(m => scores.TryGetValue(m, out var p)
            ? $"{m} {p.ToString("F2", Inv)}{(p < threshold ? " (held back)" : "")}"
            : m)) + $" (member layer probability; held back below {threshold.ToString("F2", Inv)})";
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
