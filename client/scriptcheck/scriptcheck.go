package scriptcheck

import (
	"context"
	"fmt"
	"time"

	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker/schedule"
	"github.com/enigma-mpc/enigma/worker/script"
)

// Starlark checks curation scripts in the workers' Starlark sandbox
// (worker/script), as the workers will run them.
type Starlark struct{}

var _ client.ScriptChecker = Starlark{}

// Compile implements client.ScriptChecker.
func (Starlark) Compile(m *ledger.Metadata) error {
	return script.Compile(m.Name+".star", m.Script)
}

// Run implements client.ScriptChecker: it runs the script once as a worker
// would, on the given files, at the latest slot of the schedule, rows
// checked against the schema and encrypted with the keys.
func (Starlark) Run(ctx context.Context, m *ledger.Metadata, opts client.PreflightOptions) client.Check {
	c := client.Check{Name: "check run"}
	slot := time.Now().UTC()
	if s, err := schedule.Parse(m.Schedule); err == nil {
		if latest, ok := s.LatestSlot(time.Time{}, slot); ok {
			slot = latest
		}
	}
	cfg := script.Config{Dir: opts.CheckRunDir, AllowURLs: opts.AllowURLs}
	res, err := script.Run(ctx, cfg, script.Input{
		Filename: m.Name + ".star", Source: m.Script, Schema: &m.Schema,
		Dataset: m.Path().String(), Version: m.Version, ScheduledAt: slot,
	})
	if err != nil {
		c.Err = fmt.Errorf("the script failed on %s: %w", dirName(opts.CheckRunDir), err)
		return c
	}
	if opts.Keys != nil && m.Schema.HasEncryptedColumns() {
		cipher, err := colcrypt.New(opts.Keys, m.ID())
		if err != nil {
			c.Err = err
			return c
		}
		for i, r := range res.Rows {
			if _, err := cipher.EncryptRow(&m.Schema, i+1, r); err != nil {
				c.Err = fmt.Errorf("row %d does not encrypt: %w", i+1, err)
				return c
			}
		}
	}
	c.Detail = fmt.Sprintf("%d rows for slot %s from %s (%d steps)", len(res.Rows), slot.Format(time.RFC3339), dirName(opts.CheckRunDir), res.Steps)
	if len(res.Rows) == 0 {
		c.Warn = true
		c.Detail += ": no rows — are the input files staged?"
	}
	return c
}

func dirName(d string) string {
	if d == "" {
		return "no input files"
	}
	return d
}
