package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
)

var (
	validatorsFileFlag = &cli.PathFlag{
		Name:    "validators",
		Usage:   "JSON file with the validator set(s) to check against: {\"chain_id\",\"epoch\",\"validators\":[{\"node_id\",\"public_key\"}]} or an array of them",
		EnvVars: envName("validators"),
	}
	recordKeyFlag = &cli.StringFlag{
		Name:  "key",
		Usage: "the dataset path (<provider address>/<name>) or 32-byte hex key the record must answer for",
	}
)

var ledgerCommand = &cli.Command{
	Name:  "ledger",
	Usage: "inspect the metadata ledger and verify its certified records",
	Subcommands: []*cli.Command{
		{
			Name:      "verify",
			Usage:     "verify a certified record against a validator set and print it",
			ArgsUsage: "FILE",
			Description: "FILE holds a certified record as served by the DHT: its binary encoding, or that encoding\n" +
				"in hex. The record is valid if a quorum of the epoch's validators signed its checkpoint and\n" +
				"the Merkle proof ties the value to the signed state root. With --key, the record must also\n" +
				"answer for that key (always pass it when checking that a dataset is absent).",
			Flags:  []cli.Flag{validatorsFileFlag, recordKeyFlag},
			Action: ledgerVerify,
		},
		{
			Name:   "status",
			Usage:  "print the local ledger's last applied sequence, state root and size",
			Flags:  []cli.Flag{formatFlag},
			Action: ledgerStatus,
		},
		{
			Name:  "compact",
			Usage: "reclaim the space superseded ledger states hold (stop the node first)",
			Description: "The ledger database keeps every trie node it ever wrote, so it grows with every batch.\n" +
				"compact rewrites it with only the states of the last --keep sequences, swaps the copy in,\n" +
				"and prints the sizes before and after. Run it while the node is stopped (the database lock\n" +
				"refuses otherwise). Keep more than the consensus window (128 sequences with the defaults):\n" +
				"a restarting validator replays that far, and certifies records at its last stable checkpoint.",
			Flags:  []cli.Flag{compactKeepFlag},
			Action: ledgerCompact,
		},
		{
			Name:      "show",
			Usage:     "print a dataset's current record from the local ledger",
			ArgsUsage: "<provider address>/<name> | KEY",
			Action:    ledgerShow,
		},
	},
}

// openLocalLedger opens the ledger database under --datadir. Reading needs
// no chain ID: nothing is applied.
func openLocalLedger(ctx *cli.Context) (*ledgerdb.DB, error) {
	dir := ledgerdb.Dir(datadir(ctx))
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("no ledger database at %s: run a validator node with this --datadir first", dir)
	}
	// A node's ledger starts in the Marketplace's first validator epoch.
	db, err := ledgerdb.Open(dir, ledger.Config{NoSync: true, FirstEpoch: 1})
	return db, storeInUse(err, dir)
}

// minCompactKeep is the least --keep accepted: the consensus window with
// room to spare.
const minCompactKeep = 256

var compactKeepFlag = &cli.Uint64Flag{Name: "keep", Usage: fmt.Sprintf("ledger sequences whose states are kept (at least %d)", minCompactKeep), Value: 1024}

func ledgerCompact(ctx *cli.Context) error {
	keep := ctx.Uint64(compactKeepFlag.Name)
	if keep < minCompactKeep {
		return fmt.Errorf("--keep %d is below %d: a restarting validator replays up to the consensus window and certifies at its last stable checkpoint", keep, minCompactKeep)
	}
	dir := ledgerdb.Dir(datadir(ctx))
	rep, err := ledgerdb.Compact(dir, ledger.Config{}, keep)
	if err != nil {
		return storeInUse(err, dir)
	}
	fmt.Fprintf(ctx.App.Writer, "Kept the states of sequences %d–%d (%d trie nodes): %.1f MiB → %.1f MiB\n",
		rep.FromSeq, rep.ToSeq, rep.Nodes, float64(rep.BytesBefore)/(1<<20), float64(rep.BytesAfter)/(1<<20))
	return nil
}

// ledgerStatusOut is a validator's local ledger for scripts.
type ledgerStatusOut struct {
	Sequence        uint64 `json:"sequence"`
	StateRoot       string `json:"state_root"`
	Epoch           uint64 `json:"epoch"`
	EpochValidators int    `json:"epoch_validators"` // 0 when the epoch's record is not in the ledger
	Datasets        int    `json:"datasets"`
	Offences        int    `json:"offences"`
	EpochsRecorded  int    `json:"epochs_recorded"`
}

