package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/enigma-mpc/enigma/chain/contracts"
	"github.com/enigma-mpc/enigma/internal/clock"
)

// Event is one decoded Marketplace event from a confirmed block.
type Event struct {
	Name      string // the Solidity event name, e.g. "DatasetRegistered"
	Block     uint64
	BlockHash common.Hash
	TxHash    common.Hash
	Index     uint
	// Data is the decoded event: *contracts.MarketplaceDatasetRegistered,
	// *contracts.MarketplaceSubscribed, … (one type per Name).
	Data any
}

// Cursor is the follower's position: the last block whose events were all
// handled, and the hashes of recent handled blocks (newest last) so a reorg
// can be traced back to where the chains agree.
type Cursor struct {
	Block  uint64        `json:"block"`
	Recent []BlockMarker `json:"recent"`
}

// BlockMarker is a block number and its hash.
type BlockMarker struct {
	Number uint64      `json:"number"`
	Hash   common.Hash `json:"hash"`
}

// CursorStore keeps a follower's cursor across restarts.
type CursorStore interface {
	// LoadCursor returns the saved cursor; ok is false when none was saved.
	LoadCursor() (c Cursor, ok bool, err error)
	SaveCursor(Cursor) error
}

// MemoryCursorStore keeps the cursor for the life of the process (a
// command's one run, a node's view of the events).
type MemoryCursorStore struct {
	c  Cursor
	ok bool
}

// LoadCursor implements CursorStore.
func (m *MemoryCursorStore) LoadCursor() (Cursor, bool, error) { return m.c, m.ok, nil }

// SaveCursor implements CursorStore.
func (m *MemoryCursorStore) SaveCursor(c Cursor) error {
	m.c, m.ok = c, true
	return nil
}

// FileCursorStore keeps the cursor in a JSON file, replaced atomically.
type FileCursorStore struct{ Path string }

// LoadCursor implements CursorStore.
func (s FileCursorStore) LoadCursor() (Cursor, bool, error) {
	b, err := os.ReadFile(s.Path)
	if errors.Is(err, os.ErrNotExist) {
		return Cursor{}, false, nil
	}
	if err != nil {
		return Cursor{}, false, fmt.Errorf("read follower cursor: %w", err)
	}
	var c Cursor
	if err := json.Unmarshal(b, &c); err != nil {
		return Cursor{}, false, fmt.Errorf("follower cursor %s is corrupt: %w (delete it to rescan from the deployment block)", s.Path, err)
	}
	return c, true, nil
}

// SaveCursor implements CursorStore.
func (s FileCursorStore) SaveCursor(c Cursor) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tmp := s.Path + ".tmp"
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		return fmt.Errorf("save follower cursor: %w", err)
	}
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("save follower cursor: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("save follower cursor: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("save follower cursor: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save follower cursor: %w", err)
	}
	if err := os.Rename(tmp, s.Path); err != nil {
		return fmt.Errorf("save follower cursor: %w", err)
	}
	return nil
}

// ReorgError reports that a block the follower had handled is no longer
// canonical: the chain reorganised deeper than the confirmation depth. The
// follower has rewound to Resume; the next Poll delivers the new branch's
// events from there, so consumers should undo what they derived from blocks
// after Resume.
type ReorgError struct {
	Block  uint64 // the handled block that left the canonical chain
	Resume uint64 // the last block still canonical; delivery restarts after it
}

func (e *ReorgError) Error() string {
	return fmt.Sprintf("chain reorganised below the confirmation depth: block %d is no longer canonical; events are redelivered after block %d (raise the depth?)", e.Block, e.Resume)
}

// FollowerConfig configures a Follower. Zero fields get defaults.
type FollowerConfig struct {
	Backend Backend
	Market  common.Address
	// Depth is the confirmation depth: a block's events are delivered once
	// Depth blocks sit on top of it.
	Depth uint64
	// Start is the first block to scan when no cursor is saved (the
	// Marketplace's deployment block).
	Start uint64
	Store CursorStore
	// MaxRange bounds the blocks of one log query (default 2000).
	MaxRange     uint64
	PollInterval time.Duration // for Run (default 1s)
	Clock        clock.Clock
	Logger       *slog.Logger
}

// keptMarkers is how many recent block hashes the cursor remembers.
const keptMarkers = 128

