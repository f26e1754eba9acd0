package colcrypt

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/signing"
)

// Key sizes.
const (
	DetKeySize = 64 // AES-SIV with two AES-256 keys
	OPEKeySize = 32
)

// ErrDecrypt is returned (wrapped) when a cell does not decrypt under the
// keys: wrong keys, wrong dataset or column, or a tampered cell.
var ErrDecrypt = errors.New("cell does not decrypt")

// Keys are one dataset's column keys. They are secret to the provider and
// the subscribers it grants them to.
type Keys struct {
	Det [DetKeySize]byte
	OPE [OPEKeySize]byte
}

// GenerateKeys draws fresh keys from rnd (crypto/rand.Reader in
// production).
func GenerateKeys(rnd io.Reader) (*Keys, error) {
	k := &Keys{}
	if _, err := io.ReadFull(rnd, k.Det[:]); err != nil {
		return nil, fmt.Errorf("generate column keys: %w", err)
	}
	if _, err := io.ReadFull(rnd, k.OPE[:]); err != nil {
		return nil, fmt.Errorf("generate column keys: %w", err)
	}
	return k, nil
}

type keysWire struct {
	Version uint
	Det     []byte
	OPE     []byte
}

const keysVersion = 1

// maxKeysSize bounds an encoded Keys.
const maxKeysSize = 256

// MarshalBinary encodes the keys (RLP, versioned).
func (k *Keys) MarshalBinary() ([]byte, error) {
	return signing.Encode(keysWire{Version: keysVersion, Det: k.Det[:], OPE: k.OPE[:]})
}

// UnmarshalBinary decodes keys written by MarshalBinary.
func (k *Keys) UnmarshalBinary(b []byte) error {
	var w keysWire
	if err := signing.Decode(b, &w, maxKeysSize); err != nil {
		return fmt.Errorf("column keys: %w", err)
	}
	if w.Version != keysVersion {
		return fmt.Errorf("column keys: version %d, this build reads version %d", w.Version, keysVersion)
	}
	if len(w.Det) != DetKeySize || len(w.OPE) != OPEKeySize {
		return fmt.Errorf("column keys: key sizes %d and %d, want %d and %d", len(w.Det), len(w.OPE), DetKeySize, OPEKeySize)
	}
	copy(k.Det[:], w.Det)
	copy(k.OPE[:], w.OPE)
	return nil
}

// SaveKeys writes keys to path with mode 0600, refusing to overwrite.
func SaveKeys(path string, k *Keys) error {
	b, err := k.MarshalBinary()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("save column keys: %w (keys are never overwritten; move the old file away first)", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("save column keys %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save column keys %s: %w", path, err)
	}
	return nil
}

// LoadKeys reads keys written by SaveKeys.
func LoadKeys(path string) (*Keys, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load column keys: %w", err)
	}
	k := &Keys{}
	if err := k.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("load column keys %s: %w", path, err)
	}
	return k, nil
}

// Cipher encrypts and decrypts the cells of one dataset. It is safe for
// concurrent use.
type Cipher struct {
	datasetID common.Hash
	det       *sivKeys
	opeMaster [OPEKeySize]byte
	// rnd draws the nonces of order-revealing cells.
	rnd io.Reader

	mu struct {
		sync.Mutex
		ope map[string]*opeCipher
		ore map[string]*oreCipher
		det map[string]*sivColumn
	}
}

// New returns a Cipher for the dataset with the given on-chain ID.
func New(keys *Keys, datasetID common.Hash) (*Cipher, error) {
	det, err := newSIVKeys(keys.Det[:])
	if err != nil {
		return nil, err
	}
	c := &Cipher{datasetID: datasetID, det: det, opeMaster: keys.OPE, rnd: rand.Reader}
	c.mu.ope = make(map[string]*opeCipher)
	c.mu.ore = make(map[string]*oreCipher)
	c.mu.det = make(map[string]*sivColumn)
	return c, nil
}

// SetRand replaces the source of the nonces of order-revealing cells
// (crypto/rand by default), for reproducible tests; call it before use.
func (c *Cipher) SetRand(rnd io.Reader) { c.rnd = rnd }

