package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"os/signal"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/dataset"
)

var (
	topCountFlag = &cli.IntFlag{
		Name:  "n",
		Usage: "how many datasets to show",
		Value: 10,
	}
	followFlag = &cli.BoolFlag{
		Name:  "follow",
		Usage: "keep printing new events until Ctrl-C",
	}
	eventsFromFlag = &cli.Uint64Flag{
		Name:  "from",
		Usage: "first block to scan (default: the recorded deployment block, else 0)",
	}
)

var marketCommand = &cli.Command{
	Name:  "market",
	Usage: "browse the datasets listed on the Marketplace",
	Description: "Ranking: subscribers paid for some time in the current 30-day period (exact on-chain\n" +
		"counters), ties broken by the total ever paid; slashed datasets are marked.",
	Subcommands: []*cli.Command{
		{
			Name:   "list",
			Usage:  "list every dataset in registration order",
			Flags:  append(append([]cli.Flag{}, chainFlags...), formatFlag),
			Action: marketList,
		},
		{
			Name:   "top",
			Usage:  "list the datasets by rank",
			Flags:  append(append([]cli.Flag{}, chainFlags...), topCountFlag, formatFlag),
			Action: marketTop,
		},
		{
			Name:   "events",
			Usage:  "print the Marketplace's events from confirmed blocks (--follow keeps watching)",
			Flags:  append(append([]cli.Flag{}, chainFlags...), followFlag, eventsFromFlag, formatFlag),
			Action: marketEvents,
		},
		{
			Name:      "show",
			Usage:     "show one dataset",
			ArgsUsage: "<provider>/<name>",
			Flags:     append(append([]cli.Flag{}, chainFlags...), formatFlag),
			Action:    marketShow,
		},
	},
}

// datasetOut is a dataset for scripts (market list, top, show).
type datasetOut struct {
	Rank              int         `json:"rank,omitempty"` // market top only: 1 is first
	Dataset           string      `json:"dataset"`        // <provider>/<name>
	ID                string      `json:"id"`
	Provider          string      `json:"provider"`
	Name              string      `json:"name"`
	Active            bool        `json:"active"`
	SlashCount        uint64      `json:"slash_count"`
	PricePerPeriod    amount      `json:"price_per_period"`
	Deposit           amount      `json:"deposit"`
	ActiveSubscribers uint64      `json:"active_subscribers"` // paid for some time in the current 30-day period
	TotalPaid         amount      `json:"total_paid"`
	MetadataHash      string      `json:"metadata_hash"`
	TrialSeconds      uint64      `json:"trial_seconds"` // 0: no trial
	RegisteredAt      string      `json:"registered_at"` // RFC 3339, UTC
	DeactivatedAt     string      `json:"deactivated_at"`
	Payouts           []payoutOut `json:"payouts"`
}

type payoutOut struct {
	Account string `json:"account"`
	Bps     uint16 `json:"bps"` // basis points of each payment
}

func datasetOutput(l chain.Listed, rank int) datasetOut {
	d := l.Dataset
	out := datasetOut{
		Rank: rank, Dataset: dataset.Path{Provider: d.Provider, Name: d.Name}.String(), ID: common.Hash(d.Id).Hex(),
		Provider: d.Provider.Hex(), Name: d.Name, Active: d.Active, SlashCount: l.Rank.SlashCount,
		PricePerPeriod: engAmount(d.Price), Deposit: engAmount(d.Deposit), ActiveSubscribers: l.Rank.ActiveSubscribers,
		TotalPaid: engAmount(d.TotalPaid), MetadataHash: common.Hash(d.MetadataHash).Hex(), TrialSeconds: d.TrialPeriod,
		RegisteredAt: unixTime(d.CreatedAt), DeactivatedAt: unixTime(d.DeactivatedAt), Payouts: []payoutOut{},
	}
	for _, p := range d.Payouts {
		out.Payouts = append(out.Payouts, payoutOut{Account: p.Account.Hex(), Bps: p.Bps})
	}
	return out
}

