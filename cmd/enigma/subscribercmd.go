package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
)

var (
	periodsFlag = &cli.Uint64Flag{
		Name:  "periods",
		Usage: "number of 30-day periods to pay for",
		Value: 1,
	}
	userFlag = &cli.StringFlag{
		Name:  "user",
		Usage: "address to report on (default: --account or the keystore's only account)",
	}
	autoFlag = &cli.BoolFlag{
		Name:  "auto",
		Usage: "keep running and renew each time the subscription nears its end",
	}
	renewLeadFlag = &cli.DurationFlag{
		Name:  "lead",
		Usage: "with --auto: renew this long before the subscription ends",
		Value: 72 * time.Hour,
	}
	renewPollFlag = &cli.DurationFlag{
		Name:  "poll",
		Usage: "with --auto: how often to check the subscription",
		Value: time.Minute,
	}
	refundEpochFlag = &cli.Uint64Flag{
		Name:     "epoch",
		Usage:    "validator epoch of the slash ('enigma market events' lists Slashed events)",
		Required: true,
	}
	maxRenewalsFlag = &cli.IntFlag{
		Name:  "max-renewals",
		Usage: "with --auto: stop after this many renewals (0: no limit)",
	}
)

// subscriberCommand holds the subscriber's chain actions; off-chain ones
// (queries) are added beside them.
var subscriberCommand = &cli.Command{
	Name:  "subscriber",
	Usage: "subscribe to datasets and manage subscriptions",
	Description: "Refund rule: unsubscribe ends access at once and refunds nothing (payments are credited to\n" +
		"the payout accounts when made). Subscribers are compensated from slashed deposits instead.",
	Subcommands: []*cli.Command{
		{
			Name:      "query",
			Usage:     "query a dataset: resolve its certified record, ask a persistence node, decrypt the result",
			ArgsUsage: `<provider>/<name> "SELECT …"`,
			Flags:     append(append([]cli.Flag{}, listingFlags...), grantFileFlag, queryFormatFlag, joinFlag),
			Action:    subscriberQuery,
		},
		{
			Name:   "grant-key",
			Usage:  "print the key providers seal column-key grants to (created on first use)",
			Action: subscriberGrantKey,
		},
		{
			Name:      "subscribe",
			Usage:     "pay for access: price × periods, extending from the current expiry",
			ArgsUsage: "<provider>/<name>",
			Flags:     append(append(append([]cli.Flag{}, txFlags...), periodsFlag, approveFlag), spendFlags...),
			Action:    subscriberSubscribe,
		},
		{
			Name:      "unsubscribe",
			Usage:     "end your subscription now (no refund)",
			ArgsUsage: "<provider>/<name>",
			Flags:     append(append([]cli.Flag{}, txFlags...), spendFlags...),
			Action:    subscriberUnsubscribe,
		},
		{
			Name:      "trial",
			Usage:     "start your one free trial of a dataset",
			ArgsUsage: "<provider>/<name>",
			Flags:     txFlags,
			Action:    subscriberTrial,
		},
		{
			Name:      "status",
			Usage:     "show access, subscription expiry and trial of an account",
			ArgsUsage: "<provider>/<name>",
			Flags:     append(append([]cli.Flag{}, chainFlags...), accountFlag, userFlag, formatFlag),
			Action:    subscriberStatus,
		},
		{
			Name:      "refund",
			Usage:     "claim your share of a slashed deposit (subscribers of the slash's period)",
			ArgsUsage: "<provider>/<name>",
			Flags:     append(append([]cli.Flag{}, txFlags...), refundEpochFlag),
			Action:    subscriberRefund,
		},
		{
			Name:      "renew",
			Usage:     "renew a subscription now, or with --auto keep renewing period after period",
			ArgsUsage: "<provider>/<name>",
			Flags:     append(append(append([]cli.Flag{}, txFlags...), periodsFlag, approveFlag, autoFlag, renewLeadFlag, renewPollFlag, maxRenewalsFlag, renewMetricsFlag), spendFlags...),
			Action:    subscriberRenew,
		},
	},
}

// checkPeriods gives a clear error for a period count the contract refuses.
func checkPeriods(ctx *cli.Context, c *chain.Client) (uint64, error) {
	n := ctx.Uint64(periodsFlag.Name)
	max, err := c.MaxPeriods(ctx.Context)
	if err != nil {
		return 0, err
	}
	if n == 0 || n > max {
		return 0, fmt.Errorf("--periods %d: a subscription buys 1 to %d periods of 30 days at a time", n, max)
	}
	return n, nil
}