// oreFor returns the column's order-revealing cipher. Its keys derive from
// the OPE master key under their own label (see oreSubkey), so a grant
// carries them without a new key format.
func (c *Cipher) oreFor(column string) (*oreCipher, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if o, ok := c.mu.ore[column]; ok {
		return o, nil
	}
	o, err := newORECipher(c.opeMaster[:], c.datasetID[:], column)
	if err != nil {
		return nil, err
	}
	c.mu.ore[column] = o
	return o, nil
}

// EncryptConstant encrypts a query constant compared with col: for an
// order-revealing column the left ciphertext (which compares with stored
// cells but is no cell), for the others what EncryptValue gives.
func (c *Cipher) EncryptConstant(col dataset.Column, v dataset.Value) (dataset.Value, error) {
	if col.Encryption != dataset.EncOrderRevealing || v.IsNull() {
		return c.EncryptValue(col, v)
	}
	image, err := oreImage(col, v)
	if err != nil {
		return dataset.Value{}, err
	}
	o, err := c.oreFor(col.Name)
	if err != nil {
		return dataset.Value{}, err
	}
	return dataset.Bytes(o.left(image)), nil
}

// oreImage maps a value of an order-revealing column to the uint64 the
// scheme encrypts, whose unsigned order is the engine's order of the
// values: int64 and timestamp with the sign bit flipped, float64 by
// orderedUint64 (-0 folds into +0, which SQL compares equal, and every NaN
// to nanImage). The image fixes only comparisons; the cell seals the
// value's own bits, so -0 and a NaN's payload decrypt unchanged.
func oreImage(col dataset.Column, v dataset.Value) (uint64, error) {
	if v.Kind != col.Type {
		return 0, fmt.Errorf("column %q: cannot encrypt a %s value for a %s column", col.Name, v.Kind, col.Type)
	}
	switch col.Type {
	case dataset.TypeInt64, dataset.TypeTimestamp:
		return uint64(v.Int) ^ 1<<63, nil
	case dataset.TypeFloat64:
		return orderedUint64(kindFloat, 0, v.Float)
	}
	return 0, fmt.Errorf("column %q: order-revealing encryption needs an int64, float64 or timestamp column, not %s", col.Name, col.Type)
}

// oreSealed is the 8 bytes an order-revealing cell seals: the int64 or the
// float64's bits, big-endian.
func oreSealed(v dataset.Value) []byte {
	if v.Kind == dataset.TypeFloat64 {
		return binary.BigEndian.AppendUint64(nil, math.Float64bits(v.Float))
	}
	return binary.BigEndian.AppendUint64(nil, uint64(v.Int))
}

// DatasetID returns the dataset this Cipher is bound to.
func (c *Cipher) DatasetID() common.Hash { return c.datasetID }

// associatedData binds a ciphertext to its dataset and column.
func (c *Cipher) associatedData(column string) []byte {
	ad := make([]byte, 0, 24+32+len(column))
	ad = append(ad, "enigma/colcrypt/det/v1\x00"...)
	ad = append(ad, c.datasetID[:]...)
	return append(ad, column...)
}

// detFor returns the column's AES-SIV state, its associated data already
// absorbed.
func (c *Cipher) detFor(column string) *sivColumn {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.mu.det[column]; ok {
		return d
	}
	d := c.det.column(c.associatedData(column))
	c.mu.det[column] = d
	return d
}

// opeFor returns the column's order-preserving cipher, its two keys
// HMAC-SHA256(OPE master key, label || dataset ID || column name) under
// the labels of the descent's PRF and of the seal.
func (c *Cipher) opeFor(column string) (*opeCipher, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if o, ok := c.mu.ope[column]; ok {
		return o, nil
	}
	key := func(label string) []byte {
		mac := hmac.New(sha256.New, c.opeMaster[:])
		mac.Write([]byte(label))
		mac.Write(c.datasetID[:])
		mac.Write([]byte(column))
		return mac.Sum(nil)
	}
	o, err := newOPECipher(key("enigma/colcrypt/ope/v1\x00"), key("enigma/colcrypt/ope-seal/v1\x00"))
	if err != nil {
		return nil, err
	}
	c.mu.ope[column] = o
	return o, nil
}