func printListing(ctx *cli.Context, format string, list []chain.Listed, ranked bool) error {
	if format != "table" {
		out := make([]datasetOut, len(list))
		for i, l := range list {
			rank := 0
			if ranked {
				rank = i + 1
			}
			out[i] = datasetOutput(l, rank)
		}
		return writeData(ctx.App.Writer, format, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(ctx.App.Writer, "No datasets yet; providers list one with 'enigma provider register'.")
		return nil
	}
	tw := tabwriter.NewWriter(ctx.App.Writer, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATASET\tPRICE/PERIOD\tSUBSCRIBERS\tTOTAL PAID\tDEPOSIT\tSTATUS")
	for _, l := range list {
		fmt.Fprintf(tw, "%s\t%s ENG\t%d\t%s ENG\t%s ENG\t%s\n",
			dataset.Path{Provider: l.Dataset.Provider, Name: l.Dataset.Name}, chain.FormatENG(l.Dataset.Price), l.Rank.ActiveSubscribers,
			chain.FormatENG(l.Dataset.TotalPaid), chain.FormatENG(l.Dataset.Deposit), status(l.Dataset))
	}
	return tw.Flush()
}

func status(d chain.Dataset) string {
	s := "active"
	if !d.Active {
		s = "deactivated"
	}
	if n := d.SlashCount.Uint64(); n > 0 {
		s += fmt.Sprintf(", SLASHED ×%d", n)
	}
	return s
}

func marketList(ctx *cli.Context) error {
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	list, err := c.Listing(ctx.Context)
	if err != nil {
		return err
	}
	return printListing(ctx, format, list, false)
}

func marketTop(ctx *cli.Context) error {
	n := ctx.Int(topCountFlag.Name)
	if n <= 0 {
		return errors.New("-n must be at least 1")
	}
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	list, err := c.Listing(ctx.Context)
	if err != nil {
		return err
	}
	chain.SortByRank(list)
	if len(list) > n {
		list = list[:n]
	}
	return printListing(ctx, format, list, true)
}

// oneArg returns the command's single argument. Flags after it are not
// parsed (urfave/cli stops at the first argument), so say so.
func oneArg(ctx *cli.Context, usage string) (string, error) {
	if ctx.NArg() != 1 {
		for _, a := range ctx.Args().Slice()[min(1, ctx.NArg()):] {
			if strings.HasPrefix(a, "-") {
				return "", fmt.Errorf("flag %s after the argument: put flags before it (usage: %s)", a, usage)
			}
		}
		return "", fmt.Errorf("usage: %s", usage)
	}
	return ctx.Args().First(), nil
}

func parsePathArg(ctx *cli.Context, usage string) (dataset.Path, error) {
	arg, err := oneArg(ctx, usage)
	if err != nil {
		return dataset.Path{}, err
	}
	return dataset.ParsePath(arg)
}

// readDataset reads p, naming p (not just its ID) when it is unknown.
func readDataset(ctx *cli.Context, c *chain.Client, p dataset.Path) (chain.Dataset, error) {
	d, err := c.Dataset(ctx.Context, p.ID(), nil)
	if errors.Is(err, chain.ErrUnknownDataset) {
		return d, fmt.Errorf("no dataset %s on the Marketplace at %s: check the provider address and name ('enigma market list')", p, c.Market().Hex())
	}
	return d, err
}

func marketShow(ctx *cli.Context) error {
	p, err := parsePathArg(ctx, "enigma market show <provider>/<name>")
	if err != nil {
		return err
	}
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	d, err := readDataset(ctx, c, p)
	if err != nil {
		return err
	}
	r, err := c.Rank(ctx.Context, p.ID())
	if err != nil {
		return err
	}
	if format != "table" {
		return writeData(ctx.App.Writer, format, datasetOutput(chain.Listed{Dataset: d, Rank: r}, 0))
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Dataset:       %s\nID:            %s\nStatus:        %s\n", p, common.Hash(d.Id).Hex(), status(d))
	fmt.Fprintf(w, "Price:         %s ENG per 30-day period\nDeposit:       %s ENG\n", chain.FormatENG(d.Price), chain.FormatENG(d.Deposit))
	fmt.Fprintf(w, "Metadata hash: %s\n", common.Hash(d.MetadataHash).Hex())
	if d.TrialPeriod > 0 {
		fmt.Fprintf(w, "Trial:         %s, once per account\n", time.Duration(d.TrialPeriod)*time.Second)
	} else {
		fmt.Fprintln(w, "Trial:         none")
	}
	fmt.Fprintf(w, "Subscribers:   %d this period\nTotal paid:    %s ENG\nRegistered:    %s\n",
		r.ActiveSubscribers, chain.FormatENG(d.TotalPaid), time.Unix(int64(d.CreatedAt), 0).UTC().Format(time.RFC3339))
	fmt.Fprintln(w, "Payouts:")
	for _, po := range d.Payouts {
		fmt.Fprintf(w, "  %s  %5.2f%%\n", po.Account.Hex(), float64(po.Bps)/100)
	}
	return nil
}

func marketEvents(ctx *cli.Context) error {
	if _, err := outputFormat(ctx); err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	start := ctx.Uint64(eventsFromFlag.Name)
	if !ctx.IsSet(eventsFromFlag.Name) {
		if dep, ok, err := loadDeployment(ctx); err == nil && ok && dep.Market == c.Market() {
			start = dep.Block
		}
	}
	f, err := chain.NewFollower(chain.FollowerConfig{
		Backend: c.Backend(), Market: c.Market(), Depth: ctx.Uint64(chainConfirmationsFlag.Name),
		Start: start, Store: &chain.MemoryCursorStore{},
	})
	if err != nil {
		return err
	}
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	printEvent := eventPrinter(ctx.App.Writer, format)
	if !ctx.Bool(followFlag.Name) {
		_, err := f.Poll(ctx.Context, printEvent)
		return err
	}
	runCtx, stop := signal.NotifyContext(ctx.Context, os.Interrupt)
	defer stop()
	if err := f.Run(runCtx, printEvent); err != nil && runCtx.Err() == nil {
		return err
	}
	return nil
}

// eventOut is a Marketplace event for scripts: where it is, its name and
// its arguments by snake_case name (ENG amounts as amounts, times in RFC
// 3339, IDs and addresses in hex).
type eventOut struct {
	Block  uint64         `json:"block"`
	TxHash string         `json:"tx_hash"`
	Index  uint           `json:"log_index"`
	Event  string         `json:"event"`
	Args   map[string]any `json:"args"`
}

// eventPrinter prints events as table lines (name and arguments in
// words), JSON lines, or CSV rows (the arguments as one JSON column).
func eventPrinter(w io.Writer, format string) func(chain.Event) error {
	header := true
	return func(ev chain.Event) error {
		out := eventOut{Block: ev.Block, TxHash: ev.TxHash.Hex(), Index: ev.Index, Event: ev.Name, Args: eventArgs(ev.Data)}
		switch format {
		case "json":
			return json.NewEncoder(w).Encode(out)
		case "csv":
			cw := csv.NewWriter(w)
			if header {
				cw.Write([]string{"block", "tx_hash", "log_index", "event", "args"})
				header = false
			}
			args, err := json.Marshal(out.Args)
			if err != nil {
				return err
			}
			cw.Write([]string{strconv.FormatUint(out.Block, 10), out.TxHash, strconv.FormatUint(uint64(out.Index), 10), out.Event, string(args)})
			cw.Flush()
			return cw.Error()
		}
		keys := make([]string, 0, len(out.Args))
		for k := range out.Args {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			v := out.Args[k]
			switch x := v.(type) {
			case amount:
				v = x.ENG + " ENG"
			case []payoutOut:
				shares := make([]string, len(x))
				for i, p := range x {
					shares[i] = fmt.Sprintf("%s:%d", p.Account, p.Bps)
				}
				v = strings.Join(shares, ",")
			}
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
		_, err := fmt.Fprintf(w, "block %d  %-24s %s\n", ev.Block, ev.Name, strings.Join(parts, " "))
		return err
	}
}

// engEventFields are the events' ENG amounts; timeEventFields their unix
// times.
var (
	engEventFields  = map[string]bool{"Price": true, "Deposit": true, "Amount": true, "Paid": true, "PerSubscriber": true}
	timeEventFields = map[string]bool{"DepositUnlocksAt": true, "Expiry": true, "TrialEnds": true, "ActivatesAt": true}
)

// eventArgs turns a generated event struct into named, readable values.
func eventArgs(data any) map[string]any {
	args := map[string]any{}
	v := reflect.Indirect(reflect.ValueOf(data))
	if v.Kind() != reflect.Struct {
		return args
	}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Name == "Raw" || !f.IsExported() {
			continue
		}
		args[snakeCase(f.Name)] = eventValue(f.Name, v.Field(i).Interface())
	}
	return args
}

func eventValue(name string, x any) any {
	switch x := x.(type) {
	case *big.Int:
		if engEventFields[name] {
			return engAmount(x)
		}
		return x.String()
	case uint64:
		if timeEventFields[name] {
			return unixTime(x)
		}
		return x
	case [32]byte:
		return common.Hash(x).Hex()
	case common.Address:
		return x.Hex()
	case []common.Address:
		out := make([]string, len(x))
		for i, a := range x {
			out[i] = a.Hex()
		}
		return out
	case []chain.Payout:
		out := make([]payoutOut, len(x))
		for i, p := range x {
			out[i] = payoutOut{Account: p.Account.Hex(), Bps: p.Bps}
		}
		return out
	case [][32]byte:
		out := make([]string, len(x))
		for i, k := range x {
			out[i] = common.Hash(k).Hex()
		}
		return out
	}
	return x
}

// snakeCase turns a Go field name into a stable JSON name: PerSubscriber →
// per_subscriber, Id → id.
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
