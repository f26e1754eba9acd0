package main

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/dataset"
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
			Description: "With --schema, lists the dataset end to end: registers it on chain, gives the workers the\n" +
				"column keys, has the validators certify the signed metadata, and waits until the certified\n" +
				"record resolves in the DHT. Without --schema, only the on-chain register with --metadata-hash.",
			ArgsUsage: "<name>",
			Flags: append(append([]cli.Flag{}, listingFlags...), priceFlag, depositFlag, metadataHashFlag, payoutFlag, trialFlag, approveFlag,
				listSchemaFlag, listScriptFlag, listScheduleFlag, listWorkersFlag, listPersistFlag, listEncryptFlag),
			Action: providerRegister,
		},
		{
			Name:      "grant",
			Usage:     "seal a dataset's column keys to a subscriber (HPKE) so it can query encrypted columns",
			ArgsUsage: "<provider>/<name>",
			Flags:     []cli.Flag{grantToFlag, grantOutFlag},
			Action:    providerGrant,
		},
		{
			Name:      "update",
			Usage:     "change the price (for future subscriptions), metadata hash or payouts",
			ArgsUsage: "<name>",
			Flags:     append(append([]cli.Flag{}, txFlags...), priceFlag, metadataHashFlag, payoutFlag),
			Action:    providerUpdate,
		},
		{
			Name:      "deposit",
			Usage:     "top up a dataset's deposit",
			ArgsUsage: "<name>",
			Flags:     append(append([]cli.Flag{}, txFlags...), amountFlag, approveFlag),
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
			Usage:     "withdraw your payouts, or with a dataset name its unlocked deposit",
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
	if err := ensureFunds(ctx, c, key, deposit); err != nil {
		return err
	}
	id, r, err := c.Register(ctx.Context, key, chain.RegisterParams{
		Name: p.Name, Price: price, Deposit: deposit, MetadataHash: hash, Payouts: payouts, TrialPeriod: ctx.Duration(trialFlag.Name),
	})
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
	p, err := ownDataset(ctx, key, "enigma provider update [--price ENG] [--metadata-hash 0x…] [--payout addr:bps]… <name>")
	if err != nil {
		return err
	}
	if !ctx.IsSet(priceFlag.Name) && !ctx.IsSet(metadataHashFlag.Name) && !ctx.IsSet(payoutFlag.Name) {
		return errors.New("nothing to update: give --price, --metadata-hash or --payout")
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

func providerWithdraw(ctx *cli.Context) error {
	key, err := unlockAccount(ctx)
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
	what := "payouts"
	if ctx.NArg() == 0 {
		_, err = c.Withdraw(ctx.Context, key)
	} else {
		var p dataset.Path
		if p, err = ownDataset(ctx, key, "enigma provider withdraw [<name>]"); err != nil {
			return err
		}
		what = "the deposit of " + p.String()
		_, err = c.WithdrawDeposit(ctx.Context, key, p.ID())
	}
	if err != nil {
		return err
	}
	after, err := c.TokenBalance(ctx.Context, me)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Withdrew %s ENG (%s) to %s\n", chain.FormatENG(new(big.Int).Sub(after, before)), what, me.Hex())
	return nil
}