func ledgerStatus(ctx *cli.Context) error {
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	db, err := openLocalLedger(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := db.ChangedKeys(types.EmptyRootHash, db.Root())
	if err != nil {
		return err
	}
	kinds := map[ledger.EntryKind]int{}
	for _, k := range keys {
		e, err := db.Get(k)
		if err != nil {
			return err
		}
		kinds[e.Kind]++
	}
	epoch, err := db.Epoch()
	if err != nil {
		return err
	}
	if format != "table" {
		out := ledgerStatusOut{Sequence: db.Seq(), StateRoot: db.Root().Hex(), Epoch: epoch,
			Datasets: kinds[ledger.EntryDataset], Offences: kinds[ledger.EntryOffence], EpochsRecorded: kinds[ledger.EntryEpoch]}
		if rec, err := db.EpochRecord(epoch); err == nil && rec != nil {
			out.EpochValidators = len(rec.Members)
		}
		return writeData(ctx.App.Writer, format, out)
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Sequence:   %d\nState root: %s\nEpoch:      %d", db.Seq(), db.Root().Hex(), epoch)
	if rec, err := db.EpochRecord(epoch); err == nil && rec != nil {
		fmt.Fprintf(w, " (%d validators, decided at %d, the previous epoch closed at %d)", len(rec.Members), rec.AtSeq, rec.CloseSeq)
	}
	fmt.Fprintf(w, "\nDatasets:   %d\nOffence records: %d\nValidator epochs recorded: %d\n", kinds[ledger.EntryDataset], kinds[ledger.EntryOffence], kinds[ledger.EntryEpoch])
	return nil
}

func ledgerShow(ctx *cli.Context) error {
	if ctx.NArg() != 1 {
		return fmt.Errorf("usage: enigma ledger show <provider address>/<name> | KEY")
	}
	key, err := parseRecordKey(ctx.Args().First())
	if err != nil {
		return err
	}
	db, err := openLocalLedger(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rec, err := db.Dataset(key)
	if err != nil {
		return err
	}
	if rec == nil {
		return fmt.Errorf("the local ledger (sequence %d) holds no dataset %s", db.Seq(), ctx.Args().First())
	}
	fmt.Fprintf(ctx.App.Writer, "Ledger:      sequence %d, state root %s (local, not certified)\n", db.Seq(), db.Root().Hex())
	return printDataset(ctx.App.Writer, rec, "the on-chain owner, checked when applied")
}

// maxRecordFileSize bounds a record file: hex doubles the encoding.
const maxRecordFileSize = 2*ledger.MaxCertifiedRecordSize + 2

func ledgerVerify(ctx *cli.Context) error {
	validatorsFile, keyArg, recordFile, err := verifyArgs(ctx)
	if err != nil {
		return err
	}
	enc, err := readRecordFile(recordFile)
	if err != nil {
		return err
	}
	vb, err := readBounded(validatorsFile, ledger.MaxValidatorFileSize)
	if err != nil {
		return fmt.Errorf("validator set file: %w", err)
	}
	sets, err := ledger.ParseValidatorSetsJSON(vb)
	if err != nil {
		return err
	}
	var key common.Hash
	if keyArg != "" {
		if key, err = parseRecordKey(keyArg); err != nil {
			return err
		}
	} else {
		cr, err := ledger.DecodeCertifiedRecord(enc)
		if err != nil {
			return err
		}
		key = cr.Key
	}
	cr, entry, err := ledger.VerifyEncoded(ledger.SetList(sets), key, enc)
	if err != nil {
		return err
	}
	vs, _ := ledger.SetList(sets).ValidatorSet(cr.Certificate.Epoch)
	return printCertified(ctx.App.Writer, cr, entry, vs)
}

// verifyArgs returns the validator file, key and record file. urfave/cli
// stops parsing flags at FILE, so flags written after it (enigma ledger
// verify FILE --validators V) are parsed here.
func verifyArgs(ctx *cli.Context) (validators, key, file string, err error) {
	const usage = "usage: enigma ledger verify [--key KEY] --validators FILE RECORD-FILE"
	args := ctx.Args().Slice()
	if len(args) == 0 {
		return "", "", "", errors.New(usage)
	}
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	v := fs.String(validatorsFileFlag.Name, ctx.Path(validatorsFileFlag.Name), "")
	k := fs.String(recordKeyFlag.Name, ctx.String(recordKeyFlag.Name), "")
	if err := fs.Parse(args[1:]); err != nil {
		return "", "", "", fmt.Errorf("%v (%s)", err, usage)
	}
	if fs.NArg() > 0 {
		return "", "", "", fmt.Errorf("unexpected argument %q (%s)", fs.Arg(0), usage)
	}
	if *v == "" {
		return "", "", "", fmt.Errorf("--validators is required: %s", usage)
	}
	return *v, *k, args[0], nil
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
}

// readRecordFile reads a record file, accepting the binary encoding or hex
// of it. An RLP list never starts with a hex digit, so the forms cannot be
// confused.
func readRecordFile(path string) ([]byte, error) {
	b, err := readBounded(path, maxRecordFileSize)
	if err != nil {
		return nil, fmt.Errorf("record file: %w", err)
	}
	text := strings.TrimPrefix(string(bytes.TrimSpace(b)), "0x")
	if dec, err := hex.DecodeString(text); err == nil && len(text) > 0 {
		return dec, nil
	}
	return b, nil
}

func parseRecordKey(s string) (common.Hash, error) {
	if strings.Contains(s, "/") {
		p, err := dataset.ParsePath(s)
		if err != nil {
			return common.Hash{}, fmt.Errorf("--key: %w", err)
		}
		return p.ID(), nil
	}
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != common.HashLength {
		return common.Hash{}, fmt.Errorf("--key %q: want a dataset path <provider address>/<name> or 64 hex digits", s)
	}
	return common.BytesToHash(b), nil
}

func printCertified(w io.Writer, cr *ledger.CertifiedRecord, e ledger.Entry, vs *ledger.ValidatorSet) error {
	c := cr.Certificate
	fmt.Fprintf(w, "Certified record: valid\n")
	fmt.Fprintf(w, "Key:         %s\n", cr.Key.Hex())
	fmt.Fprintf(w, "Checkpoint:  sequence %d, state root %s\n", c.Seq, c.StateRoot.Hex())
	fmt.Fprintf(w, "Signed by:   %d of %d validators of epoch %d on chain %d (quorum %d)\n", len(c.Signatures), len(vs.Members), vs.Epoch, vs.ChainID, vs.Quorum())
	fmt.Fprintf(w, "Proof:       %d nodes\n", len(cr.Proof))
	fmt.Fprintf(w, "Entry:       %s\n", e.Kind)
	switch e.Kind {
	case ledger.EntryAbsent:
		fmt.Fprintf(w, "The ledger holds nothing under this key at this checkpoint.\n")
	case ledger.EntrySequence:
		fmt.Fprintf(w, "Sequence:    %d (the last batch applied in this state)\n", e.Seq)
	case ledger.EntryDataset:
		signer := "unrecoverable"
		if a, err := e.Dataset.Signed.Signer(vs.ChainID); err == nil {
			signer = a.Hex()
		}
		return printDataset(w, e.Dataset, signer)
	case ledger.EntryOffence:
		o := e.Offence
		fmt.Fprintf(w, "Dataset ID:  %s\n", o.DatasetID.Hex())
		fmt.Fprintf(w, "Offence:     %s by %s in epoch %d\n", o.Offence, o.Subject, o.Epoch)
		fmt.Fprintf(w, "Attested by: %d validators\n", len(o.Attestations))
		for _, a := range o.Attestations {
			fmt.Fprintf(w, "  %s  evidence %d bytes\n", a.Attestation.Attester, len(a.Attestation.Evidence))
		}
	}
	return nil
}

func printDataset(w io.Writer, r *ledger.Record, signer string) error {
	m := &r.Signed.Metadata
	schema, err := json.Marshal(m.Schema)
	if err != nil {
		return fmt.Errorf("print schema: %w", err)
	}
	hash, err := ledger.MetadataHash(m)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Dataset:     %s\n", m.Path())
	fmt.Fprintf(w, "Version:     %d\n", m.Version)
	fmt.Fprintf(w, "Metadata hash: %s (signed by %s)\n", hash.Hex(), signer)
	fmt.Fprintf(w, "Schema:      %s\n", schema)
	fmt.Fprintf(w, "Script:      %d bytes, keccak256 %s\n", len(m.Script), m.ScriptHash.Hex())
	fmt.Fprintf(w, "Schedule:    %s\n", m.Schedule)
	fmt.Fprintf(w, "Workers:     %s\n", joinIDs(m.Workers))
	fmt.Fprintf(w, "Persistence: %s\n", joinIDs(m.Persistence))
	fmt.Fprintf(w, "Storage:     %d replicas, retention %d days, about %d bytes/day\n", m.Storage.Replicas, m.Storage.RetentionDays, m.Storage.ExpectedBytesPerDay)
	if m.Trial.Enabled {
		fmt.Fprintf(w, "Trial:       %d seconds, row limit %d\n", m.Trial.DurationSeconds, m.Trial.RowLimit)
	} else {
		fmt.Fprintf(w, "Trial:       none\n")
	}
	fmt.Fprintf(w, "Blocks:      created %d, updated %d (ledger sequence %d)\n", r.CreatedBlock, r.UpdatedBlock, r.UpdatedSeq)
	return nil
}

func joinIDs(ids []identity.NodeID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return strings.Join(s, ", ")
}
