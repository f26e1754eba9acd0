package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/client/scriptcheck"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/query/colcrypt"
)

var (
	priceFlag = &cli.StringFlag{
		Name:  "price",
		Usage: "price per 30-day period, in ENG",
	}
	depositFlag = &cli.StringFlag{
		Name:  "deposit",
		Usage: "deposit to lock, in ENG (slashable for offences; returned after deactivation)",
		Value: chain.FormatENG(chain.DefaultDeployParams().MinDeposit),
	}
	metadataHashFlag = &cli.StringFlag{
		Name:  "metadata-hash",
		Usage: "32-byte hash of the dataset's signed metadata (0x…)",
	}
	payoutFlag = &cli.StringSliceFlag{
		Name:  "payout",
		Usage: "payout share as <address>:<basis points> (repeatable; shares total 10000; default: all to the provider)",
	}
	trialFlag = &cli.DurationFlag{
		Name:  "trial",
		Usage: "free trial length per account (0: no trials; at most 720h)",
	}
	approveFlag = &cli.BoolFlag{
		Name:  "approve",
		Usage: "approve the Marketplace to pull the payment when the allowance is short",
		Value: true,
	}
)

// providerCommand holds the provider's chain actions; off-chain ones
// (metadata, curation) are added beside them.
var providerCommand = &cli.Command{
	Name:  "provider",
	Usage: "list and manage your datasets on the Marketplace",
	Subcommands: []*cli.Command{
		{
			Name:  "register",
			Usage: "list a dataset under your account",
			Description: "With --schema, lists the dataset end to end. First a pre-flight, before any transaction: the\n" +
				"schema, the script compiled (with --check-run, run once on --check-dir's files), the schedule, the\n" +
				"encryption, the ENG and ETH balances and the allowance, the validators reachable, and each named\n" +
				"node asked over QUIC whether it runs its role and takes the dataset; --dry-run stops there and\n" +
				"prints what would be sent and spent. Then: approve and register on chain, the column keys to the\n" +
				"workers, the signed metadata certified by the validators, the record resolvable in the DHT. Each\n" +
				"step is recorded in <datadir>/listings/; the same command run again (or 'provider resume')\n" +
				"continues from the first step not done and never pays twice. Without --schema, only the on-chain\n" +
				"register with --metadata-hash.",
			ArgsUsage: "<name>",
			Flags: append(append([]cli.Flag{}, listingFlags...), priceFlag, depositFlag, metadataHashFlag, payoutFlag, trialFlag, approveFlag,
				listSchemaFlag, listScriptFlag, listScheduleFlag, listWorkersFlag, listPersistFlag, listEncryptFlag,
				dryRunFlag, yesFlag, checkRunFlag, checkDirFlag, faultStopAfterFlag),
			Action: providerRegister,
		},
		{
			Name:      "resume",
			Usage:     "continue a listing or update that stopped (its steps are recorded in the datadir)",
			ArgsUsage: "<name>",
			Flags:     append(append([]cli.Flag{}, listingFlags...), yesFlag, faultStopAfterFlag),
			Action:    providerResume,
		},
		{
			Name:      "status",
			Usage:     "show a dataset's steps, chain state, certified version, workers' last runs and rows per persistence node",
			ArgsUsage: "<name>",
			Flags:     append(append([]cli.Flag{}, listingFlags...), formatFlag),
			Action:    providerStatus,
		},
		{
			Name:      "earnings",
			Usage:     "what a dataset earned: subscribers, total paid, each payout account's share and withdrawable balance",
			ArgsUsage: "<name>",
			Flags:     append(append([]cli.Flag{}, chainFlags...), accountFlag, formatFlag),
			Action:    providerEarnings,
		},
		{
			Name:      "grant",
			Usage:     "seal a dataset's column keys to a subscriber (HPKE) so it can query encrypted columns",
			ArgsUsage: "<provider>/<name>",
			Flags:     []cli.Flag{grantToFlag, grantOutFlag},
			Action:    providerGrant,
		},
		{
			Name:  "update",
			Usage: "certify a new metadata version (script, schema, schedule, nodes, encryption), or change the price or payouts",
			Description: "With --script, --schema, --schedule, --workers, --persistence or --encrypt: a new metadata version,\n" +
				"checked first (a schema change that breaks existing queries needs --breaking), its hash set on\n" +
				"chain, the keys given to its workers, certified by the validators (which check the on-chain hash)\n" +
				"and published. Workers switch to it at once; persistence nodes keep answering from the old\n" +
				"version until the new one's first run has landed (--wait waits for that). Steps are recorded;\n" +
				"'provider resume' continues a stopped update. --price and --payout change the chain only.",
			ArgsUsage: "<name>",
			Flags: append(append([]cli.Flag{}, listingFlags...), priceFlag, metadataHashFlag, payoutFlag,
				listSchemaFlag, listScriptFlag, listScheduleFlag, listWorkersFlag, listPersistFlag, listEncryptFlag,
				breakingFlag, dryRunFlag, yesFlag, checkRunFlag, checkDirFlag, waitFlag, faultStopAfterFlag),
			Action: providerUpdate,
		},
		{
			Name:      "deposit",
			Usage:     "top up a dataset's deposit",
			ArgsUsage: "<name>",
			Flags:     append(append(append([]cli.Flag{}, txFlags...), amountFlag, approveFlag), spendFlags...),
			Action:    providerDeposit,
		},
		{
			Name:      "deactivate",
			Usage:     "stop new subscriptions and trials (access already sold runs to its end)",
			ArgsUsage: "<name>",
			Flags:     txFlags,
			Action:    providerDeactivate,
		},
		{
			Name:      "withdraw",
			Usage:     "withdraw a dataset's unlocked deposit; without a name, the payouts credited to the account (the same as 'enigma account withdraw')",
			ArgsUsage: "[<name>]",
			Flags:     txFlags,
			Action:    providerWithdraw,
		},
	},
}

// ownDataset resolves the <name> argument (or <provider>/<name> of the
// account itself) to the dataset ID.
func ownDataset(ctx *cli.Context, key *ecdsa.PrivateKey, usage string) (dataset.Path, error) {
	arg, err := oneArg(ctx, usage)
	if err != nil {
		return dataset.Path{}, err
	}
	me := chain.Address(key)
	if strings.Contains(arg, "/") {
		p, err := dataset.ParsePath(arg)
		if err != nil {
			return p, err
		}
		if p.Provider != me {
			return p, fmt.Errorf("dataset %s belongs to %s, not to the account %s: use --account", p, p.Provider.Hex(), me.Hex())
		}
		return p, nil
	}
	if err := dataset.ValidateName(arg); err != nil {
		return dataset.Path{}, err
	}
	return dataset.Path{Provider: me, Name: arg}, nil
}