// EncryptValue encrypts one plaintext cell of col. Plaintext columns and
// NULLs are returned unchanged.
func (c *Cipher) EncryptValue(col dataset.Column, v dataset.Value) (dataset.Value, error) {
	if col.Encryption == dataset.EncNone || v.IsNull() {
		return v, nil
	}
	if v.Kind != col.Type {
		return dataset.Value{}, fmt.Errorf("column %q: cannot encrypt a %s value for a %s column", col.Name, v.Kind, col.Type)
	}
	switch col.Encryption {
	case dataset.EncDeterministic:
		return dataset.Bytes(c.detFor(col.Name).seal(encodeDetPlaintext(v))), nil
	case dataset.EncOrderPreserving:
		kind, err := opeKind(col)
		if err != nil {
			return dataset.Value{}, err
		}
		p, err := orderedUint64(kind, v.Int, v.Float)
		if err != nil {
			return dataset.Value{}, fmt.Errorf("column %q: %w", col.Name, err)
		}
		o, err := c.opeFor(col.Name)
		if err != nil {
			return dataset.Value{}, err
		}
		return dataset.Bytes(o.cell(p)), nil
	case dataset.EncOrderRevealing:
		image, err := oreImage(col, v)
		if err != nil {
			return dataset.Value{}, err
		}
		o, err := c.oreFor(col.Name)
		if err != nil {
			return dataset.Value{}, err
		}
		cell, err := o.cell(c.rnd, image, oreSealed(v))
		if err != nil {
			return dataset.Value{}, fmt.Errorf("column %q: %w", col.Name, err)
		}
		return dataset.Bytes(cell), nil
	}
	return dataset.Value{}, fmt.Errorf("column %q has unknown encryption %d", col.Name, col.Encryption)
}

// DecryptValue inverts EncryptValue.
func (c *Cipher) DecryptValue(col dataset.Column, v dataset.Value) (dataset.Value, error) {
	if col.Encryption == dataset.EncNone || v.IsNull() {
		return v, nil
	}
	if err := checkCiphertext(col, v); err != nil {
		return dataset.Value{}, err
	}
	switch col.Encryption {
	case dataset.EncDeterministic:
		pt, err := c.detFor(col.Name).open(v.Bytes)
		if err != nil {
			return dataset.Value{}, fmt.Errorf("column %q: %w (check the column keys belong to this dataset)", col.Name, ErrDecrypt)
		}
		out, err := decodeDetPlaintext(pt)
		if err != nil {
			return dataset.Value{}, fmt.Errorf("column %q: %w", col.Name, err)
		}
		if out.Kind != col.Type {
			return dataset.Value{}, fmt.Errorf("column %q: %w: decrypted a %s value, the column is %s", col.Name, ErrDecrypt, out.Kind, col.Type)
		}
		return out, nil
	case dataset.EncOrderPreserving:
		oc, err := c.opeColumnFor(col)
		if err != nil {
			return dataset.Value{}, err
		}
		if err := oc.decrypt(&v); err != nil {
			return dataset.Value{}, err
		}
		return v, nil
	case dataset.EncOrderRevealing:
		o, err := c.oreFor(col.Name)
		if err != nil {
			return dataset.Value{}, err
		}
		pt, err := o.open(v.Bytes)
		if err != nil || len(pt) != 8 {
			return dataset.Value{}, fmt.Errorf("column %q: %w (check the column keys belong to this dataset)", col.Name, ErrDecrypt)
		}
		u := binary.BigEndian.Uint64(pt)
		if col.Type == dataset.TypeFloat64 {
			return dataset.Float64(math.Float64frombits(u)), nil
		}
		return dataset.Value{Kind: col.Type, Int: int64(u)}, nil
	}
	return dataset.Value{}, fmt.Errorf("column %q has unknown encryption %d", col.Name, col.Encryption)
}

// checkCiphertext refuses a non-NULL cell of the encrypted column col that
// holds no ciphertext bytes.
func checkCiphertext(col dataset.Column, v dataset.Value) error {
	if v.Kind != dataset.TypeBytes {
		return fmt.Errorf("column %q is encrypted, but the cell holds a %s value, not ciphertext bytes", col.Name, v.Kind)
	}
	return nil
}