// pay subscribes key to p for periods, approving the cost if needed. Before
// anything is sent it checks the dataset takes subscriptions, the balance,
// and simulates the subscribe; unless confirmed it shows the summary and
// asks (--yes, --dry-run). It reports whether it paid.
func pay(ctx *cli.Context, c *chain.Client, key *ecdsa.PrivateKey, p dataset.Path, periods uint64, confirmed bool) (bool, error) {
	d, err := readDataset(ctx, c, p)
	if err != nil {
		return false, err
	}
	if !d.Active {
		return false, deactivatedError{p}
	}
	cost, err := c.SubscriptionCost(ctx.Context, p.ID(), periods)
	if err != nil {
		return false, err
	}
	from := chain.Address(key)
	var be *chain.BalanceError
	if err := c.CheckFunds(ctx.Context, from, cost); errors.As(err, &be) {
		return false, fmt.Errorf("%w; nothing was sent", err)
	}
	s := &spend{
		what: fmt.Sprintf("Subscribe to %s for %d period(s) of 30 days", p, periods), from: from,
		pays: cost, payee: "the Marketplace, credited to the dataset's payout accounts",
		notes: []string{"unsubscribing later ends access at once and refunds nothing"},
	}
	if err := s.simulate(ctx, c, func() (uint64, error) { return c.EstimateSubscribe(ctx.Context, from, p.ID(), periods) }); err != nil {
		return false, err
	}
	if !confirmed {
		if ok, err := s.confirm(ctx, c); !ok || err != nil {
			return false, err
		}
	}
	if err := ensureFunds(ctx, c, key, cost); err != nil {
		return false, err
	}
	if _, err := c.Subscribe(ctx.Context, key, p.ID(), periods); err != nil {
		return false, err
	}
	sub, err := c.Subscription(ctx.Context, p.ID(), from)
	if err != nil {
		return true, err
	}
	fmt.Fprintf(ctx.App.Writer, "Subscribed to %s for %d period(s), paid %s ENG; access until %s\n",
		p, periods, chain.FormatENG(cost), formatUnix(sub.Expiry))
	return true, nil
}

func formatUnix(t uint64) string { return time.Unix(int64(t), 0).UTC().Format(time.RFC3339) }

// paymentArgs reads what subscribe and renew share: the dataset, the chain,
// a checked period count and the unlocked paying account.
func paymentArgs(ctx *cli.Context, usage string) (dataset.Path, *chain.Client, uint64, *ecdsa.PrivateKey, error) {
	p, err := parsePathArg(ctx, usage)
	if err != nil {
		return p, nil, 0, nil, err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return p, nil, 0, nil, err
	}
	periods, err := checkPeriods(ctx, c)
	if err != nil {
		return p, nil, 0, nil, err
	}
	key, err := unlockAccount(ctx)
	return p, c, periods, key, err
}

// accountArgs reads what the subscriber's other chain actions share: the
// dataset, the chain and the unlocked account.
func accountArgs(ctx *cli.Context, usage string) (dataset.Path, *chain.Client, *ecdsa.PrivateKey, error) {
	p, err := parsePathArg(ctx, usage)
	if err != nil {
		return p, nil, nil, err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return p, nil, nil, err
	}
	key, err := unlockAccount(ctx)
	return p, c, key, err
}

func subscriberSubscribe(ctx *cli.Context) error {
	p, c, periods, key, err := paymentArgs(ctx, "enigma subscriber subscribe [--periods N] <provider>/<name>")
	if err != nil {
		return err
	}
	_, err = pay(ctx, c, key, p, periods, false)
	return err
}

func subscriberUnsubscribe(ctx *cli.Context) error {
	p, c, key, err := accountArgs(ctx, "enigma subscriber unsubscribe <provider>/<name>")
	if err != nil {
		return err
	}
	sub, err := c.Subscription(ctx.Context, p.ID(), chain.Address(key))
	if err != nil {
		return err
	}
	s := &spend{what: fmt.Sprintf("Unsubscribe from %s", p), from: chain.Address(key),
		notes: []string{fmt.Sprintf("access paid until %s ends now, and nothing is refunded", formatUnix(sub.Expiry))}}
	if ok, err := s.confirm(ctx, c); !ok || err != nil {
		return err
	}
	if _, err := c.Unsubscribe(ctx.Context, key, p.ID()); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Unsubscribed from %s; access has ended (no refund)\n", p)
	return nil
}