// Follower delivers Marketplace events from confirmed blocks, in chain order,
// resuming from its saved cursor after a restart. Delivery is at least once:
// exactly once unless the process stops between handling a batch and saving
// the cursor.
type Follower struct {
	cfg    FollowerConfig
	market *contracts.Marketplace
	cursor Cursor
}

// NewFollower loads the saved cursor (or starts before cfg.Start).
func NewFollower(cfg FollowerConfig) (*Follower, error) {
	if cfg.Backend == nil || cfg.Store == nil {
		return nil, errors.New("chain follower: Backend and Store are required")
	}
	if cfg.MaxRange == 0 {
		cfg.MaxRange = 2000
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	f := &Follower{cfg: cfg, market: contracts.NewMarketplace()}
	c, ok, err := cfg.Store.LoadCursor()
	if err != nil {
		return nil, err
	}
	if ok {
		f.cursor = c
	} else if cfg.Start > 0 {
		f.cursor = Cursor{Block: cfg.Start - 1}
	}
	return f, nil
}

// Cursor is the follower's position.
func (f *Follower) Cursor() Cursor { return f.cursor }

// Poll delivers the events of blocks that became confirmed since the last
// call, saving the cursor after each range. It returns the number of events
// delivered, or a *ReorgError after rewinding.
func (f *Follower) Poll(ctx context.Context, handle func(Event) error) (int, error) {
	if err := f.checkCanonical(ctx); err != nil {
		return 0, err
	}
	head, err := f.cfg.Backend.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("chain follower: read head: %w", err)
	}
	if head < f.cfg.Depth {
		return 0, nil
	}
	confirmed := head - f.cfg.Depth
	delivered := 0
	for f.cursor.Block < confirmed {
		from := f.cursor.Block + 1
		to := min(confirmed, from+f.cfg.MaxRange-1)
		n, err := f.deliverRange(ctx, from, to, handle)
		delivered += n
		if err != nil {
			return delivered, err
		}
	}
	return delivered, nil
}

func (f *Follower) deliverRange(ctx context.Context, from, to uint64, handle func(Event) error) (int, error) {
	logs, err := f.cfg.Backend.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from),
		ToBlock:   new(big.Int).SetUint64(to),
		Addresses: []common.Address{f.cfg.Market},
	})
	if err != nil {
		return 0, fmt.Errorf("chain follower: read logs of blocks %d..%d: %w", from, to, err)
	}
	end, err := f.cfg.Backend.HeaderByNumber(ctx, new(big.Int).SetUint64(to))
	if err != nil {
		return 0, fmt.Errorf("chain follower: read block %d: %w", to, err)
	}
	n := 0
	for i := range logs {
		l := &logs[i]
		if l.Removed {
			continue
		}
		if l.BlockNumber == to && l.BlockHash != end.Hash() {
			return n, fmt.Errorf("chain follower: block %d changed while reading it; retry", to)
		}
		ev, ok, err := f.decode(l)
		if err != nil {
			return n, err
		}
		if !ok {
			continue
		}
		if err := handle(ev); err != nil {
			return n, fmt.Errorf("chain follower: handle %s of block %d: %w", ev.Name, ev.Block, err)
		}
		n++
	}
	f.cursor.Block = to
	f.cursor.Recent = append(f.cursor.Recent, BlockMarker{Number: to, Hash: end.Hash()})
	if len(f.cursor.Recent) > keptMarkers {
		f.cursor.Recent = f.cursor.Recent[len(f.cursor.Recent)-keptMarkers:]
	}
	if err := f.cfg.Store.SaveCursor(f.cursor); err != nil {
		return n, err
	}
	return n, nil
}

// checkCanonical compares the remembered block hashes with the chain and
// rewinds past any that left it.
func (f *Follower) checkCanonical(ctx context.Context) error {
	recent := f.cursor.Recent
	for i := len(recent) - 1; i >= 0; i-- {
		h, err := f.cfg.Backend.HeaderByNumber(ctx, new(big.Int).SetUint64(recent[i].Number))
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			return fmt.Errorf("chain follower: read block %d: %w", recent[i].Number, err)
		}
		if err == nil && h.Hash() == recent[i].Hash {
			if i == len(recent)-1 {
				return nil
			}
			return f.rewind(recent[len(recent)-1].Number, recent[i].Number, recent[:i+1])
		}
	}
	if len(recent) == 0 {
		return nil
	}
	// No remembered block is canonical any more: rescan from before the oldest.
	oldest := recent[0].Number
	resume := uint64(0)
	if oldest > f.cfg.MaxRange {
		resume = oldest - f.cfg.MaxRange
	}
	if f.cfg.Start > 0 && resume < f.cfg.Start-1 {
		resume = f.cfg.Start - 1
	}
	return f.rewind(recent[len(recent)-1].Number, resume, nil)
}