// DecryptColumn decrypts the cells of column j of rows in place, each as
// DecryptValue would, with the column's key looked up once: for the many
// rows of a result. On error, bad is the row whose cell did not decrypt
// (the rows before it are decrypted, it and the rows after are as they
// were), or -1 if no cell of the column can be (no key for it).
func (c *Cipher) DecryptColumn(col dataset.Column, rows []dataset.Row, j int) (bad int, err error) {
	if col.Encryption != dataset.EncOrderPreserving {
		for i, r := range rows {
			out, err := c.DecryptValue(col, r[j])
			if err != nil {
				return i, err
			}
			r[j] = out
		}
		return -1, nil
	}
	oc, err := c.opeColumnFor(col)
	if err != nil {
		return -1, err
	}
	return oc.decryptColumn(rows, j)
}

// opeColumn decrypts the cells of one order-preserving column.
type opeColumn struct {
	col     dataset.Column
	kind    dataTypeKind
	o       *opeCipher
	scratch sealScratch
}

func (c *Cipher) opeColumnFor(col dataset.Column) (*opeColumn, error) {
	kind, err := opeKind(col)
	if err != nil {
		return nil, err
	}
	o, err := c.opeFor(col.Name)
	if err != nil {
		return nil, err
	}
	return &opeColumn{col: col, kind: kind, o: o}, nil
}

// decrypt decrypts the cell *v in place; it leaves *v as it was on error.
func (oc *opeColumn) decrypt(v *dataset.Value) error {
	if v.IsNull() {
		return nil
	}
	if err := checkCiphertext(oc.col, *v); err != nil {
		return err
	}
	p, err := oc.o.open(v.Bytes, &oc.scratch)
	if err != nil {
		return oc.openError(err)
	}
	*v = oc.value(p)
	return nil
}

// decryptColumn is DecryptColumn for this column: its cells opened
// sealBatchSize at a time (openBatch).
func (oc *opeColumn) decryptColumn(rows []dataset.Row, j int) (bad int, err error) {
	if len(rows) < sealBatchSize {
		// A few cells (a point lookup's) one by one: a batch's 0.9 KiB,
		// allocated and cleared, cost more than its overlap saves.
		for i := range rows {
			if err := oc.decrypt(&rows[i][j]); err != nil {
				return i, err
			}
		}
		return -1, nil
	}
	batch := new(sealBatch)
	var at [sealBatchSize]int // the row of each queued cell
	var out [sealBatchSize]uint64
	flush := func() (int, error) {
		n := batch.n
		k, err := oc.o.openBatch(batch, &out)
		if err != nil {
			n = k
		}
		for q := range n {
			rows[at[q]][j] = oc.value(out[q])
		}
		if err != nil {
			return at[k], oc.openError(err)
		}
		return -1, nil
	}
	for i, r := range rows {
		v := &r[j]
		if v.Kind != dataset.TypeBytes || len(v.Bytes) != OPECellSize {
			if v.IsNull() {
				continue
			}
			err := checkCiphertext(oc.col, *v)
			if err == nil {
				err = oc.openError(checkCellSize(v.Bytes))
			}
			if bad, ferr := flush(); ferr != nil {
				return bad, ferr
			}
			return i, err
		}
		at[batch.n] = i
		if batch.add(v.Bytes) {
			if bad, err := flush(); err != nil {
				return bad, err
			}
		}
	}
	return flush()
}

func (oc *opeColumn) openError(err error) error {
	return fmt.Errorf("column %q: %w: %v (check the column keys belong to this dataset)", oc.col.Name, ErrDecrypt, err)
}

// value is the column's value of the plaintext p.
func (oc *opeColumn) value(p uint64) dataset.Value {
	i, f := fromOrderedUint64(oc.kind, p)
	if oc.kind == kindFloat {
		return dataset.Float64(f)
	}
	return dataset.Value{Kind: oc.col.Type, Int: i}
}

func opeKind(col dataset.Column) (dataTypeKind, error) {
	switch col.Type {
	case dataset.TypeInt64, dataset.TypeTimestamp:
		return kindInt, nil
	case dataset.TypeFloat64:
		return kindFloat, nil
	}
	return 0, fmt.Errorf("column %q: order-preserving encryption needs an int64, float64 or timestamp column, not %s", col.Name, col.Type)
}

// EncryptRow validates a plaintext row against the schema and encrypts its
// encrypted columns; rowNum is used in errors. The result passes
// Schema.CheckStoredRow.
func (c *Cipher) EncryptRow(s *dataset.Schema, rowNum int, r dataset.Row) (dataset.Row, error) {
	if err := s.CheckRow(rowNum, r); err != nil {
		return nil, err
	}
	out := make(dataset.Row, len(r))
	for i, col := range s.Columns {
		v, err := c.EncryptValue(col, r[i])
		if err != nil {
			return nil, &dataset.RowError{Row: rowNum, Column: col.Name, Reason: err.Error()}
		}
		out[i] = v
	}
	return out, nil
}

