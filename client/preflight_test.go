package client

import (
	"context"
	"errors"
	"testing"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/ledger"
)

// A listing whose options name no script checker fails its script check
// (and makes no check run), so a program that forgets to set one sends
// nothing rather than an unchecked script.
func TestPreflightWithoutAScriptCheckerFails(t *testing.T) {
	m := ledger.Metadata{Name: "prices", Script: []byte("def curate(ctx):\n    return []\n"), Schedule: "@daily",
		Schema: dataset.Schema{Columns: []dataset.Column{{Name: "a", Type: dataset.TypeInt64}}, PrimaryKey: []string{"a"}}}
	checks := checkOffline(context.Background(), &m, PreflightOptions{CheckRun: true})
	var script *Check
	for i, c := range checks {
		if c.Name == "script" {
			script = &checks[i]
		}
		if c.Name == "check run" {
			t.Errorf("a check run was made without a script checker: %+v", c)
		}
	}
	if script == nil || !errors.Is(script.Err, errNoScriptChecker) {
		t.Fatalf("script check: %+v, want %v", script, errNoScriptChecker)
	}
	plan := Plan{Checks: checks}
	if !errors.Is(plan.Err(), errNoScriptChecker) {
		t.Fatalf("plan error %v does not name the missing checker", plan.Err())
	}
}
