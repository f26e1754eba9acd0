package main

// The provider's and subscriber's flows that span the chain and the
// off-chain network: listing a dataset end to end, granting column keys,
// and querying a dataset. The chain-only actions live in providercmd.go and
// subscribercmd.go.

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
)

const catListing = "LISTING"

var (
	listSchemaFlag   = &cli.PathFlag{Name: "schema", Usage: "schema file (JSON); with it, register lists the dataset end to end", Category: catListing}
	listScriptFlag   = &cli.PathFlag{Name: "script", Usage: "curation script (Starlark) the workers run", Category: catListing}
	listScheduleFlag = &cli.StringFlag{Name: "schedule", Usage: "when the workers run the script: a cron spec or @hourly, @daily, …", Value: "@daily", Category: catListing}
	listWorkersFlag  = &cli.StringSliceFlag{Name: "workers", Usage: "node IDs of the worker nodes (repeatable or comma-separated)", Category: catListing}
	listPersistFlag  = &cli.StringSliceFlag{Name: "persistence", Usage: "node IDs of the persistence nodes (repeatable or comma-separated)", Category: catListing}
	listEncryptFlag  = &cli.StringSliceFlag{Name: "encrypt", Usage: "column encryption overriding the schema file, as col=det or col=ope (repeatable or comma-separated)", Category: catListing}
	listTimeoutFlag  = &cli.DurationFlag{Name: "timeout", Usage: "how long to wait for the network", Value: 2 * time.Minute, Category: catListing}
	grantToFlag      = &cli.StringFlag{Name: "to", Usage: "the subscriber's grant key (printed by 'enigma subscriber grant-key')", Category: catListing}
	grantOutFlag     = &cli.PathFlag{Name: "out", Usage: "file to write the sealed grant to", Category: catListing}
	grantFileFlag    = &cli.PathFlag{Name: "grant", Usage: "the provider's sealed grant of the column keys (needed for datasets with encrypted columns)", Category: catListing}
	joinFlag         = &cli.StringSliceFlag{Name: "join", Usage: "another dataset (provider/name) the query joins; repeat for more. A join runs on a persistence node that stores every dataset it reads, and needs a subscription to each", Category: catListing}
)

// listingFlags are what a client session needs: the chain and a way into
// the overlay.
var listingFlags = append(append([]cli.Flag{}, txFlags...), bootstrapFlag, clientListenFlag, listTimeoutFlag, puzzleStaticFlag, puzzleDynamicFlag)

// connectSession joins the marketplace as a short-lived client.
func connectSession(ctx *cli.Context) (*client.Session, error) {
	peers, err := parseBootstrap(ctx)
	if err != nil {
		return nil, err
	}
	market, err := marketAddress(ctx)
	if err != nil {
		return nil, err
	}
	p, err := overlayPuzzle(ctx)
	if err != nil {
		return nil, err
	}
	key, x, err := dhtClientKey(ctx, p)
	if err != nil {
		return nil, err
	}
	return client.Connect(ctx.Context, client.Config{
		RPC: ctx.String(chainRPCFlag.Name), Market: market, Confirmations: ctx.Uint64(chainConfirmationsFlag.Name),
		Bootstrap: peers, Puzzle: p, Key: key, PuzzleSolution: x, Listen: ctx.String(clientListenFlag.Name),
	})
}

func withTimeout(ctx *cli.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx.Context, ctx.Duration(listTimeoutFlag.Name))
}

func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func parseNodeIDs(flag string, values []string) ([]identity.NodeID, error) {
	var ids []identity.NodeID
	for _, s := range splitList(values) {
		id, err := identity.ParseNodeID(s)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", flag, err)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("--%s: name at least one node ID", flag)
	}
	return ids, nil
}

// applyEncryption overrides the schema's column encryption with --encrypt.
func applyEncryption(s *dataset.Schema, specs []string) error {
	for _, spec := range splitList(specs) {
		col, mode, ok := strings.Cut(spec, "=")
		if !ok {
			return fmt.Errorf("--encrypt %q: want column=det or column=ope", spec)
		}
		i := s.ColumnIndex(col)
		if i < 0 {
			return fmt.Errorf("--encrypt %q: the schema has no column %q", spec, col)
		}
		enc, err := dataset.ParseEncryption(mode)
		if err != nil {
			return fmt.Errorf("--encrypt %q: %w", spec, err)
		}
		s.Columns[i].Encryption = enc
	}
	return s.Validate()
}

// providerKeysPath is where the provider keeps a dataset's column keys.
func providerKeysPath(ctx *cli.Context, id common.Hash) string {
	return filepath.Join(datadir(ctx), "keys", id.Hex()+".keys")
}

