package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/dataset"
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
	p, err := ownDataset(ctx, key, "enigma provider update [--script F] [--schema F] [--schedule S] [--workers IDs] [--persistence IDs] [--encrypt col=det|ope] [--price ENG] [--payout addr:bps]… <name>")
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