func subscriberTrial(ctx *cli.Context) error {
	p, c, key, err := accountArgs(ctx, "enigma subscriber trial <provider>/<name>")
	if err != nil {
		return err
	}
	if _, err := c.StartTrial(ctx.Context, key, p.ID()); err != nil {
		return err
	}
	sub, err := c.Subscription(ctx.Context, p.ID(), chain.Address(key))
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Trial of %s started; access until %s\n", p, formatUnix(sub.TrialEnds))
	return nil
}

// subscriptionOut is an account's standing with a dataset for scripts;
// times are RFC 3339 in UTC, empty when there is none.
type subscriptionOut struct {
	Dataset          string `json:"dataset"`
	Account          string `json:"account"`
	Access           bool   `json:"access"`     // what a persistence node checks
	Subscribed       bool   `json:"subscribed"` // a paid subscription runs at the chain's head
	SubscriptionEnds string `json:"subscription_ends"`
	InTrial          bool   `json:"in_trial"`
	TrialUsed        bool   `json:"trial_used"`
	TrialEnds        string `json:"trial_ends"`
}

func subscriberStatus(ctx *cli.Context) error {
	p, err := parsePathArg(ctx, "enigma subscriber status [--user 0x…] <provider>/<name>")
	if err != nil {
		return err
	}
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	var user common.Address
	if s := ctx.String(userFlag.Name); s != "" {
		if !common.IsHexAddress(s) {
			return fmt.Errorf("--user %q is not an Ethereum address", s)
		}
		user = common.HexToAddress(s)
	} else {
		ks, err := openKeystore(ctx)
		if err != nil {
			return err
		}
		if user, err = pickAccount(ctx, ks); err != nil {
			return err
		}
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	if _, err := readDataset(ctx, c, p); err != nil {
		return err
	}
	access, err := c.HasAccess(ctx.Context, p.ID(), user)
	if err != nil {
		return err
	}
	sub, err := c.Subscription(ctx.Context, p.ID(), user)
	if err != nil {
		return err
	}
	now, err := c.HeadTime(ctx.Context)
	if err != nil {
		return err
	}
	if format != "table" {
		head := uint64(now.Unix())
		return writeData(ctx.App.Writer, format, subscriptionOut{
			Dataset: p.String(), Account: user.Hex(), Access: access,
			Subscribed: sub.Expiry > head, SubscriptionEnds: unixTime(sub.Expiry),
			InTrial: sub.TrialEnds > head, TrialUsed: sub.TrialEnds > 0, TrialEnds: unixTime(sub.TrialEnds),
		})
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Dataset:      %s\nAccount:      %s\nAccess:       %v\n", p, user.Hex(), access)
	switch {
	case sub.Expiry > uint64(now.Unix()):
		fmt.Fprintf(w, "Subscription: until %s\n", formatUnix(sub.Expiry))
	case sub.Expiry > 0:
		fmt.Fprintf(w, "Subscription: ended %s\n", formatUnix(sub.Expiry))
	default:
		fmt.Fprintln(w, "Subscription: none")
	}
	switch {
	case sub.TrialEnds > uint64(now.Unix()):
		fmt.Fprintf(w, "Trial:        until %s\n", formatUnix(sub.TrialEnds))
	case sub.TrialEnds > 0:
		fmt.Fprintf(w, "Trial:        used, ended %s\n", formatUnix(sub.TrialEnds))
	default:
		fmt.Fprintln(w, "Trial:        not used")
	}
	return nil
}

func subscriberRefund(ctx *cli.Context) error {
	p, c, key, err := accountArgs(ctx, "enigma subscriber refund --epoch N <provider>/<name>")
	if err != nil {
		return err
	}
	epoch := ctx.Uint64(refundEpochFlag.Name)
	pool, err := c.RefundPool(ctx.Context, p.ID(), epoch)
	if err != nil {
		return err
	}
	if _, err := c.ClaimRefund(ctx.Context, key, p.ID(), epoch); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Claimed %s ENG from the slash of %s in epoch %d\n", chain.FormatENG(pool.PerSubscriber), p, epoch)
	return nil
}

// renewDue reports whether a subscription ending at expiry should be renewed
// at chain time now, lead ahead of its end.
func renewDue(now time.Time, expiry uint64, lead time.Duration) bool {
	return !now.Add(lead).Before(time.Unix(int64(expiry), 0))
}

func subscriberRenew(ctx *cli.Context) error {
	p, c, periods, key, err := paymentArgs(ctx, "enigma subscriber renew [--periods N] [--auto] <provider>/<name>")
	if err != nil {
		return err
	}
	if !ctx.Bool(autoFlag.Name) {
		_, err := pay(ctx, c, key, p, periods, false)
		return err
	}
	lead, poll, limit := ctx.Duration(renewLeadFlag.Name), ctx.Duration(renewPollFlag.Name), ctx.Int(maxRenewalsFlag.Name)
	if lead < 0 || poll <= 0 || limit < 0 {
		return errors.New("--lead must not be negative, --poll must be positive and --max-renewals not negative")
	}
	maxPeriods, err := c.MaxPeriods(ctx.Context)
	if err != nil {
		return err
	}
	if ahead := time.Duration(maxPeriods-periods) * chain.Period; lead > ahead {
		return fmt.Errorf("--lead %s: at most %s, since paid time may reach only %d periods ahead", lead, ahead, maxPeriods)
	}
	// One confirmation covers the renewals to come.
	d, err := readDataset(ctx, c, p)
	if err != nil {
		return err
	}
	each := new(big.Int).Mul(d.Price, new(big.Int).SetUint64(periods))
	most := "until stopped"
	if limit > 0 {
		most = fmt.Sprintf("at most %d time(s), %s ENG in all", limit, chain.FormatENG(new(big.Int).Mul(each, big.NewInt(int64(limit)))))
	}
	s := &spend{
		what: fmt.Sprintf("Renew %s by %d period(s) whenever fewer than %s remain, %s", p, periods, lead, most), from: chain.Address(key),
		pays: each, payee: "the Marketplace at each renewal (the price then may differ)",
	}
	if ok, err := s.confirm(ctx, c); !ok || err != nil {
		return err
	}
	st, n, err := serveRenewMetrics(ctx, func(reg prometheus.Registerer) (*renewStatus, error) { return newRenewStatus(p, lead, reg) })
	if err != nil {
		return err
	}
	if n != nil {
		defer n.Stop()
	}
	runCtx, stop := signal.NotifyContext(ctx.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(ctx.App.Writer, "Renewing %s by %d period(s) whenever fewer than %s remain; Ctrl-C stops\n", p, periods, lead)
	slog.Info("auto-renew running", "dataset", p, "account", chain.Address(key), "periods", periods, "lead", lead, "poll", poll, "max_renewals", limit)
	renewals := 0
	for {
		// A failed read or renewal is counted, logged and retried at the
		// next poll (an RPC endpoint's hiccup must not end the service);
		// only a deactivated dataset, which no retry can renew, ends it.
		due, err := checkRenewal(runCtx, c, p, key, lead, st)
		if err != nil && runCtx.Err() == nil {
			st.failed(renewFailCheck, err)
		}
		if due {
			if _, err := pay(ctx, c, key, p, periods, true); err != nil {
				if errors.As(err, new(deactivatedError)) {
					slog.Error("auto-renew stops", "dataset", p, "err", err)
					return fmt.Errorf("auto-renew: %w", err)
				}
				st.failed(renewFailPay, err)
			} else {
				renewals++
				st.renewed()
				if limit > 0 && renewals >= limit {
					fmt.Fprintf(ctx.App.Writer, "Renewed %d time(s): --max-renewals reached\n", renewals)
					return nil
				}
				continue
			}
		}
		select {
		case <-runCtx.Done():
			return nil
		case <-time.After(poll):
		}
	}
}

// checkRenewal reads the subscription and the chain's time and reports
// whether a renewal is due, recording what it read in st.
func checkRenewal(ctx context.Context, c *chain.Client, p dataset.Path, key *ecdsa.PrivateKey, lead time.Duration, st *renewStatus) (bool, error) {
	sub, err := c.Subscription(ctx, p.ID(), chain.Address(key))
	if err != nil {
		return false, err
	}
	head, err := c.HeadTime(ctx)
	if err != nil {
		return false, err
	}
	// The next block is at least as late as the latest one and as the wall
	// clock (a dev chain makes blocks only when there are transactions, so
	// its head can lag).
	now := time.Now()
	if head.After(now) {
		now = head
	}
	due := renewDue(now, sub.Expiry, lead)
	st.checked(time.Now(), sub.Expiry, due)
	return due, nil
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
