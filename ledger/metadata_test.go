package ledger_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
)

// TestMetadataHashCoversEveryField changes each field in turn: the hash the
// chain stores must change with all of them, or a provider could alter
// that field without touching the chain.
func TestMetadataHashCoversEveryField(t *testing.T) {
	f := newFixture(t, 1, 2)
	base := f.Metadata(0, "prices", 1)
	h0, err := ledger.MetadataHash(&base)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := ledger.MetadataHash(&base); again != h0 {
		t.Fatal("MetadataHash is not deterministic")
	}
	mutations := map[string]func(m *ledger.Metadata){
		"provider":     func(m *ledger.Metadata) { m.Provider = f.Provider(1) },
		"name":         func(m *ledger.Metadata) { m.Name = "prices2" },
		"version":      func(m *ledger.Metadata) { m.Version++ },
		"schema":       func(m *ledger.Metadata) { m.Schema.Columns[1].Encryption = 0 },
		"script":       func(m *ledger.Metadata) { m.Script = append(m.Script, ' ') },
		"script hash":  func(m *ledger.Metadata) { m.ScriptHash[0] ^= 1 },
		"schedule":     func(m *ledger.Metadata) { m.Schedule = "@daily" },
		"workers":      func(m *ledger.Metadata) { m.Workers = append(m.Workers, identity.NodeID{9}) },
		"persistence":  func(m *ledger.Metadata) { m.Persistence = m.Persistence[:1] },
		"storage":      func(m *ledger.Metadata) { m.Storage.RetentionDays++ },
		"trial":        func(m *ledger.Metadata) { m.Trial.Enabled = false },
		"trial limits": func(m *ledger.Metadata) { m.Trial.RowLimit++ },
	}
	for name, mutate := range mutations {
		m := f.Metadata(0, "prices", 1)
		mutate(&m)
		if h, _ := ledger.MetadataHash(&m); h == h0 {
			t.Errorf("changing the %s left the metadata hash unchanged", name)
		}
	}
}

func TestSignedMetadataRecoversProvider(t *testing.T) {
	f := newFixture(t, 1, 1)
	sm, err := f.Sign(0, f.Metadata(0, "prices", 1))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := sm.Signer(f.ChainID); err != nil || got != f.Provider(0) {
		t.Fatalf("signer %s, %v; want %s", got.Hex(), err, f.Provider(0).Hex())
	}
	if got, _ := sm.Signer(f.ChainID + 1); got == f.Provider(0) {
		t.Fatal("a signature for one chain recovers the provider on another")
	}
}

func TestCheckSchedule(t *testing.T) {
	for _, ok := range []string{"0 * * * *", "*/5 * * * *", "@hourly", "@every 10m", "30 2 * * 1-5", "daily"} {
		if err := ledger.CheckSchedule(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for spec, want := range map[string]error{
		"":                          ledger.ErrInvalidMetadata,
		"61 * * * *":                ledger.ErrInvalidMetadata,
		"* * * * * *":               ledger.ErrInvalidMetadata,
		"TZ=UTC 0 * * * *":          ledger.ErrInvalidMetadata,
		"CRON_TZ=Asia/Tokyo @daily": ledger.ErrInvalidMetadata,
		"@every 30s":                ledger.ErrInvalidMetadata, // the workers' granularity is a minute
		"0 0 30 2 *":                ledger.ErrInvalidMetadata, // 30 February never comes
		strings.Repeat("*", 200):    ledger.ErrOversized,
	} {
		if err := ledger.CheckSchedule(spec); !errors.Is(err, want) {
			t.Errorf("%.20q: got %v, want %v", spec, err, want)
		}
	}
}

func TestMetadataCheckRules(t *testing.T) {
	f := newFixture(t, 1, 1)
	cases := map[string]struct {
		mutate func(m *ledger.Metadata)
		want   error
	}{
		"version 0":              {func(m *ledger.Metadata) { m.Version = 0 }, ledger.ErrInvalidMetadata},
		"uppercase name":         {func(m *ledger.Metadata) { m.Name = "Prices" }, ledger.ErrBadName},
		"empty script":           {func(m *ledger.Metadata) { m.Script = nil }, ledger.ErrInvalidMetadata},
		"too many workers":       {func(m *ledger.Metadata) { m.Workers = make([]identity.NodeID, ledger.MaxNodesPerRole+1) }, ledger.ErrOversized},
		"zero node":              {func(m *ledger.Metadata) { m.Persistence = []identity.NodeID{{}} }, ledger.ErrInvalidMetadata},
		"node twice":             {func(m *ledger.Metadata) { m.Persistence = []identity.NodeID{{1}, {1}} }, ledger.ErrInvalidMetadata},
		"more replicas":          {func(m *ledger.Metadata) { m.Storage.Replicas = 9 }, ledger.ErrInvalidMetadata},
		"trial without duration": {func(m *ledger.Metadata) { m.Trial.DurationSeconds = 0 }, ledger.ErrInvalidMetadata},
		"schema without key":     {func(m *ledger.Metadata) { m.Schema.PrimaryKey = nil }, ledger.ErrInvalidMetadata},
	}
	for name, tc := range cases {
		m := f.Metadata(0, "prices", 1)
		tc.mutate(&m)
		if err := m.Check(); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
	m := f.Metadata(0, "prices", 1)
	if err := m.Check(); err != nil {
		t.Fatalf("fixture metadata fails its own check: %v", err)
	}
	if m.ID() != m.Path().ID() || m.ID() == (common.Hash{}) {
		t.Fatal("metadata ID is not its path's ID")
	}
}
