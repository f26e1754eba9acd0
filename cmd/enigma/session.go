package main

// What the provider's and the subscriber's commands share to reach the
// marketplace: the flags of a client session (chain, overlay bootstrap,
// timeout, puzzles), joining as a short-lived client, and parsing lists of
// node IDs. The commands themselves live in providercmd.go and
// subscribercmd.go.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/identity"
)

const catListing = "LISTING"

var (
	listSchemaFlag   = &cli.PathFlag{Name: "schema", Usage: "schema file (JSON); with it, register lists the dataset end to end", Category: catListing}
	listScriptFlag   = &cli.PathFlag{Name: "script", Usage: "curation script (Starlark) the workers run", Category: catListing}
	listScheduleFlag = &cli.StringFlag{Name: "schedule", Usage: "when the workers run the script: a cron spec or @hourly, @daily, …", Value: "@daily", Category: catListing}
	listWorkersFlag  = &cli.StringSliceFlag{Name: "workers", Usage: "node IDs of the worker nodes (repeatable or comma-separated)", Category: catListing}
	listPersistFlag  = &cli.StringSliceFlag{Name: "persistence", Usage: "node IDs of the persistence nodes (repeatable or comma-separated)", Category: catListing}
	listEncryptFlag  = &cli.StringSliceFlag{Name: "encrypt", Usage: "column encryption overriding the schema file, as col=det, col=ope or col=ore (repeatable or comma-separated)", Category: catListing}
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
