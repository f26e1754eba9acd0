package main

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/ethdb/memorydb"

	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// certifiedFiles builds a ledger with one dataset and writes its certified
// record and the validator set to files.
func certifiedFiles(t *testing.T) (recordFile, validatorsFile string, enc []byte, m ledger.Metadata) {
	t.Helper()
	f, err := ledgertest.NewFixture(3, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, memorydb.New())
	if err != nil {
		t.Fatal(err)
	}
	m = f.Metadata(0, "prices", 1)
	req, err := f.Command(0, m)
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := f.Context([][]byte{req})
	if err != nil {
		t.Fatal(err)
	}
	root, results, err := l.Apply(1, ctx, [][]byte{req})
	if err != nil || results[0] != nil {
		t.Fatal(err, results)
	}
	cert, err := f.Certificate(1, root)
	if err != nil {
		t.Fatal(err)
	}
	cr, err := l.Certify(m.ID(), cert)
	if err != nil {
		t.Fatal(err)
	}
	if enc, err = cr.Encode(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	recordFile, validatorsFile = filepath.Join(dir, "record.bin"), filepath.Join(dir, "validators.json")
	vs, err := f.Set.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(recordFile, enc, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(validatorsFile, vs, 0o644); err != nil {
		t.Fatal(err)
	}
	return recordFile, validatorsFile, enc, m
}

func TestLedgerVerifyPrintsValidRecord(t *testing.T) {
	rec, vals, enc, m := certifiedFiles(t)
	out, errOut, code := runEnigma(t, nil, "ledger", "verify", rec, "--validators", vals)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Certified record: valid", m.Path().String(), "Version:     1", "3 of 4 validators", `"name":"asset"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Flags before the file, the hex form and an explicit key work too.
	if _, errOut, code := runEnigma(t, nil, "ledger", "verify", "--validators", vals, rec); code != 0 {
		t.Fatalf("flags before the file: exit %d: %s", code, errOut)
	}
	hexFile := filepath.Join(t.TempDir(), "record.hex")
	if err := os.WriteFile(hexFile, []byte(hex.EncodeToString(enc)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runEnigma(t, nil, "ledger", "verify", hexFile, "--validators", vals, "--key", m.Path().String()); code != 0 {
		t.Fatalf("hex record with --key: exit %d: %s", code, errOut)
	}
	_, errOut, code = runEnigma(t, nil, "ledger", "verify", rec, "--validators", vals, "--key", "0x"+strings.Repeat("ab", 32))
	if code != 1 || !strings.Contains(errOut, "record is for key") {
		t.Fatalf("record checked against another key: exit %d: %s", code, errOut)
	}
}

// TestLedgerVerifyRejectsTampering changes bytes spread over the whole
// record (value, proof, certificate) and expects a clear refusal each time.
func TestLedgerVerifyRejectsTampering(t *testing.T) {
	rec, vals, enc, _ := certifiedFiles(t)
	step := len(enc)/24 + 1
	for i := 0; i < len(enc); i += step {
		bad := bytes.Clone(enc)
		bad[i] ^= 0x40
		if err := os.WriteFile(rec, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := runEnigma(t, nil, "ledger", "verify", rec, "--validators", vals)
		if code != 1 || !strings.Contains(errOut, "certified record rejected") || out != "" {
			t.Fatalf("byte %d tampered: exit %d, stdout %q, stderr %q", i, code, out, errOut)
		}
	}
	_, errOut, code := runEnigma(t, nil, "ledger", "verify", rec)
	if code == 0 || !strings.Contains(errOut, "validators") {
		t.Fatalf("missing --validators: exit %d: %s", code, errOut)
	}
}

func TestLedgerStatusAndShowReadLocalLedger(t *testing.T) {
	f, err := ledgertest.NewFixture(4, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, errOut, code := runEnigma(t, nil, "--datadir", dir, "ledger", "status")
	if code != 1 || !strings.Contains(errOut, "no ledger database") {
		t.Fatalf("status without a ledger: exit %d: %s", code, errOut)
	}
	db, err := ledgerdb.Open(ledgerdb.Dir(dir), ledger.Config{ChainID: f.ChainID})
	if err != nil {
		t.Fatal(err)
	}
	m := f.Metadata(0, "prices", 1)
	req, err := f.Command(0, m)
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := f.Context([][]byte{req})
	if err != nil {
		t.Fatal(err)
	}
	root, results, err := db.Apply(1, ctx, [][]byte{req})
	if err != nil || results[0] != nil {
		t.Fatal(err, results)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runEnigma(t, nil, "--datadir", dir, "ledger", "status")
	if code != 0 || !strings.Contains(out, "Sequence:   1") || !strings.Contains(out, root.Hex()) || !strings.Contains(out, "Datasets:   1") {
		t.Fatalf("status: exit %d: %s%s", code, out, errOut)
	}
	out, errOut, code = runEnigma(t, nil, "--datadir", dir, "ledger", "status", "--format", "json")
	if st := decodeJSON[ledgerStatusOut](t, "ledger status", out); code != 0 || st.Sequence != 1 || st.StateRoot != root.Hex() || st.Datasets != 1 {
		t.Fatalf("status --format json: exit %d: %+v %s", code, st, errOut)
	}
	out, errOut, code = runEnigma(t, nil, "--datadir", dir, "ledger", "show", m.Path().String())
	if code != 0 || !strings.Contains(out, m.Path().String()) || !strings.Contains(out, "Schedule:    0 * * * *") {
		t.Fatalf("show: exit %d: %s%s", code, out, errOut)
	}
	_, errOut, code = runEnigma(t, nil, "--datadir", dir, "ledger", "show", f.Metadata(0, "other", 1).Path().String())
	if code != 1 || !strings.Contains(errOut, "holds no dataset") {
		t.Fatalf("show of an unknown dataset: exit %d: %s", code, errOut)
	}

	// compact keeps what status shows; too small a --keep is refused.
	if _, errOut, code = runEnigma(t, nil, "--datadir", dir, "ledger", "compact", "--keep", "10"); code != 1 || !strings.Contains(errOut, "below 256") {
		t.Fatalf("compact --keep 10: exit %d: %s", code, errOut)
	}
	out, errOut, code = runEnigma(t, nil, "--datadir", dir, "ledger", "compact")
	if code != 0 || !strings.Contains(out, "Kept the states of sequences 1–1") {
		t.Fatalf("compact: exit %d: %s%s", code, out, errOut)
	}
	out, errOut, code = runEnigma(t, nil, "--datadir", dir, "ledger", "status")
	if code != 0 || !strings.Contains(out, root.Hex()) || !strings.Contains(out, "Datasets:   1") {
		t.Fatalf("status after compact: exit %d: %s%s", code, out, errOut)
	}
}

func TestLedgerVerifyAbsenceNeedsTheKey(t *testing.T) {
	f, err := ledgertest.NewFixture(5, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, memorydb.New())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := f.Command(0, f.Metadata(0, "prices", 1))
	ctx, _ := f.Context([][]byte{req})
	root, _, err := l.Apply(1, ctx, [][]byte{req})
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := f.Certificate(1, root)
	missing := f.Metadata(0, "missing", 1).Path()
	cr, err := l.Certify(missing.ID(), cert)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := cr.Encode()
	dir := t.TempDir()
	rec, vals := filepath.Join(dir, "absent.bin"), filepath.Join(dir, "v.json")
	vs, _ := f.Set.MarshalJSON()
	if err := os.WriteFile(rec, enc, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(vals, vs, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runEnigma(t, nil, "ledger", "verify", rec, "--validators", vals, "--key", missing.String())
	if code != 0 || !strings.Contains(out, "Entry:       absent") {
		t.Fatalf("absence record: exit %d: %s%s", code, out, errOut)
	}
	_, errOut, code = runEnigma(t, nil, "ledger", "verify", rec, "--validators", vals, "--key", f.Metadata(0, "prices", 1).Path().String())
	if code != 1 || !strings.Contains(errOut, "certified record rejected") {
		t.Fatalf("absence record offered for a present dataset: exit %d: %s", code, errOut)
	}
}

func TestLedgerVerifyPrintsOffenceRecord(t *testing.T) {
	f, err := ledgertest.NewFixture(6, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, memorydb.New())
	if err != nil {
		t.Fatal(err)
	}
	m := f.Metadata(0, "prices", 1)
	reqs := [][]byte{}
	reg, _ := f.Command(0, m)
	reqs = append(reqs, reg)
	for _, v := range f.Validators[:3] {
		sa, err := ledger.SignAttestation(v, f.ChainID, ledger.Attestation{DatasetID: m.ID(), Offence: ledger.OffencePersistenceOffline, Subject: m.Persistence[0], Evidence: []byte("5 probes unanswered")})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := ledger.AttestCommand(sa).Encode()
		reqs = append(reqs, b)
	}
	ctx, _ := f.Context(reqs)
	root, results, err := l.Apply(1, ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		if r != nil {
			t.Fatalf("request %d: %v", i, r)
		}
	}
	cert, _ := f.Certificate(1, root)
	key := ledger.OffenceKey(m.ID(), 0, ledger.OffencePersistenceOffline, m.Persistence[0])
	cr, err := l.Certify(key, cert)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := cr.Encode()
	dir := t.TempDir()
	rec, vals := filepath.Join(dir, "offence.bin"), filepath.Join(dir, "v.json")
	vs, _ := f.Set.MarshalJSON()
	if err := os.WriteFile(rec, enc, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(vals, vs, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runEnigma(t, nil, "ledger", "verify", rec, "--validators", vals)
	if code != 0 || !strings.Contains(out, "Offence:     persistence-offline") || !strings.Contains(out, "Attested by: 3 validators") {
		t.Fatalf("offence record: exit %d: %s%s", code, out, errOut)
	}
}
