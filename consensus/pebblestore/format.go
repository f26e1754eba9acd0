package pebblestore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"

	"github.com/cockroachdb/pebble/v2"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/signing"
)

// formatVersion is the on-disk format this package writes and reads. Format
// 1 (no format record, no checksums) is migrated when the log is opened.
const formatVersion = 2

// checksumLen is the size of the CRC-32C in front of every record's payload.
const checksumLen = 4

// batchKeyLen is the length of a batch key after the prefix: tag, sequence
// number, digest.
const batchKeyLen = 1 + 8 + len(consensus.Digest{})

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is wrapped by every error that reports a corrupt record: a
// checksum that does not match, a value too short to hold one, or a record
// that cannot be what its key says.
var ErrCorrupt = errors.New("consensus log is corrupt")

// ErrNewerFormat is wrapped by the error Open and New return for a log
// written in a format newer than this binary knows.
var ErrNewerFormat = errors.New("consensus log has a newer format")

// corruptError is a corrupt record: it names the record and says what the
// operator can do, and errors.Is(err, ErrCorrupt) holds.
type corruptError struct {
	msg   string
	cause error
}

func (e *corruptError) Error() string        { return e.msg }
func (e *corruptError) Unwrap() error        { return e.cause }
func (e *corruptError) Is(target error) bool { return target == ErrCorrupt }

// corrupt reports that the record under key is corrupt; what says how.
// cause, which may be nil, is wrapped.
func (s *Store) corrupt(key []byte, cause error, what string, args ...any) error {
	detail := fmt.Sprintf(what, args...)
	if cause != nil {
		detail += ": " + cause.Error()
	}
	remedy := "restore the datadir's consensus/ from a backup, or remove it to rejoin with an empty log"
	if !s.owned {
		remedy = fmt.Sprintf("restore the database from a backup, or delete its keys under prefix %q to rejoin with an empty log", s.prefix)
	}
	return &corruptError{
		msg: fmt.Sprintf("the consensus log %s is corrupt: %s (key %x) %s; %s — a replica that lost its log must be counted as one of the f faulty validators until the next stable checkpoint",
			s.where, s.recordName(key), key, detail, remedy),
		cause: cause,
	}
}

// recordName names the record under key for an operator.
func (s *Store) recordName(key []byte) string {
	k := key[min(len(s.prefix), len(key)):]
	if len(k) == 0 {
		return "record"
	}
	switch tag, rest := k[0], k[1:]; {
	case tag == 'F' && len(rest) == 0:
		return "the format record"
	case tag == 'h' && len(rest) == 0:
		return "the hard state"
	case tag == 'v' && len(rest) == 0:
		return "the view change"
	case tag == 's' && len(rest) == 0:
		return "the stable checkpoint"
	case tag == 'e' && len(rest) == 8:
		return fmt.Sprintf("entry %d", binary.BigEndian.Uint64(rest))
	case tag == 'b' && len(k) == batchKeyLen:
		ref, _ := s.parseBatchKey(key)
		return fmt.Sprintf("batch %d/%s", ref.seq, ref.digest.Short())
	}
	return "record"
}

// checksum is the CRC-32C of a record's key followed by its payload, so a
// value stored under another key does not pass either.
func checksum(key, payload []byte) uint32 {
	return crc32.Update(crc32.Update(0, castagnoli, key), castagnoli, payload)
}

// seal returns the stored value of a record: checksum, then payload.
func seal(key, payload []byte) []byte {
	v := make([]byte, checksumLen, checksumLen+len(payload))
	binary.BigEndian.PutUint32(v, checksum(key, payload))
	return append(v, payload...)
}

// unseal returns the payload of the value stored under key (a subslice of
// val), or an error wrapping ErrCorrupt if its checksum does not match.
func (s *Store) unseal(key, val []byte) ([]byte, error) {
	if len(val) < checksumLen {
		return nil, s.corrupt(key, nil, "is %d bytes, too short to hold its checksum", len(val))
	}
	payload := val[checksumLen:]
	if binary.BigEndian.Uint32(val) != checksum(key, payload) {
		return nil, s.corrupt(key, nil, "does not match its checksum")
	}
	return payload, nil
}

// openFormat checks the format record and brings the log to formatVersion:
// an empty log gets the format record, a format-1 log is migrated, a log in
// a newer format is refused. A corrupt format record is left for Load to
// report, as it reports every corrupt record.
func (s *Store) openFormat() error {
	_, found, err := s.readFormat()
	if errors.Is(err, ErrCorrupt) {
		return nil
	}
	if err != nil {
		return err
	}
	if found {
		return nil
	}
	if v1, err := s.hasRecords(); err != nil {
		return err
	} else if v1 {
		return s.migrateV1()
	}
	k := s.key('F')
	enc, err := signing.Encode(uint64(formatVersion))
	if err != nil {
		return err
	}
	if err := s.db.Set(k, seal(k, enc), pebble.Sync); err != nil {
		return fmt.Errorf("write consensus log %s: %w", s.where, err)
	}
	return nil
}