// providerList is 'provider register' with --schema: the whole listing,
// checked before any transaction and recorded step by step in the datadir,
// so the same command run again continues where it stopped.
func providerList(ctx *cli.Context) error {
	if ctx.String(priceFlag.Name) == "" {
		return errors.New("--price: the price per period in ENG is required")
	}
	price, err := parseENGFlag(ctx, priceFlag.Name)
	if err != nil {
		return err
	}
	deposit, err := parseENGFlag(ctx, depositFlag.Name)
	if err != nil {
		return err
	}
	if ctx.IsSet(metadataHashFlag.Name) {
		return errors.New("--metadata-hash: with --schema the hash is computed from the metadata; drop --metadata-hash")
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	path, err := ownDataset(ctx, key, "enigma provider register --schema … --script … --workers … --persistence … --price … <name>")
	if err != nil {
		return err
	}
	m, err := listingMetadata(ctx, path.Name)
	if err != nil {
		return err
	}
	payouts, err := parsePayouts(ctx.StringSlice(payoutFlag.Name), path.Provider)
	if err != nil {
		return err
	}
	var keys *colcrypt.Keys
	if m.Schema.HasEncryptedColumns() {
		if keys, err = providerKeys(ctx, path.ID()); err != nil {
			return err
		}
	}
	s, err := connectSession(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	return runListing(ctx, s, client.Listing{
		Metadata: m, Price: price, Deposit: deposit, Payouts: payouts, TrialPeriod: ctx.Duration(trialFlag.Name), Keys: keys,
	}, "Listed")
}

// providerKeys loads the dataset's column keys, creating them on first use.
func providerKeys(ctx *cli.Context, id common.Hash) (*colcrypt.Keys, error) {
	return loadOrCreate(providerKeysPath(ctx, id), colcrypt.LoadKeys, colcrypt.GenerateKeys, colcrypt.SaveKeys)
}

// loadOrCreate loads the secret at path, or generates it and saves it there
// (in a 0700 directory) when there is none yet.
func loadOrCreate[T any](path string, load func(string) (T, error), generate func(io.Reader) (T, error), save func(string, T) error) (T, error) {
	v, err := load(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return v, err
	}
	if v, err = generate(rand.Reader); err != nil {
		return v, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return v, err
	}
	return v, save(path, v)
}

// subscriberGrantKeyPath holds the subscriber's HPKE key for grants.
func subscriberGrantKeyPath(ctx *cli.Context) string {
	return filepath.Join(datadir(ctx), "grant.key")
}

func loadGrantKey(ctx *cli.Context) (*seal.PrivateKey, error) {
	return loadOrCreate(subscriberGrantKeyPath(ctx), seal.LoadKey, seal.GenerateKey, seal.SaveKey)
}

func subscriberGrantKey(ctx *cli.Context) error {
	k, err := loadGrantKey(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(ctx.App.Writer, hex.EncodeToString(k.PublicKey()))
	return nil
}

func providerGrant(ctx *cli.Context) error {
	if ctx.NArg() != 1 || ctx.String(grantToFlag.Name) == "" || ctx.Path(grantOutFlag.Name) == "" {
		return errors.New("usage: enigma provider grant --to <subscriber grant key> --out FILE <provider>/<name>")
	}
	path, err := dataset.ParsePath(ctx.Args().First())
	if err != nil {
		return err
	}
	pub, err := hex.DecodeString(strings.TrimPrefix(ctx.String(grantToFlag.Name), "0x"))
	if err != nil {
		return fmt.Errorf("--to: the grant key is hex: %w", err)
	}
	keys, err := colcrypt.LoadKeys(providerKeysPath(ctx, path.ID()))
	if err != nil {
		return fmt.Errorf("column keys of %s: %w (grants are made with the datadir the dataset was registered from)", path, err)
	}
	grant, err := colcrypt.SealGrant(rand.Reader, keys, path.ID(), pub)
	if err != nil {
		return err
	}
	if err := os.WriteFile(ctx.Path(grantOutFlag.Name), grant, 0o600); err != nil {
		return fmt.Errorf("write the grant: %w", err)
	}
	fmt.Fprintf(ctx.App.Writer, "Sealed the column keys of %s to the subscriber in %s\n", path, ctx.Path(grantOutFlag.Name))
	return nil
}

// grantCachePath is where a subscriber account keeps a dataset's sealed
// grant: it opens only with <datadir>/grant.key, and it is kept per account
// because only an account with access gets one.
func grantCachePath(ctx *cli.Context, account common.Address, id common.Hash) string {
	return filepath.Join(datadir(ctx), "grants", account.Hex(), id.Hex()+".grant")
}

// subscriberKeys returns a dataset's column keys for the subscriber: from
// its cached grant, or fetched from one of the dataset's workers (which
// release them to accounts with access on chain) and cached. fetched
// reports the latter.
func subscriberKeys(ctx *cli.Context, wctx context.Context, s *client.Session, key *ecdsa.PrivateKey, path dataset.Path) (*colcrypt.Keys, bool, error) {
	gk, err := loadGrantKey(ctx)
	if err != nil {
		return nil, false, err
	}
	cache := grantCachePath(ctx, chain.Address(key), path.ID())
	if sealed, err := os.ReadFile(cache); err == nil {
		if keys, err := colcrypt.OpenGrant(gk, path.ID(), sealed); err == nil {
			return keys, false, nil
		}
	}
	keys, sealed, err := s.FetchGrant(wctx, key, path, gk)
	if err != nil {
		var hint string
		if strings.Contains(err.Error(), "no subscription or trial") {
			hint = fmt.Sprintf(" (subscribe with 'enigma subscriber subscribe %s', or try it with 'enigma subscriber trial %s')", path, path)
		}
		return nil, false, fmt.Errorf("the column keys of %s: %w%s", path, err, hint)
	}
	if err := os.MkdirAll(filepath.Dir(cache), 0o700); err != nil {
		return nil, false, fmt.Errorf("cache the grant: %w", err)
	}
	if err := os.WriteFile(cache, sealed, 0o600); err != nil {
		return nil, false, fmt.Errorf("cache the grant: %w", err)
	}
	fmt.Fprintf(ctx.App.ErrWriter, "note: got the column keys of %s from one of its workers (cached in %s)\n", path, cache)
	return keys, true, nil
}

func subscriberQuery(ctx *cli.Context) error {
	if ctx.NArg() != 2 {
		return errors.New(`usage: enigma subscriber query [--grant FILE] <provider>/<name> "SELECT …"`)
	}
	path, err := dataset.ParsePath(ctx.Args().Get(0))
	if err != nil {
		return err
	}
	format := ctx.String(queryFormatFlag.Name)
	if format != "table" && format != "csv" && format != "json" {
		return fmt.Errorf("--format %q: use table, csv or json", format)
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	var keys *colcrypt.Keys
	if g := ctx.Path(grantFileFlag.Name); g != "" {
		sealed, err := os.ReadFile(g)
		if err != nil {
			return fmt.Errorf("--grant: %w", err)
		}
		gk, err := loadGrantKey(ctx)
		if err != nil {
			return err
		}
		if keys, err = colcrypt.OpenGrant(gk, path.ID(), sealed); err != nil {
			return fmt.Errorf("--grant: %w (was it sealed to this datadir's grant key, for this dataset?)", err)
		}
	}
	wctx, cancel := withTimeout(ctx)
	defer cancel()
	s, err := connectSession(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	rec, err := s.Record(wctx, path)
	if err != nil {
		return err
	}
	fetched := false
	if keys == nil && rec.Signed.Metadata.Schema.HasEncryptedColumns() {
		if keys, fetched, err = subscriberKeys(ctx, wctx, s, key, path); err != nil {
			return err
		}
	}
	if joins := ctx.StringSlice(joinFlag.Name); len(joins) > 0 {
		return subscriberJoin(ctx, wctx, s, key, client.QueryDataset{Path: path, Keys: keys}, joins, format)
	}
	res, err := s.Query(wctx, key, path, ctx.Args().Get(1), keys)
	if err != nil && keys != nil && !fetched && ctx.Path(grantFileFlag.Name) == "" && strings.Contains(err.Error(), "are the column keys this dataset's") {
		// The cached grant does not decrypt: fetch a fresh one once.
		os.Remove(grantCachePath(ctx, chain.Address(key), path.ID()))
		if keys, _, err = subscriberKeys(ctx, wctx, s, key, path); err != nil {
			return err
		}
		res, err = s.Query(wctx, key, path, ctx.Args().Get(1), keys)
	}
	var denied *access.DeniedError
	if errors.As(err, &denied) && denied.Reason == access.ReasonNoAccess {
		return fmt.Errorf("%w\n(subscribe with 'enigma subscriber subscribe %s', or try it with 'enigma subscriber trial %s')", err, path, path)
	}
	if err != nil {
		return err
	}
	// Which version answered, for whoever checks that answers never go
	// back in version (the testbed's history checker reads this line).
	slog.Info("query answered", "dataset", path.String(), "version", res.Version, "node", res.Node.String())
	if err := printResult(ctx.App.Writer, format, res.Result); err != nil {
		return err
	}
	if res.TrialCapped {
		fmt.Fprintln(ctx.App.ErrWriter, "note: trial access; the result was capped")
	}
	return nil
}

// subscriberJoin runs a query that joins the first dataset with the ones
// --join names, each one's column keys from its grant (cached or fetched).
func subscriberJoin(ctx *cli.Context, wctx context.Context, s *client.Session, key *ecdsa.PrivateKey, first client.QueryDataset, joins []string, format string) error {
	ds := []client.QueryDataset{first}
	for _, j := range joins {
		p, err := dataset.ParsePath(j)
		if err != nil {
			return fmt.Errorf("--join %s: %w", j, err)
		}
		rec, err := s.Record(wctx, p)
		if err != nil {
			return err
		}
		d := client.QueryDataset{Path: p}
		if rec.Signed.Metadata.Schema.HasEncryptedColumns() {
			if d.Keys, _, err = subscriberKeys(ctx, wctx, s, key, p); err != nil {
				return err
			}
		}
		ds = append(ds, d)
	}
	res, err := s.QueryJoin(wctx, key, ds, ctx.Args().Get(1))
	var denied *access.DeniedError
	if errors.As(err, &denied) && denied.Reason == access.ReasonNoAccess {
		return fmt.Errorf("%w\n(a join needs a subscription to every dataset it reads: 'enigma subscriber subscribe <provider>/<name>')", err)
	}
	if err != nil {
		return err
	}
	return printResult(ctx.App.Writer, format, res.Result)
}