func parsePayouts(specs []string, provider common.Address) ([]chain.Payout, error) {
	if len(specs) == 0 {
		return []chain.Payout{{Account: provider, Bps: 10_000}}, nil
	}
	var out []chain.Payout
	total := 0
	for _, s := range specs {
		addr, bpsStr, ok := strings.Cut(s, ":")
		if !ok || !common.IsHexAddress(addr) {
			return nil, fmt.Errorf("--payout %q: want <address>:<basis points>, e.g. 0xAb…:7000", s)
		}
		bps, err := strconv.ParseUint(bpsStr, 10, 16)
		if err != nil || bps == 0 || bps > 10_000 {
			return nil, fmt.Errorf("--payout %q: basis points must be 1..10000", s)
		}
		total += int(bps)
		out = append(out, chain.Payout{Account: common.HexToAddress(addr), Bps: uint16(bps)})
	}
	if total != 10_000 {
		return nil, fmt.Errorf("--payout shares add up to %d basis points; they must total 10000", total)
	}
	return out, nil
}

func parseHashFlag(ctx *cli.Context, name string) (common.Hash, error) {
	s := ctx.String(name)
	b := common.FromHex(s)
	if len(b) != common.HashLength || !strings.HasPrefix(s, "0x") {
		return common.Hash{}, fmt.Errorf("--%s %q: want 32 bytes as 0x followed by 64 hex digits", name, s)
	}
	return common.BytesToHash(b), nil
}

// ensureFunds makes sure key's account can pay amount to the Marketplace:
// with --approve it approves a short allowance and says so.
func ensureFunds(ctx *cli.Context, c *chain.Client, key *ecdsa.PrivateKey, amount *big.Int) error {
	err := c.CheckFunds(ctx.Context, chain.Address(key), amount)
	var ae *chain.AllowanceError
	if !errors.As(err, &ae) || !ctx.Bool(approveFlag.Name) {
		return err
	}
	r, err := c.Approve(ctx.Context, key, amount)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Approved the Marketplace to spend %s ENG from %s (tx %s)\n", chain.FormatENG(amount), chain.Address(key).Hex(), r.TxHash.Hex())
	return nil
}

