package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

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
			Flags:  chainFlags,
			Action: marketList,
		},
		{
			Name:   "top",
			Usage:  "list the datasets by rank",
			Flags:  append(append([]cli.Flag{}, chainFlags...), topCountFlag),
			Action: marketTop,
		},
		{
			Name:   "events",
			Usage:  "print the Marketplace's events from confirmed blocks (--follow keeps watching)",
			Flags:  append(append([]cli.Flag{}, chainFlags...), followFlag, eventsFromFlag),
			Action: marketEvents,
		},
		{
			Name:      "show",
			Usage:     "show one dataset",
			ArgsUsage: "<provider>/<name>",
			Flags:     chainFlags,
			Action:    marketShow,
		},
	},
}

func printListing(ctx *cli.Context, list []chain.Listed) {
	if len(list) == 0 {
		fmt.Fprintln(ctx.App.Writer, "No datasets yet; providers list one with 'enigma provider register'.")
		return
	}
	tw := tabwriter.NewWriter(ctx.App.Writer, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATASET\tPRICE/PERIOD\tSUBSCRIBERS\tTOTAL PAID\tDEPOSIT\tSTATUS")
	for _, l := range list {
		fmt.Fprintf(tw, "%s\t%s ENG\t%d\t%s ENG\t%s ENG\t%s\n",
			dataset.Path{Provider: l.Dataset.Provider, Name: l.Dataset.Name}, chain.FormatENG(l.Dataset.Price), l.Rank.ActiveSubscribers,
			chain.FormatENG(l.Dataset.TotalPaid), chain.FormatENG(l.Dataset.Deposit), status(l.Dataset))
	}
	tw.Flush()
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
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	list, err := c.Listing(ctx.Context)
	if err != nil {
		return err
	}
	printListing(ctx, list)
	return nil
}

func marketTop(ctx *cli.Context) error {
	n := ctx.Int(topCountFlag.Name)
	if n <= 0 {
		return errors.New("-n must be at least 1")
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
	printListing(ctx, list)
	return nil
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
	printEvent := func(ev chain.Event) error {
		fmt.Fprintf(ctx.App.Writer, "block %d  %-20s %+v\n", ev.Block, ev.Name, ev.Data)
		return nil
	}
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