// DecryptRow validates a stored row and decrypts its encrypted columns.
func (c *Cipher) DecryptRow(s *dataset.Schema, rowNum int, r dataset.Row) (dataset.Row, error) {
	if err := s.CheckStoredRow(rowNum, r); err != nil {
		return nil, err
	}
	out := make(dataset.Row, len(r))
	for i, col := range s.Columns {
		v, err := c.DecryptValue(col, r[i])
		if err != nil {
			return nil, &dataset.RowError{Row: rowNum, Column: col.Name, Reason: err.Error()}
		}
		out[i] = v
	}
	return out, nil
}

// EncryptValue is Cipher.EncryptValue for a one-off call; reuse a Cipher
// from New for many values.
func EncryptValue(keys *Keys, datasetID common.Hash, col dataset.Column, v dataset.Value) (dataset.Value, error) {
	c, err := New(keys, datasetID)
	if err != nil {
		return dataset.Value{}, err
	}
	return c.EncryptValue(col, v)
}

// DecryptValue is Cipher.DecryptValue for a one-off call.
func DecryptValue(keys *Keys, datasetID common.Hash, col dataset.Column, v dataset.Value) (dataset.Value, error) {
	c, err := New(keys, datasetID)
	if err != nil {
		return dataset.Value{}, err
	}
	return c.DecryptValue(col, v)
}

// EncryptRow is Cipher.EncryptRow for a one-off call.
func EncryptRow(keys *Keys, datasetID common.Hash, s *dataset.Schema, r dataset.Row) (dataset.Row, error) {
	c, err := New(keys, datasetID)
	if err != nil {
		return nil, err
	}
	return c.EncryptRow(s, 0, r)
}

// DecryptRow is Cipher.DecryptRow for a one-off call.
func DecryptRow(keys *Keys, datasetID common.Hash, s *dataset.Schema, r dataset.Row) (dataset.Row, error) {
	c, err := New(keys, datasetID)
	if err != nil {
		return nil, err
	}
	return c.DecryptRow(s, 0, r)
}

// encodeDetPlaintext is kind || payload: 8 big-endian bytes for numbers,
// the raw bytes for strings and bytes. Floats are canonical (-0 as +0, one
// NaN) so SQL-equal values encrypt equally.
func encodeDetPlaintext(v dataset.Value) []byte {
	switch v.Kind {
	case dataset.TypeString, dataset.TypeBytes:
		return append([]byte{byte(v.Kind)}, v.Bytes...)
	case dataset.TypeFloat64:
		f := v.Float
		switch {
		case f == 0:
			f = 0
		case math.IsNaN(f):
			f = math.NaN()
		}
		return binary.BigEndian.AppendUint64([]byte{byte(v.Kind)}, math.Float64bits(f))
	default:
		return binary.BigEndian.AppendUint64([]byte{byte(v.Kind)}, uint64(v.Int))
	}
}

func decodeDetPlaintext(b []byte) (dataset.Value, error) {
	if len(b) == 0 {
		return dataset.Value{}, fmt.Errorf("%w: empty plaintext", ErrDecrypt)
	}
	kind := dataset.ColumnType(b[0])
	switch kind {
	case dataset.TypeString, dataset.TypeBytes:
		return dataset.Value{Kind: kind, Bytes: bytes.Clone(b[1:])}, nil
	case dataset.TypeFloat64, dataset.TypeInt64, dataset.TypeTimestamp, dataset.TypeBool:
		if len(b) != 9 {
			return dataset.Value{}, fmt.Errorf("%w: %s plaintext is %d bytes, want 9", ErrDecrypt, kind, len(b))
		}
		u := binary.BigEndian.Uint64(b[1:])
		if kind == dataset.TypeFloat64 {
			return dataset.Float64(math.Float64frombits(u)), nil
		}
		return dataset.Value{Kind: kind, Int: int64(u)}, nil
	}
	return dataset.Value{}, fmt.Errorf("%w: unknown kind %d", ErrDecrypt, kind)
}