func providerRegister(ctx *cli.Context) error {
	if ctx.IsSet(listSchemaFlag.Name) {
		return providerList(ctx)
	}
	if ctx.String(priceFlag.Name) == "" || ctx.String(metadataHashFlag.Name) == "" {
		return errors.New("usage: enigma provider register --price <ENG per period> --metadata-hash 0x… [--deposit ENG] [--payout addr:bps]… [--trial 168h] <name>")
	}
	price, err := parseENGFlag(ctx, priceFlag.Name)
	if err != nil {
		return err
	}
	deposit, err := parseENGFlag(ctx, depositFlag.Name)
	if err != nil {
		return err
	}
	hash, err := parseHashFlag(ctx, metadataHashFlag.Name)
	if err != nil {
		return err
	}
	if ctx.Duration(trialFlag.Name) < 0 {
		return errors.New("--trial must not be negative")
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	p, err := ownDataset(ctx, key, "enigma provider register --price … --metadata-hash … <name>")
	if err != nil {
		return err
	}
	payouts, err := parsePayouts(ctx.StringSlice(payoutFlag.Name), p.Provider)
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	if _, err := c.Dataset(ctx.Context, p.ID(), nil); err == nil {
		return fmt.Errorf("%s is registered already: change it with 'enigma provider update' or pick another name", p)
	} else if !errors.Is(err, chain.ErrUnknownDataset) {
		return err
	}
	params := chain.RegisterParams{
		Name: p.Name, Price: price, Deposit: deposit, MetadataHash: hash, Payouts: payouts, TrialPeriod: ctx.Duration(trialFlag.Name),
	}
	from := chain.Address(key)
	var be *chain.BalanceError
	if err := c.CheckFunds(ctx.Context, from, deposit); errors.As(err, &be) {
		return fmt.Errorf("%w; nothing was sent", err)
	}
	s := &spend{what: fmt.Sprintf("Register %s at %s ENG per 30-day period", p, chain.FormatENG(price)), from: from, pays: deposit,
		payee: "the Marketplace, locked as the dataset's deposit (slashable; returned after deactivation)"}
	if err := s.simulate(ctx, c, func() (uint64, error) { return c.EstimateRegister(ctx.Context, from, params) }); err != nil {
		return err
	}
	if ok, err := s.confirm(ctx, c); !ok || err != nil {
		return err
	}
	if err := ensureFunds(ctx, c, key, deposit); err != nil {
		return err
	}
	id, r, err := c.Register(ctx.Context, key, params)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Registered %s\nID:    %s\nBlock: %s (tx %s)\n", p, id.Hex(), r.BlockNumber, r.TxHash.Hex())
	return nil
}

func providerUpdate(ctx *cli.Context) error {
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	p, err := ownDataset(ctx, key, "enigma provider update [--script F] [--schema F] [--schedule S] [--workers IDs] [--persistence IDs] [--encrypt col=det|ope|ore] [--price ENG] [--payout addr:bps]… <name>")
	if err != nil {
		return err
	}
	meta := metadataFlagsSet(ctx)
	if !meta && !ctx.IsSet(priceFlag.Name) && !ctx.IsSet(metadataHashFlag.Name) && !ctx.IsSet(payoutFlag.Name) {
		return errors.New("nothing to update: give --script, --schema, --schedule, --workers, --persistence, --encrypt, --price or --payout")
	}
	if meta && ctx.IsSet(metadataHashFlag.Name) {
		return errors.New("--metadata-hash: a metadata update computes and sets the hash itself; drop --metadata-hash")
	}
	if meta {
		apply, err := metadataChange(ctx)
		if err != nil {
			return err
		}
		s, err := connectSession(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		keys, err := updateKeys(ctx, s, p, apply)
		if err != nil {
			return err
		}
		if err := runUpdate(ctx, s, key, p, apply, keys); err != nil {
			return err
		}
		if ctx.Bool(dryRunFlag.Name) {
			return nil
		}
	}
	if !ctx.IsSet(priceFlag.Name) && !ctx.IsSet(metadataHashFlag.Name) && !ctx.IsSet(payoutFlag.Name) {
		return nil
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	w := ctx.App.Writer
	if ctx.IsSet(priceFlag.Name) {
		price, err := parseENGFlag(ctx, priceFlag.Name)
		if err != nil {
			return err
		}
		if _, err := c.SetPrice(ctx.Context, key, p.ID(), price); err != nil {
			return err
		}
		fmt.Fprintf(w, "Price of %s: %s ENG per period (for subscriptions bought from now on)\n", p, chain.FormatENG(price))
	}
	if ctx.IsSet(metadataHashFlag.Name) {
		hash, err := parseHashFlag(ctx, metadataHashFlag.Name)
		if err != nil {
			return err
		}
		if err := checkRawHash(ctx, p); err != nil {
			return err
		}
		if _, err := c.SetMetadataHash(ctx.Context, key, p.ID(), hash); err != nil {
			return err
		}
		fmt.Fprintf(w, "Metadata hash of %s: %s\n", p, hash.Hex())
	}
	if ctx.IsSet(payoutFlag.Name) {
		payouts, err := parsePayouts(ctx.StringSlice(payoutFlag.Name), p.Provider)
		if err != nil {
			return err
		}
		if _, err := c.SetPayouts(ctx.Context, key, p.ID(), payouts); err != nil {
			return err
		}
		fmt.Fprintf(w, "Payouts of %s: %d shares\n", p, len(payouts))
	}
	return nil
}

// checkRawHash refuses a bare --metadata-hash for a dataset whose metadata
// the ledger certifies: the hash would match no metadata the provider can
// certify, and every later update would be refused until it was put back.
func checkRawHash(ctx *cli.Context, p dataset.Path) error {
	if len(ctx.StringSlice(bootstrapFlag.Name)) == 0 {
		return nil // a chain-only dataset: nothing to check against
	}
	s, err := connectSession(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	wctx, cancel := context.WithTimeout(ctx.Context, 10*time.Second)
	defer cancel()
	if rec, err := s.Record(wctx, p); err == nil {
		return fmt.Errorf("%s has certified metadata (version %d): a bare --metadata-hash would match nothing the validators can certify; change the metadata with --script, --schema, --schedule, --workers, --persistence or --encrypt instead, which set the hash themselves", p, rec.Signed.Metadata.Version)
	}
	return nil
}

// updateKeys returns the column keys an update delivers to its workers:
// the dataset's keys from this datadir. New keys are made only when no
// version encrypted anything yet: replacing the keys of encrypted data would
// leave what was curated so far undecryptable for every subscriber.
func updateKeys(ctx *cli.Context, s *client.Session, p dataset.Path, apply func(*ledger.Metadata) error) (*colcrypt.Keys, error) {
	keys, err := colcrypt.LoadKeys(providerKeysPath(ctx, p.ID()))
	if err == nil {
		return keys, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx.Context, 20*time.Second)
	defer cancel()
	rec, err := s.Record(wctx, p)
	if err != nil {
		return nil, err
	}
	if rec.Signed.Metadata.Schema.HasEncryptedColumns() {
		return nil, fmt.Errorf("the column keys of %s are not in %s: run the update from the datadir the dataset was listed from (its keys/ directory holds them); new keys would leave the data curated so far undecryptable", p, providerKeysPath(ctx, p.ID()))
	}
	next := rec.Signed.Metadata
	next.Schema.Columns = slices.Clone(next.Schema.Columns)
	if apply != nil {
		if err := apply(&next); err != nil {
			return nil, err
		}
	}
	if !next.Schema.HasEncryptedColumns() {
		return nil, nil
	}
	return providerKeys(ctx, p.ID()) // the first version with encrypted columns
}

func providerDeposit(ctx *cli.Context) error {
	amount, err := parseENGFlag(ctx, amountFlag.Name)
	if err != nil {
		return err
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	p, err := ownDataset(ctx, key, "enigma provider deposit --amount ENG <name>")
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	from := chain.Address(key)
	var be *chain.BalanceError
	if err := c.CheckFunds(ctx.Context, from, amount); errors.As(err, &be) {
		return fmt.Errorf("%w; nothing was sent", err)
	}
	s := &spend{what: fmt.Sprintf("Add %s ENG to the deposit of %s", chain.FormatENG(amount), p), from: from, pays: amount,
		payee: "the Marketplace, locked as the dataset's deposit (slashable; returned after deactivation)"}
	if err := s.simulate(ctx, c, func() (uint64, error) { return c.EstimateAddDeposit(ctx.Context, from, p.ID(), amount) }); err != nil {
		return err
	}
	if ok, err := s.confirm(ctx, c); !ok || err != nil {
		return err
	}
	if err := ensureFunds(ctx, c, key, amount); err != nil {
		return err
	}
	if _, err := c.AddDeposit(ctx.Context, key, p.ID(), amount); err != nil {
		return err
	}
	d, err := c.Dataset(ctx.Context, p.ID(), nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Deposit of %s: %s ENG\n", p, chain.FormatENG(d.Deposit))
	return nil
}

func providerDeactivate(ctx *cli.Context) error {
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	p, err := ownDataset(ctx, key, "enigma provider deactivate <name>")
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	if _, err := c.Deactivate(ctx.Context, key, p.ID()); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Deactivated %s: no new subscriptions or trials; withdraw the deposit once access sold has ended and the challenge window passed\n", p)
	return nil
}

// providerWithdraw withdraws a dataset's unlocked deposit. Without a name
// it withdraws the account's credited payouts through accountWithdraw, the
// one implementation of that (payouts belong to a payout account, which
// need not be a provider's; 'enigma account withdraw' is its home).
func providerWithdraw(ctx *cli.Context) error {
	if ctx.NArg() == 0 {
		return accountWithdraw(ctx)
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	p, err := ownDataset(ctx, key, "enigma provider withdraw <name>")
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	me := chain.Address(key)
	before, err := c.TokenBalance(ctx.Context, me)
	if err != nil {
		return err
	}
	r, err := c.WithdrawDeposit(ctx.Context, key, p.ID())
	if err != nil {
		return err
	}
	after, err := c.TokenBalance(ctx.Context, me)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Withdrew %s ENG (the deposit of %s) to %s (tx %s)\n", chain.FormatENG(new(big.Int).Sub(after, before)), p, me.Hex(), r.TxHash.Hex())
	return nil
}

// applyEncryption overrides the schema's column encryption with --encrypt.
func applyEncryption(s *dataset.Schema, specs []string) error {
	for _, spec := range splitList(specs) {
		col, mode, ok := strings.Cut(spec, "=")
		if !ok {
			return fmt.Errorf("--encrypt %q: want column=det, column=ope or column=ore", spec)
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

// A dataset's life after `provider register`'s first transaction: the
// pre-flight and its plan, the journal that lets a listing or an update
// resume, `provider resume`, `provider status`, metadata updates and the
// provider's earnings.

var (
	dryRunFlag   = &cli.BoolFlag{Name: "dry-run", Usage: "run the pre-flight and print what would be sent and spent; send nothing", Category: catListing}
	checkRunFlag = &cli.BoolFlag{Name: "check-run", Usage: "pre-flight: run the script once locally, as a worker would, on the files in --check-dir", Category: catListing}
	checkDirFlag = &cli.PathFlag{Name: "check-dir", Usage: "with --check-run: the input files the workers' job directory will hold (default: none)", Category: catListing}
	breakingFlag = &cli.BoolFlag{Name: "breaking", Usage: "update: allow a schema change that breaks existing queries (a column dropped, retyped or re-encrypted, a new primary key)", Category: catListing}
	waitFlag     = &cli.BoolFlag{Name: "wait", Usage: "update: wait until every persistence node serves the new version (its first run landed)", Category: catListing}
	// faultStopAfterFlag stops the command after a step, until it is
	// killed: the process tests crash a listing between two steps.
	faultStopAfterFlag = &cli.StringFlag{Name: "fault.stop-after", Hidden: true, Category: catListing}
)

// listingOptions are the options every listing and update shares.
func listingOptions(ctx *cli.Context, id common.Hash) client.ListOptions {
	w := ctx.App.Writer
	o := client.ListOptions{
		Journal: client.JournalPath(datadir(ctx), id),
		DryRun:  ctx.Bool(dryRunFlag.Name),
		Preflight: client.PreflightOptions{
			CheckRun: ctx.Bool(checkRunFlag.Name), CheckRunDir: ctx.Path(checkDirFlag.Name),
			Script: scriptcheck.Starlark{},
		},
		Breaking: ctx.Bool(breakingFlag.Name),
		Progress: func(step, detail string) { fmt.Fprintf(w, "  done  %-18s %s\n", step, detail) },
		// The plan is the summary a spending command confirms.
		Confirm: func(p *client.Plan) error {
			printPlan(w, p)
			return askToSend(ctx)
		},
	}
	if stop := ctx.String(faultStopAfterFlag.Name); stop != "" {
		o.AfterStep = func(step string) {
			if step == stop {
				fmt.Fprintf(w, "fault injection: stopped after step %s; waiting to be killed\n", step)
				if f, ok := w.(*os.File); ok {
					f.Sync()
				}
				select {}
			}
		}
	}
	return o
}

// printPlan prints the pre-flight's checks and what would be sent and spent.
func printPlan(w io.Writer, p *client.Plan) {
	if p == nil {
		return
	}
	fmt.Fprintf(w, "Pre-flight of %s version %d (metadata hash %s):\n", p.Metadata.Path(), p.Metadata.Version, p.Hash.Hex())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range p.Checks {
		status, detail := "ok", c.Detail
		switch {
		case c.Err != nil:
			status, detail = "FAIL", c.Err.Error()
		case c.Warn:
			status = "warn"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", status, c.Name, detail)
	}
	tw.Flush()
	if len(p.Txs) == 0 {
		fmt.Fprintln(w, "Transactions: none (the chain step is done)")
	} else {
		fmt.Fprintln(w, "Transactions:")
		for _, tx := range p.Txs {
			bound := "≈"
			if tx.Bound {
				bound = "≤"
			}
			fmt.Fprintf(w, "  %s (%s%d gas)\n", tx.What, bound, tx.Gas)
		}
	}
	if p.Deposit != nil {
		fmt.Fprintf(w, "Locks:        %s ENG deposit\n", chain.FormatENG(p.Deposit))
	}
	if p.MaxETH != nil {
		fmt.Fprintf(w, "Gas:          at most %s ETH (at %s gwei per gas)\n", chain.FormatETH(p.MaxETH), formatGwei(p.MaxFeePerGas))
	}
	if len(p.KeysTo) > 0 {
		fmt.Fprintf(w, "Column keys:  to %d worker(s) over QUIC\n", len(p.KeysTo))
	}
}

func formatGwei(wei *big.Int) string {
	if wei == nil {
		return "?"
	}
	g := new(big.Rat).SetFrac(wei, big.NewInt(1e9))
	if g.Cmp(big.NewRat(1, 100)) >= 0 {
		return g.FloatString(2)
	}
	return strings.TrimRight(g.FloatString(9), "0")
}

// listingMetadata reads the metadata flags a listing needs.
func listingMetadata(ctx *cli.Context, name string) (ledger.Metadata, error) {
	schemaJSON, err := os.ReadFile(ctx.Path(listSchemaFlag.Name))
	if err != nil {
		return ledger.Metadata{}, fmt.Errorf("--schema: %w", err)
	}
	schema, err := dataset.ParseSchemaJSON(schemaJSON)
	if err != nil {
		return ledger.Metadata{}, fmt.Errorf("--schema: %w", err)
	}
	if err := applyEncryption(&schema, ctx.StringSlice(listEncryptFlag.Name)); err != nil {
		return ledger.Metadata{}, err
	}
	if ctx.Path(listScriptFlag.Name) == "" {
		return ledger.Metadata{}, errors.New("--script: the curation script is required with --schema")
	}
	script, err := os.ReadFile(ctx.Path(listScriptFlag.Name))
	if err != nil {
		return ledger.Metadata{}, fmt.Errorf("--script: %w", err)
	}
	workers, err := parseNodeIDs(listWorkersFlag.Name, ctx.StringSlice(listWorkersFlag.Name))
	if err != nil {
		return ledger.Metadata{}, err
	}
	persisters, err := parseNodeIDs(listPersistFlag.Name, ctx.StringSlice(listPersistFlag.Name))
	if err != nil {
		return ledger.Metadata{}, err
	}
	trial := ctx.Duration(trialFlag.Name)
	if trial < 0 {
		return ledger.Metadata{}, errors.New("--trial must not be negative")
	}
	return ledger.Metadata{
		Name: name, Schema: schema, Script: script, Schedule: ctx.String(listScheduleFlag.Name),
		Workers: workers, Persistence: persisters,
		Trial: ledger.TrialPolicy{Enabled: trial > 0, DurationSeconds: uint64(trial / time.Second)},
	}, nil
}

// runListing lists l (a new listing or one resumed from its journal).
func runListing(ctx *cli.Context, s *client.Session, l client.Listing, what string) error {
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	w := ctx.App.Writer
	path := dataset.Path{Provider: chain.Address(key), Name: l.Metadata.Name}
	wctx, cancel := withTimeout(ctx)
	defer cancel()
	start := time.Now()
	o := listingOptions(ctx, path.ID())
	o.Preflight.Keys = l.Keys
	if !o.DryRun {
		o.Progress = progressAfterPlan(w, o.Progress)
	}
	rec, plan, err := s.List(wctx, key, l, o)
	if plan != nil && (o.DryRun || err != nil) && !errors.Is(err, errUnconfirmed) {
		printPlan(w, plan)
	}
	if err != nil {
		return err
	}
	if o.DryRun {
		fmt.Fprintln(w, "Dry run: nothing was sent.")
		return nil
	}
	fmt.Fprintf(w, "%s %s\nID:      %s\nVersion: %d (ledger sequence %d)\nCertified and resolvable in the DHT after %s.\n",
		what, path, path.ID().Hex(), rec.Signed.Metadata.Version, rec.UpdatedSeq, time.Since(start).Round(time.Millisecond))
	if l.Keys != nil {
		fmt.Fprintf(w, "Column keys: %s; the workers release them to subscribers (no need to stay online)\n", providerKeysPath(ctx, path.ID()))
	}
	return nil
}

// progressAfterPlan prints a header before the first step.
func progressAfterPlan(w io.Writer, next func(string, string)) func(string, string) {
	first := true
	return func(step, detail string) {
		if first {
			fmt.Fprintln(w, "Steps (recorded in the datadir; the same command resumes):")
			first = false
		}
		next(step, detail)
	}
}

// providerResume continues the listing or update the journal records.
func providerResume(ctx *cli.Context) error {
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	path, err := ownDataset(ctx, key, "enigma provider resume <name>")
	if err != nil {
		return err
	}
	j, ok, err := client.LoadJournal(client.JournalPath(datadir(ctx), path.ID()))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no listing or update of %s is recorded in %s: nothing to resume ('enigma provider status %s' shows the dataset)", path, datadir(ctx), path.Name)
	}
	if j.Complete() {
		fmt.Fprintf(ctx.App.Writer, "The %s of %s to version %d finished at %s: nothing to resume.\n", j.Kind, path, j.Version, j.Finished.Format(time.RFC3339))
		return nil
	}
	m, err := j.Meta()
	if err != nil {
		return err
	}
	var keys *colcrypt.Keys
	if m.Schema.HasEncryptedColumns() {
		if keys, err = colcrypt.LoadKeys(providerKeysPath(ctx, path.ID())); err != nil {
			return fmt.Errorf("the column keys of %s: %w (resume from the datadir the change started in)", path, err)
		}
	}
	s, err := connectSession(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(ctx.App.Writer, "Resuming the %s of %s to version %d (started %s)\n", j.Kind, path, j.Version, j.Started.Format(time.RFC3339))
	if j.Kind == client.KindRegister {
		l, err := j.Listing()
		if err != nil {
			return err
		}
		l.Keys = keys
		return runListing(ctx, s, l, "Listed")
	}
	return runUpdate(ctx, s, key, path, nil, keys)
}

// runUpdate certifies a new metadata version (apply nil: the journal's).
func runUpdate(ctx *cli.Context, s *client.Session, pk *ecdsa.PrivateKey, path dataset.Path, apply func(*ledger.Metadata) error, keys *colcrypt.Keys) error {
	w := ctx.App.Writer
	wctx, cancel := withTimeout(ctx)
	defer cancel()
	o := listingOptions(ctx, path.ID())
	if !o.DryRun {
		o.Progress = progressAfterPlan(w, o.Progress)
	}
	start := time.Now()
	rec, plan, err := s.Update(wctx, pk, path, apply, keys, o)
	if plan != nil && (o.DryRun || err != nil) && !errors.Is(err, errUnconfirmed) {
		printPlan(w, plan)
	}
	if err != nil {
		return err
	}
	if o.DryRun {
		fmt.Fprintln(w, "Dry run: nothing was sent.")
		return nil
	}
	fmt.Fprintf(w, "Updated %s to version %d (ledger sequence %d), certified after %s.\n", path, rec.Signed.Metadata.Version, rec.UpdatedSeq, time.Since(start).Round(time.Millisecond))
	if ctx.Bool(waitFlag.Name) {
		if err := s.WaitServing(wctx, rec); err != nil {
			return fmt.Errorf("version %d is certified, but not every persistence node serves it yet: %w ('enigma provider status %s' shows the workers' runs)", rec.Signed.Metadata.Version, err, path.Name)
		}
		fmt.Fprintf(w, "Every persistence node serves version %d, %s after the update started.\n", rec.Signed.Metadata.Version, time.Since(start).Round(time.Millisecond))
	} else {
		fmt.Fprintf(w, "Persistence nodes serve version %d once its first run has landed; until then they answer from version %d.\n", rec.Signed.Metadata.Version, rec.Signed.Metadata.Version-1)
	}
	return nil
}

// metadataFlagsSet reports whether an update changes the metadata.
func metadataFlagsSet(ctx *cli.Context) bool {
	for _, f := range []string{listScriptFlag.Name, listSchemaFlag.Name, listScheduleFlag.Name, listWorkersFlag.Name, listPersistFlag.Name, listEncryptFlag.Name} {
		if ctx.IsSet(f) {
			return true
		}
	}
	return false
}

// metadataChange reads the update's metadata flags into a change of the
// current certified metadata.
func metadataChange(ctx *cli.Context) (func(*ledger.Metadata) error, error) {
	var (
		script     []byte
		schema     *dataset.Schema
		workers    []identity.NodeID
		persisters []identity.NodeID
		err        error
	)
	if p := ctx.Path(listScriptFlag.Name); ctx.IsSet(listScriptFlag.Name) {
		if script, err = os.ReadFile(p); err != nil {
			return nil, fmt.Errorf("--script: %w", err)
		}
	}
	if p := ctx.Path(listSchemaFlag.Name); ctx.IsSet(listSchemaFlag.Name) {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("--schema: %w", err)
		}
		sc, err := dataset.ParseSchemaJSON(b)
		if err != nil {
			return nil, fmt.Errorf("--schema: %w", err)
		}
		schema = &sc
	}
	if ctx.IsSet(listWorkersFlag.Name) {
		if workers, err = parseNodeIDs(listWorkersFlag.Name, ctx.StringSlice(listWorkersFlag.Name)); err != nil {
			return nil, err
		}
	}
	if ctx.IsSet(listPersistFlag.Name) {
		if persisters, err = parseNodeIDs(listPersistFlag.Name, ctx.StringSlice(listPersistFlag.Name)); err != nil {
			return nil, err
		}
	}
	encrypt := ctx.StringSlice(listEncryptFlag.Name)
	return func(m *ledger.Metadata) error {
		if script != nil {
			m.Script = script
		}
		if schema != nil {
			m.Schema = *schema
		}
		if ctx.IsSet(listScheduleFlag.Name) {
			m.Schedule = ctx.String(listScheduleFlag.Name)
		}
		if workers != nil {
			m.Workers = slices.Clone(workers)
		}
		if persisters != nil {
			m.Persistence = slices.Clone(persisters)
		}
		if len(encrypt) > 0 {
			return applyEncryption(&m.Schema, encrypt)
		}
		return nil
	}, nil
}

// providerStatus shows each step, the chain, the certified version, the
// workers' last runs and each persistence node's versions and rows.
func providerStatus(ctx *cli.Context) error {
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	path, err := ownDataset(ctx, key, "enigma provider status <name>")
	if err != nil {
		return err
	}
	s, err := connectSession(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	wctx, cancel := withTimeout(ctx)
	defer cancel()
	st, err := s.Status(wctx, key, path, client.JournalPath(datadir(ctx), path.ID()))
	if err != nil {
		return err
	}
	w := ctx.App.Writer
	if format != "table" {
		out := providerStatusOutput(path, st, client.JournalPath(datadir(ctx), path.ID()))
		if format == "csv" {
			return writeData(w, format, out.rows())
		}
		return writeData(w, format, out)
	}
	fmt.Fprintf(w, "Dataset: %s\nID:      %s\n", path, path.ID().Hex())
	if j := st.Journal; j != nil {
		state := "in progress"
		if j.Complete() {
			state = "finished " + j.Finished.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "\nLast change: %s to version %d, %s (journal %s)\n", j.Kind, j.Version, state, client.JournalPath(datadir(ctx), path.ID()))
		for _, step := range j.Steps {
			mark := "todo"
			if step.Done {
				mark = "done"
			}
			fmt.Fprintf(w, "  %-4s  %-18s %s\n", mark, step.Name, step.Detail)
		}
		if !j.Complete() {
			fmt.Fprintf(w, "  continue it with 'enigma provider resume %s'\n", path.Name)
		}
	}
	fmt.Fprintln(w)
	if st.OnChain == nil {
		fmt.Fprintln(w, "Chain:   not registered")
	} else {
		d := st.OnChain
		fmt.Fprintf(w, "Chain:   %s, price %s ENG per period, deposit %s ENG, metadata hash %s\n", status(*d), chain.FormatENG(d.Price), chain.FormatENG(d.Deposit), common.Hash(d.MetadataHash).Hex())
		if st.Rank != nil {
			fmt.Fprintf(w, "         %d active subscriber(s) this period, %s ENG paid in all\n", st.Rank.ActiveSubscribers, chain.FormatENG(st.Rank.TotalPaid))
		}
	}
	if st.Record == nil {
		fmt.Fprintf(w, "Ledger:  no certified record resolves (%v)\n", st.RecordErr)
		return nil
	}
	m := &st.Record.Signed.Metadata
	match := "the chain holds its hash"
	if !st.HashMatches {
		match = "the chain holds another hash (an update between its chain step and certification?)"
	}
	fmt.Fprintf(w, "Ledger:  version %d certified at sequence %d (chain block %d); %s\n", m.Version, st.Record.UpdatedSeq, st.Record.UpdatedBlock, match)
	fmt.Fprintf(w, "         schedule %s, %d worker(s), %d persistence node(s)\n", m.Schedule, len(m.Workers), len(m.Persistence))
	fmt.Fprintln(w, "\nWorkers:")
	for _, n := range st.Workers {
		if n.Err != nil {
			fmt.Fprintf(w, "  %s  not answering: %v\n", n.ID.Short(), n.Err)
			continue
		}
		wi := n.Info.Worker
		fmt.Fprintf(w, "  %s  job version %d, knows version %d, keys %s, %d input file(s)\n", n.ID.Short(), wi.JobVersion, wi.KnownVersion, yesNo(wi.HasKeys), wi.StagedFiles)
		if len(wi.Runs) == 0 {
			fmt.Fprintln(w, "      no runs yet")
		}
		for _, r := range wi.Runs {
			fmt.Fprintf(w, "      v%d slot %s  %-9s %d rows to %d/%d nodes", r.Version, time.UnixMicro(int64(r.SlotMicros)).UTC().Format(time.RFC3339), r.Status, r.Rows, r.NodesOK, r.NodesTotal)
			if r.Error != "" {
				fmt.Fprintf(w, "  error: %s", r.Error)
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w, "\nPersistence nodes:")
	for _, n := range st.Persistence {
		if n.Err != nil {
			fmt.Fprintf(w, "  %s  not answering: %v\n", n.ID.Short(), n.Err)
			continue
		}
		pi := n.Info.Persistence
		if len(pi.Tables) == 0 {
			fmt.Fprintf(w, "  %s  stores nothing of it yet (knows version %d)\n", n.ID.Short(), pi.KnownVersion)
		}
		for _, t := range pi.Tables {
			state := "pending (first run not complete)"
			switch {
			case t.Serving && t.HasRun:
				state = "serving"
			case t.Serving:
				state = "serving, no complete run yet"
			}
			rows := fmt.Sprint(t.Rows)
			if t.RowsCapped {
				rows = "≥" + rows
			}
			last := "none"
			if t.HasRun {
				last = time.UnixMicro(int64(t.NewestSlotMicros)).UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(w, "  %s  version %d: %s, %s rows, newest complete run %s\n", n.ID.Short(), t.Version, state, rows, last)
		}
	}
	return nil
}

// providerStatusOut is 'provider status' for scripts (--format json).
type providerStatusOut struct {
	Dataset   string `json:"dataset"`
	DatasetID string `json:"dataset_id"`
	// Journal is the last listing or update started from this datadir
	// (null: none).
	Journal *journalOut `json:"journal"`
	// Chain is the Marketplace's view (null: not registered).
	Chain *datasetOut `json:"chain"`
	// Ledger is the newest certified version (null: none resolves;
	// ledger_error says why).
	Ledger      *ledgerVersionOut `json:"ledger"`
	LedgerError string            `json:"ledger_error,omitempty"`
	Workers     []workerStatusOut `json:"workers"`
	Persistence []storeStatusOut  `json:"persistence"`
}

type journalOut struct {
	Kind     string           `json:"kind"` // register or update
	Version  uint64           `json:"version"`
	Complete bool             `json:"complete"`
	Started  string           `json:"started"`  // RFC 3339, UTC
	Finished string           `json:"finished"` // empty while in progress
	File     string           `json:"file"`
	Steps    []journalStepOut `json:"steps"`
}

type journalStepOut struct {
	Name   string `json:"name"`
	Done   bool   `json:"done"`
	Detail string `json:"detail"`
}

type ledgerVersionOut struct {
	Version          uint64 `json:"version"`
	UpdatedSequence  uint64 `json:"updated_sequence"` // the ledger sequence that certified it
	UpdatedBlock     uint64 `json:"updated_block"`    // the chain block it was certified against
	HashMatchesChain bool   `json:"hash_matches_chain"`
	Schedule         string `json:"schedule"`
	Workers          int    `json:"workers"`
	Persistence      int    `json:"persistence"`
	MetadataHash     string `json:"metadata_hash"`
}

type workerStatusOut struct {
	NodeID       string      `json:"node_id"`
	Answered     bool        `json:"answered"`
	Error        string      `json:"error,omitempty"` // why it did not answer
	JobVersion   uint64      `json:"job_version"`
	KnownVersion uint64      `json:"known_version"`
	HasKeys      bool        `json:"has_keys"`
	StagedFiles  uint64      `json:"staged_files"`
	Runs         []runStatus `json:"runs"`
}

type runStatus struct {
	Version    uint64 `json:"version"`
	Slot       string `json:"slot"` // RFC 3339, UTC
	Status     string `json:"status"`
	Rows       uint64 `json:"rows"`
	NodesOK    uint64 `json:"nodes_ok"`
	NodesTotal uint64 `json:"nodes_total"`
	Error      string `json:"error,omitempty"`
}

type storeStatusOut struct {
	NodeID       string        `json:"node_id"`
	Answered     bool          `json:"answered"`
	Error        string        `json:"error,omitempty"`
	KnownVersion uint64        `json:"known_version"`
	Tables       []tableStatus `json:"tables"`
}

type tableStatus struct {
	Version    uint64 `json:"version"`
	Serving    bool   `json:"serving"`
	HasRun     bool   `json:"has_run"`
	Rows       uint64 `json:"rows"`
	RowsCapped bool   `json:"rows_capped"` // rows is a lower bound
	NewestRun  string `json:"newest_run"`  // the newest complete run's slot, RFC 3339; empty: none
}

func slotTime(micros uint64) string {
	return time.UnixMicro(int64(micros)).UTC().Format(time.RFC3339)
}

func providerStatusOutput(path dataset.Path, st *client.Status, file string) providerStatusOut {
	out := providerStatusOut{Dataset: path.String(), DatasetID: path.ID().Hex(), Workers: []workerStatusOut{}, Persistence: []storeStatusOut{}}
	if j := st.Journal; j != nil {
		jo := &journalOut{Kind: j.Kind, Version: j.Version, Complete: j.Complete(), Started: j.Started.UTC().Format(time.RFC3339), File: file, Steps: []journalStepOut{}}
		if !j.Finished.IsZero() {
			jo.Finished = j.Finished.UTC().Format(time.RFC3339)
		}
		for _, s := range j.Steps {
			jo.Steps = append(jo.Steps, journalStepOut{Name: s.Name, Done: s.Done, Detail: s.Detail})
		}
		out.Journal = jo
	}
	if st.OnChain != nil {
		l := chain.Listed{Dataset: *st.OnChain}
		if st.Rank != nil {
			l.Rank = *st.Rank
		}
		d := datasetOutput(l, 0)
		out.Chain = &d
	}
	if st.Record == nil {
		if st.RecordErr != nil {
			out.LedgerError = st.RecordErr.Error()
		}
	} else {
		m := &st.Record.Signed.Metadata
		out.Ledger = &ledgerVersionOut{Version: m.Version, UpdatedSequence: st.Record.UpdatedSeq, UpdatedBlock: st.Record.UpdatedBlock, HashMatchesChain: st.HashMatches,
			Schedule: m.Schedule, Workers: len(m.Workers), Persistence: len(m.Persistence)}
		if h, err := ledger.MetadataHash(m); err == nil {
			out.Ledger.MetadataHash = h.Hex()
		}
	}
	for _, n := range st.Workers {
		wo := workerStatusOut{NodeID: n.ID.String(), Answered: n.Err == nil, Runs: []runStatus{}}
		if n.Err != nil {
			wo.Error = n.Err.Error()
		} else {
			wi := &n.Info.Worker
			wo.JobVersion, wo.KnownVersion, wo.HasKeys, wo.StagedFiles = wi.JobVersion, wi.KnownVersion, wi.HasKeys, wi.StagedFiles
			for _, r := range wi.Runs {
				wo.Runs = append(wo.Runs, runStatus{Version: r.Version, Slot: slotTime(r.SlotMicros), Status: r.Status, Rows: r.Rows, NodesOK: r.NodesOK, NodesTotal: r.NodesTotal, Error: r.Error})
			}
		}
		out.Workers = append(out.Workers, wo)
	}
	for _, n := range st.Persistence {
		so := storeStatusOut{NodeID: n.ID.String(), Answered: n.Err == nil, Tables: []tableStatus{}}
		if n.Err != nil {
			so.Error = n.Err.Error()
		} else {
			pi := &n.Info.Persistence
			so.KnownVersion = pi.KnownVersion
			for _, t := range pi.Tables {
				ts := tableStatus{Version: t.Version, Serving: t.Serving, HasRun: t.HasRun, Rows: t.Rows, RowsCapped: t.RowsCapped}
				if t.HasRun {
					ts.NewestRun = slotTime(t.NewestSlotMicros)
				}
				so.Tables = append(so.Tables, ts)
			}
		}
		out.Persistence = append(out.Persistence, so)
	}
	return out
}

// statusRow is one line of 'provider status --format csv': a worker with
// its newest run, or one version a persistence node stores (a node with
// nothing to show gets one line too).
type statusRow struct {
	Dataset  string `json:"dataset"`
	Role     string `json:"role"` // worker or persistence
	NodeID   string `json:"node_id"`
	Answered bool   `json:"answered"`
	Error    string `json:"error"`
	Version  uint64 `json:"version"` // the job's (worker) or the table's (persistence)
	State    string `json:"state"`   // the newest run's status (worker); serving, pending (persistence)
	Rows     uint64 `json:"rows"`
	Slot     string `json:"slot"` // the newest run's slot, RFC 3339
}

func (o providerStatusOut) rows() []statusRow {
	rows := []statusRow{}
	for _, w := range o.Workers {
		r := statusRow{Dataset: o.Dataset, Role: "worker", NodeID: w.NodeID, Answered: w.Answered, Error: w.Error, Version: w.JobVersion}
		if n := len(w.Runs); n > 0 {
			last := w.Runs[n-1]
			r.State, r.Rows, r.Slot = last.Status, last.Rows, last.Slot
			if last.Error != "" {
				r.Error = last.Error
			}
		}
		rows = append(rows, r)
	}
	for _, p := range o.Persistence {
		base := statusRow{Dataset: o.Dataset, Role: "persistence", NodeID: p.NodeID, Answered: p.Answered, Error: p.Error}
		if len(p.Tables) == 0 {
			rows = append(rows, base)
		}
		for _, t := range p.Tables {
			r := base
			r.Version, r.Rows, r.Slot, r.State = t.Version, t.Rows, t.NewestRun, "pending"
			if t.Serving {
				r.State = "serving"
			}
			rows = append(rows, r)
		}
	}
	return rows
}

func yesNo(b bool) string {
	if b {
		return "held"
	}
	return "missing"
}

// providerEarnings shows what a dataset earned and where the money waits.
// earningsOut is what a dataset earned, for scripts.
type earningsOut struct {
	Dataset           string          `json:"dataset"`
	Active            bool            `json:"active"`
	PricePerPeriod    amount          `json:"price_per_period"`
	ActiveSubscribers uint64          `json:"active_subscribers"`
	TotalPaid         amount          `json:"total_paid"`
	Payouts           []payoutEarning `json:"payouts"`
}

// payoutEarning is one payout account's part; its waiting balance covers
// all the account's datasets.
type payoutEarning struct {
	Account    string      `json:"account"`
	Bps        uint16      `json:"bps"`
	EarnedHere amount      `json:"earned_here"`
	Waiting    amount      `json:"waiting"` // credited, to be withdrawn
	ETH        etherAmount `json:"eth"`     // for the withdrawal's gas
}

func providerEarnings(ctx *cli.Context) error {
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	ks, err := openKeystore(ctx)
	if err != nil {
		return err
	}
	me, err := pickAccount(ctx, ks)
	if err != nil {
		return err
	}
	arg, err := oneArg(ctx, "enigma provider earnings <name>")
	if err != nil {
		return err
	}
	path := dataset.Path{Provider: me, Name: arg}
	if strings.Contains(arg, "/") {
		if path, err = dataset.ParsePath(arg); err != nil {
			return err
		}
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	d, err := readDataset(ctx, c, path)
	if err != nil {
		return err
	}
	rank, err := c.Rank(ctx.Context, path.ID())
	if err != nil {
		return err
	}
	if format != "table" {
		out := earningsOut{Dataset: path.String(), Active: d.Active, PricePerPeriod: engAmount(d.Price),
			ActiveSubscribers: rank.ActiveSubscribers, TotalPaid: engAmount(rank.TotalPaid), Payouts: []payoutEarning{}}
		for _, p := range d.Payouts {
			share := new(big.Int).Div(new(big.Int).Mul(rank.TotalPaid, big.NewInt(int64(p.Bps))), big.NewInt(10_000))
			bal, err := c.PayoutBalance(ctx.Context, p.Account)
			if err != nil {
				return err
			}
			eth, err := c.ETHBalance(ctx.Context, p.Account)
			if err != nil {
				return err
			}
			out.Payouts = append(out.Payouts, payoutEarning{Account: p.Account.Hex(), Bps: p.Bps, EarnedHere: engAmount(share), Waiting: engAmount(bal), ETH: ether(eth)})
		}
		if format == "csv" {
			return writeData(ctx.App.Writer, format, out.Payouts)
		}
		return writeData(ctx.App.Writer, format, out)
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Dataset:       %s (%s)\nPrice:         %s ENG per period\nSubscribers:   %d active this period\nPaid in all:   %s ENG (credited to the payout accounts as paid)\n",
		path, status(d), chain.FormatENG(d.Price), rank.ActiveSubscribers, chain.FormatENG(rank.TotalPaid))
	fmt.Fprintln(w, "Payout accounts (balances are per account, over all its datasets):")
	for _, p := range d.Payouts {
		share := new(big.Int).Div(new(big.Int).Mul(rank.TotalPaid, big.NewInt(int64(p.Bps))), big.NewInt(10_000))
		bal, err := c.PayoutBalance(ctx.Context, p.Account)
		if err != nil {
			return err
		}
		eth, err := c.ETHBalance(ctx.Context, p.Account)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s  %5.2f%%  earned here %s ENG; waiting to be withdrawn %s ENG; %s ETH for gas\n",
			p.Account.Hex(), float64(p.Bps)/100, chain.FormatENG(share), chain.FormatENG(bal), chain.FormatETH(eth))
		if bal.Sign() > 0 {
			if note := gasAdvice(ctx, c, p.Account, eth); note != "" {
				fmt.Fprintf(w, "      %s\n", note)
			}
		}
	}
	fmt.Fprintln(w, "Withdraw with 'enigma account withdraw' from each payout account.")
	return nil
}

// gasAdvice says what a payout account without gas for a withdrawal
// should do ("" if it has enough).
func gasAdvice(ctx *cli.Context, c *chain.Client, acct common.Address, eth *big.Int) string {
	gas, err := c.EstimateWithdraw(ctx.Context, acct)
	if err != nil {
		gas = 60_000
	}
	fee, err := c.MaxFeePerGas(ctx.Context)
	if err != nil {
		return ""
	}
	need := new(big.Int).Mul(fee, new(big.Int).SetUint64(gas))
	if eth.Cmp(need) >= 0 {
		return ""
	}
	return fmt.Sprintf("needs about %s ETH of gas to withdraw and holds %s: send it some first, e.g. 'enigma account send --eth --to %s --amount 0.01' from a funded account", chain.FormatETH(need), chain.FormatETH(eth), acct.Hex())
}