// readFormat reads the format record. It reports found == false if there
// is none, and an error unless the log is in formatVersion.
func (s *Store) readFormat() (version uint64, found bool, err error) {
	k := s.key('F')
	val, closer, err := s.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read consensus log %s: %w", s.where, err)
	}
	defer closer.Close()
	payload, err := s.unseal(k, val)
	if err != nil {
		return 0, true, err
	}
	if err := signing.Decode(payload, &version, maxRecord); err != nil {
		return 0, true, s.corrupt(k, err, "does not decode")
	}
	switch {
	case version > formatVersion:
		return version, true, fmt.Errorf("%w: the consensus log %s is in format %d, but this binary reads format %d at most: it is too old for this log; run the release that wrote it, or a newer one",
			ErrNewerFormat, s.where, version, formatVersion)
	case version < formatVersion:
		return version, true, s.corrupt(k, nil, "holds format %d, which no release writes", version)
	}
	return version, true, nil
}

// hasRecords reports whether any record of this log is stored.
func (s *Store) hasRecords() (bool, error) {
	for _, tag := range []byte{'h', 'v', 's'} {
		_, closer, err := s.db.Get(s.key(tag))
		if err == nil {
			closer.Close()
			return true, nil
		}
		if !errors.Is(err, pebble.ErrNotFound) {
			return false, fmt.Errorf("read consensus log %s: %w", s.where, err)
		}
	}
	for _, tag := range []byte{'e', 'b'} {
		found := false
		err := s.scan(tag, func(k, v []byte) error { found = true; return errStop })
		if err != nil && !errors.Is(err, errStop) {
			return false, err
		}
		if found {
			return true, nil
		}
	}
	return false, nil
}

var errStop = errors.New("stop")

// parseBatchKey reads a key under prefix+"b"; ok is false if it is not a
// batch key.
func (s *Store) parseBatchKey(k []byte) (ref batchRef, ok bool) {
	if len(k) != len(s.prefix)+batchKeyLen {
		return batchRef{}, false
	}
	rest := k[len(s.prefix)+1:]
	ref.seq = binary.BigEndian.Uint64(rest)
	copy(ref.digest[:], rest[8:])
	return ref, true
}

// scan calls fn with every key and value stored under prefix+tag, in key
// order. The slices are valid only during the call.
func (s *Store) scan(tag byte, fn func(k, v []byte) error) error {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: s.key(tag), UpperBound: s.key(tag + 1)})
	if err != nil {
		return fmt.Errorf("read consensus log %s: %w", s.where, err)
	}
	for it.First(); it.Valid(); it.Next() {
		if err := fn(it.Key(), it.Value()); err != nil {
			_ = it.Close()
			return err
		}
	}
	if err := it.Error(); err != nil {
		_ = it.Close()
		return fmt.Errorf("read consensus log %s: %w", s.where, err)
	}
	if err := it.Close(); err != nil {
		return fmt.Errorf("read consensus log %s: %w", s.where, err)
	}
	return nil
}

// migrateV1 rewrites a format-1 log (each record its bare RLP) in
// formatVersion, in one synced batch: every record is first decoded the way
// format 1 was read, so a corrupt one is reported and nothing is written.
func (s *Store) migrateV1() error {
	b := s.db.NewBatch()
	defer b.Close()
	var records, entries, batches, size int
	rewrite := func(k, payload []byte) error {
		records++
		size += len(payload)
		return b.Set(k, seal(k, payload), nil)
	}
	singles := []struct {
		tag byte
		v   func() any
	}{
		{'h', func() any { return new(consensus.HardState) }},
		{'v', func() any { return new(consensus.ViewChange) }},
		{'s', func() any { return new(consensus.StableCheckpoint) }},
	}
	for _, one := range singles {
		k := s.key(one.tag)
		val, closer, err := s.db.Get(k)
		if errors.Is(err, pebble.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read consensus log %s: %w", s.where, err)
		}
		err = signing.Decode(val, one.v(), maxRecord)
		if err == nil {
			err = rewrite(k, val)
		} else {
			err = s.corrupt(k, err, "(format 1) does not decode")
		}
		closer.Close()
		if err != nil {
			return err
		}
	}
	err := s.scan('e', func(k, v []byte) error {
		var e consensus.LogEntry
		if err := signing.Decode(v, &e, maxRecord); err != nil {
			return s.corrupt(k, err, "(format 1) does not decode")
		}
		if string(k) != string(s.key('e', e.Seq)) {
			return s.corrupt(k, nil, "(format 1) claims sequence number %d", e.Seq)
		}
		entries++
		return rewrite(k, v)
	})
	if err != nil {
		return err
	}
	err = s.scan('b', func(k, v []byte) error {
		ref, ok := s.parseBatchKey(k)
		if !ok {
			return nil // not this log's: see New
		}
		var bt consensus.Batch
		if err := signing.Decode(v, &bt, maxRecord); err != nil {
			return s.corrupt(k, err, "(format 1) does not decode")
		}
		if bt.Digest() != ref.digest {
			return s.corrupt(k, nil, "(format 1) does not match its digest")
		}
		batches++
		return rewrite(k, v)
	})
	if err != nil {
		return err
	}
	k := s.key('F')
	enc, err := signing.Encode(uint64(formatVersion))
	if err != nil {
		return err
	}
	if err := b.Set(k, seal(k, enc), nil); err != nil {
		return err
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("migrate consensus log %s to format %d: %w", s.where, formatVersion, err)
	}
	slog.Default().With("component", "consensus-wal").Info("consensus log migrated from format 1: a checksum on every record",
		"log", s.where, "format", formatVersion, "records", records, "entries", entries, "batches", batches, "bytes", size)
	return nil
}