func (f *Follower) rewind(lost, resume uint64, keep []BlockMarker) error {
	f.cursor = Cursor{Block: resume, Recent: append([]BlockMarker(nil), keep...)}
	if err := f.cfg.Store.SaveCursor(f.cursor); err != nil {
		return err
	}
	err := &ReorgError{Block: lost, Resume: resume}
	f.cfg.Logger.Warn("chain follower rewound", "err", err)
	return err
}

// Run polls until ctx ends, logging (and retrying) errors other than
// handler failures.
func (f *Follower) Run(ctx context.Context, handle func(Event) error) error {
	for {
		if _, err := f.Poll(ctx, handle); err != nil {
			var re *ReorgError
			if !errors.As(err, &re) {
				f.cfg.Logger.Warn("chain follower", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-f.cfg.Clock.After(f.cfg.PollInterval):
		}
	}
}

// decode turns a log into an Event; ok is false for logs of unknown events.
func (f *Follower) decode(l *types.Log) (Event, bool, error) {
	if len(l.Topics) == 0 {
		return Event{}, false, nil
	}
	parsed := f.market.GetABI()
	abiEv, err := parsed.EventByID(l.Topics[0])
	if err != nil {
		return Event{}, false, nil
	}
	unpack, ok := eventDecoders[abiEv.Name]
	if !ok {
		return Event{}, false, nil
	}
	data, err := unpack(f.market, l)
	if err != nil {
		return Event{}, false, fmt.Errorf("chain follower: decode %s in block %d: %w", abiEv.Name, l.BlockNumber, err)
	}
	return Event{Name: abiEv.Name, Block: l.BlockNumber, BlockHash: l.BlockHash, TxHash: l.TxHash, Index: l.Index, Data: data}, true, nil
}

func decoder[T any](unpack func(*contracts.Marketplace, *types.Log) (*T, error)) func(*contracts.Marketplace, *types.Log) (any, error) {
	return func(m *contracts.Marketplace, l *types.Log) (any, error) { return unpack(m, l) }
}

var eventDecoders = map[string]func(*contracts.Marketplace, *types.Log) (any, error){
	"DatasetRegistered":     decoder((*contracts.Marketplace).UnpackDatasetRegisteredEvent),
	"PriceChanged":          decoder((*contracts.Marketplace).UnpackPriceChangedEvent),
	"MetadataChanged":       decoder((*contracts.Marketplace).UnpackMetadataChangedEvent),
	"PayoutsChanged":        decoder((*contracts.Marketplace).UnpackPayoutsChangedEvent),
	"DepositChanged":        decoder((*contracts.Marketplace).UnpackDepositChangedEvent),
	"DatasetDeactivated":    decoder((*contracts.Marketplace).UnpackDatasetDeactivatedEvent),
	"DepositWithdrawn":      decoder((*contracts.Marketplace).UnpackDepositWithdrawnEvent),
	"Subscribed":            decoder((*contracts.Marketplace).UnpackSubscribedEvent),
	"Unsubscribed":          decoder((*contracts.Marketplace).UnpackUnsubscribedEvent),
	"TrialStarted":          decoder((*contracts.Marketplace).UnpackTrialStartedEvent),
	"Withdrawn":             decoder((*contracts.Marketplace).UnpackWithdrawnEvent),
	"ValidatorSetChanged":   decoder((*contracts.Marketplace).UnpackValidatorSetChangedEvent),
	"ValidatorSetAnnounced": decoder((*contracts.Marketplace).UnpackValidatorSetAnnouncedEvent),
	"ValidatorSetCancelled": decoder((*contracts.Marketplace).UnpackValidatorSetCancelledEvent),
	"Slashed":               decoder((*contracts.Marketplace).UnpackSlashedEvent),
	"RefundClaimed":         decoder((*contracts.Marketplace).UnpackRefundClaimedEvent),
	"SlashAmountChanged":    decoder((*contracts.Marketplace).UnpackSlashAmountChangedEvent),
	"MinDepositChanged":     decoder((*contracts.Marketplace).UnpackMinDepositChangedEvent),
	"OwnershipTransferred":  decoder((*contracts.Marketplace).UnpackOwnershipTransferredEvent),
}
