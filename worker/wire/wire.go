package wire

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// Size bounds of a batch.
const (
	// MaxBatchSize bounds an encoded batch: it fits in one request of the
	// overlay host (4 MiB frames by default) with room for the framing.
	MaxBatchSize = 4<<20 - 4<<10
	// MaxBatchRows bounds the rows in one batch.
	MaxBatchRows = 10_000
)

// formatVersion is the batch encoding version.
const formatVersion = 1

// Batch is one slice of a curation run's rows, in stored form (encrypted
// columns hold TypeBytes ciphertext).
type Batch struct {
	DatasetID common.Hash
	// Version is the dataset metadata version the rows were curated under.
	Version uint64
	RunID   RunID
	// SlotMicros is the schedule slot of the run, microseconds since the
	// Unix epoch, UTC.
	SlotMicros int64
	// Seq numbers the batches of a run from 0; Total is how many there are.
	Seq   uint32
	Total uint32
	Rows  []dataset.Row
}

// RunID identifies one curation run of one worker.
type RunID [32]byte

func (r RunID) String() string { return fmt.Sprintf("%x", r[:]) }

// runIDDomain separates run IDs from every other hash in the system.
const runIDDomain = "enigma/worker/run/v1"

// NewRunID derives the ID of a run: the worker's run for a schedule slot
// that started at startMicros. Retries within the run reuse it; a run
// started afresh (after a restart, when the script may produce different
// rows) gets a new one, so its batches never collide with the old ones.
func NewRunID(datasetID common.Hash, version uint64, slotMicros, startMicros int64, worker identity.NodeID) RunID {
	h := sha256.New()
	h.Write([]byte(runIDDomain))
	h.Write(datasetID[:])
	var n [24]byte
	binary.BigEndian.PutUint64(n[:8], version)
	binary.BigEndian.PutUint64(n[8:16], uint64(slotMicros))
	binary.BigEndian.PutUint64(n[16:], uint64(startMicros))
	h.Write(n[:])
	h.Write(worker[:])
	var id RunID
	h.Sum(id[:0])
	return id
}

type batchWire struct {
	Format     uint
	DatasetID  common.Hash
	Version    uint64
	RunID      RunID
	SlotMicros uint64
	Seq        uint32
	Total      uint32
	Rows       [][]cellWire
}

// cellWire is a dataset.Value in RLP: signed and float fields travel as
// their 64-bit patterns.
type cellWire struct {
	Kind  uint8
	Int   uint64
	Float uint64
	Bytes []byte
}

// Encode returns the canonical encoding of b.
func Encode(b *Batch) ([]byte, error) {
	if err := b.checkShape(); err != nil {
		return nil, err
	}
	w := batchWire{
		Format: formatVersion, DatasetID: b.DatasetID, Version: b.Version, RunID: b.RunID,
		SlotMicros: uint64(b.SlotMicros), Seq: b.Seq, Total: b.Total,
		Rows: make([][]cellWire, len(b.Rows)),
	}
	for i, r := range b.Rows {
		cells := make([]cellWire, len(r))
		for j, v := range r {
			c, err := toWire(v)
			if err != nil {
				return nil, fmt.Errorf("batch row %d column %d: %w", i+1, j+1, err)
			}
			cells[j] = c
		}
		w.Rows[i] = cells
	}
	out, err := signing.Encode(w)
	if err != nil {
		return nil, fmt.Errorf("encode batch: %w", err)
	}
	if len(out) > MaxBatchSize {
		return nil, fmt.Errorf("batch is %d bytes, the limit is %d: cut it into smaller batches", len(out), MaxBatchSize)
	}
	return out, nil
}

// Decode parses an encoded batch, refusing anything Encode would not
// produce.
func Decode(data []byte) (*Batch, error) {
	var w batchWire
	if err := signing.Decode(data, &w, MaxBatchSize); err != nil {
		return nil, fmt.Errorf("row batch: %w", err)
	}
	if w.Format != formatVersion {
		return nil, fmt.Errorf("row batch: format %d, this build reads format %d", w.Format, formatVersion)
	}
	b := &Batch{
		DatasetID: w.DatasetID, Version: w.Version, RunID: w.RunID,
		SlotMicros: int64(w.SlotMicros), Seq: w.Seq, Total: w.Total,
		Rows: make([]dataset.Row, len(w.Rows)),
	}
	for i, cells := range w.Rows {
		r := make(dataset.Row, len(cells))
		for j, c := range cells {
			v, err := fromWire(c)
			if err != nil {
				return nil, fmt.Errorf("row batch: row %d column %d: %w", i+1, j+1, err)
			}
			r[j] = v
		}
		b.Rows[i] = r
	}
	if err := b.checkShape(); err != nil {
		return nil, fmt.Errorf("row batch: %w", err)
	}
	return b, nil
}

func (b *Batch) checkShape() error {
	if b.Total == 0 || b.Seq >= b.Total {
		return fmt.Errorf("batch number %d of %d is out of range", b.Seq, b.Total)
	}
	if len(b.Rows) == 0 {
		return errors.New("batch has no rows")
	}
	if len(b.Rows) > MaxBatchRows {
		return fmt.Errorf("batch has %d rows, the limit is %d", len(b.Rows), MaxBatchRows)
	}
	return nil
}

// Check validates every row against the dataset's schema in stored form;
// row numbers in the error count from 1 within the batch.
func (b *Batch) Check(s *dataset.Schema) error {
	for i, r := range b.Rows {
		if err := s.CheckStoredRow(i+1, r); err != nil {
			return err
		}
	}
	return nil
}

func toWire(v dataset.Value) (cellWire, error) {
	c := cellWire{Kind: uint8(v.Kind)}
	switch v.Kind {
	case 0:
	case dataset.TypeInt64, dataset.TypeBool, dataset.TypeTimestamp:
		c.Int = uint64(v.Int)
	case dataset.TypeFloat64:
		c.Float = math.Float64bits(v.Float)
	case dataset.TypeString, dataset.TypeBytes:
		c.Bytes = v.Bytes
	default:
		return c, fmt.Errorf("unknown value kind %d", v.Kind)
	}
	return c, nil
}

// fromWire also enforces that fields a kind does not use are zero, so each
// value has exactly one encoding.
func fromWire(c cellWire) (dataset.Value, error) {
	kind := dataset.ColumnType(c.Kind)
	v := dataset.Value{Kind: kind}
	var extra bool
	switch kind {
	case 0:
		extra = c.Int != 0 || c.Float != 0 || len(c.Bytes) != 0
	case dataset.TypeInt64, dataset.TypeBool, dataset.TypeTimestamp:
		v.Int = int64(c.Int)
		extra = c.Float != 0 || len(c.Bytes) != 0
	case dataset.TypeFloat64:
		v.Float = math.Float64frombits(c.Float)
		extra = c.Int != 0 || len(c.Bytes) != 0
	case dataset.TypeString, dataset.TypeBytes:
		v.Bytes = c.Bytes
		extra = c.Int != 0 || c.Float != 0
	default:
		return v, fmt.Errorf("unknown value kind %d", c.Kind)
	}
	if extra {
		return v, fmt.Errorf("%s value has fields its kind does not use", kind)
	}
	if kind == dataset.TypeBool && v.Int != 0 && v.Int != 1 {
		return v, errors.New("bool value is neither 0 nor 1")
	}
	return v, nil
}
