package chainview

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/errgroup"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/query/access"
)

// View answers the ledger's and the persistence role's questions from
// the chain client, reading at confirmed blocks only, so every honest node
// asking about the same block gets the same answer.
type View struct {
	client        *chain.Client
	chainID       uint64
	confirmations uint64
	clock         clock.Clock

	mu struct {
		sync.Mutex
		// confirmed is the last confirmed block read from the chain, at
		// confirmedAt; access checks that grant access reuse it for
		// AccessHeadTTL instead of asking the chain for its head per query.
		confirmed   uint64
		confirmedAt time.Time
		// epochBlock and epoch: the current epoch read at that block, so
		// reads at one block ask the chain once.
		epochBlock, epoch uint64
		// access caches hasAccess per (block, dataset, user); it is cleared
		// whenever the confirmed block moves, so it never serves stale facts.
		accessBlock uint64
		access      map[accessKey]access.Level
		// sets caches validator sets by epoch: the registry never changes
		// an epoch once defined, so a set read once holds forever.
		sets map[uint64]epochSet
	}
}

// epochSet is an epoch's validator set as the ledger sees it, with the
// number of signatures the Marketplace's slash needs in that epoch.
type epochSet struct {
	set       *ledger.ValidatorSet
	threshold int
	// definedAt is the block at which the set was read: the epoch is
	// defined at every later block, so a read there needs no chain call.
	definedAt uint64
}

type accessKey struct {
	dataset common.Hash
	user    common.Address
}

// New wraps a chain client; confirmations is the depth at which a
// block counts as final.
func New(c *chain.Client, confirmations uint64) *View {
	v := &View{client: c, chainID: c.ChainID().Uint64(), confirmations: confirmations, clock: clock.System{}}
	v.mu.access = make(map[accessKey]access.Level)
	v.mu.sets = make(map[uint64]epochSet)
	return v
}

// Confirmations is the depth at which a block counts as final.
func (v *View) Confirmations() uint64 { return v.confirmations }

var (
	_ ledger.ChainView     = (*View)(nil)
	_ access.AccessChecker = (*View)(nil)
)

// ConfirmedBlock implements ledger.ChainView.
func (v *View) ConfirmedBlock(ctx context.Context) (uint64, error) {
	head, err := v.client.BlockNumber(ctx)
	if err != nil {
		return 0, err
	}
	confirmed := uint64(0)
	if head >= v.confirmations {
		confirmed = head - v.confirmations
	}
	v.mu.Lock()
	v.mu.confirmed, v.mu.confirmedAt = confirmed, v.clock.Now()
	v.mu.Unlock()
	return confirmed, nil
}

// AccessHeadTTL is how long a confirmed block read from the chain serves the
// access checks that grant access. A refusal is always checked again at a
// fresh head, so a subscription paid a moment ago is seen at once; a
// subscription that lapses may be honoured this much longer.
const AccessHeadTTL = time.Second

// epochAt is the current epoch at block, asking the chain once per block.
func (v *View) epochAt(ctx context.Context, block uint64) (uint64, error) {
	v.mu.Lock()
	if v.mu.epochBlock == block && v.mu.epoch != 0 {
		epoch := v.mu.epoch
		v.mu.Unlock()
		return epoch, nil
	}
	v.mu.Unlock()
	epoch, err := v.client.Epoch(ctx, new(big.Int).SetUint64(block))
	if err != nil {
		return 0, err
	}
	v.mu.Lock()
	v.mu.epochBlock, v.mu.epoch = block, epoch
	v.mu.Unlock()
	return epoch, nil
}

// Dataset implements ledger.ChainView.
func (v *View) Dataset(ctx context.Context, block uint64, id common.Hash) (ledger.DatasetFacts, error) {
	f, err := v.client.DatasetAt(ctx, id, block)
	if err != nil {
		return ledger.DatasetFacts{}, err
	}
	return ledger.DatasetFacts{ID: id, Exists: f.Exists, Owner: f.Owner, MetadataHash: f.MetadataHash, Active: f.Active}, nil
}

// ValidatorSet implements ledger.ChainView.
func (v *View) ValidatorSet(ctx context.Context, block uint64, epoch uint64) (*ledger.ValidatorSet, error) {
	es, err := v.epochSet(ctx, block, epoch)
	return es.set, err
}

// epochSet reads epoch's validator set and slash threshold as of block; the
// set is nil when the chain does not define epoch at block.
func (v *View) epochSet(ctx context.Context, block uint64, epoch uint64) (epochSet, error) {
	if es, ok := v.cachedSet(epoch); ok && es.definedAt <= block {
		return es, nil
	}
	current, err := v.epochAt(ctx, block)
	if err != nil {
		return epochSet{}, err
	}
	if epoch == 0 || epoch > current {
		return epochSet{}, nil
	}
	return v.readSet(ctx, block, epoch)
}

func (v *View) cachedSet(epoch uint64) (epochSet, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	es, ok := v.mu.sets[epoch]
	return es, ok
}

// readSet reads the set of an epoch the chain defines at block.
func (v *View) readSet(ctx context.Context, block uint64, epoch uint64) (epochSet, error) {
	if es, ok := v.cachedSet(epoch); ok {
		return es, nil
	}
	set, err := v.client.ValidatorSet(ctx, epoch, new(big.Int).SetUint64(block))
	if err != nil {
		return epochSet{}, err
	}
	vs, err := ledgerValidatorSet(v.chainID, set)
	if err != nil {
		return epochSet{}, err
	}
	es := epochSet{set: vs, threshold: int(set.Threshold), definedAt: block}
	v.mu.Lock()
	if cached, ok := v.mu.sets[epoch]; !ok || block < cached.definedAt {
		v.mu.sets[epoch] = es
	}
	v.mu.Unlock()
	return es, nil
}

// ledgerValidatorSet converts the on-chain registry's view of an epoch into
// the ledger's validator set (members sorted by node ID).
func ledgerValidatorSet(chainID uint64, set chain.ValidatorSet) (*ledger.ValidatorSet, error) {
	vs := &ledger.ValidatorSet{ChainID: chainID, Epoch: set.Epoch}
	for i, nk := range set.NodeKeys {
		pub := ed25519.PublicKey(bytes.Clone(nk[:]))
		m := ledger.Validator{ID: identity.IDFromPublicKey(pub), PublicKey: pub}
		if i < len(set.Accounts) {
			m.Account = set.Accounts[i]
		}
		vs.Members = append(vs.Members, m)
	}
	slices.SortFunc(vs.Members, func(a, b ledger.Validator) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	if err := vs.Check(); err != nil {
		return nil, fmt.Errorf("on-chain validator set of epoch %d: %w", set.Epoch, err)
	}
	return vs, nil
}

// CurrentValidators reads the latest epoch's validator set at the confirmed
// block.
func (v *View) CurrentValidators(ctx context.Context) (*ledger.ValidatorSet, error) {
	vs, _, err := v.CurrentEpoch(ctx)
	return vs, err
}

// CurrentEpoch reads the latest epoch at the confirmed block: its validator
// set and the number of signatures the Marketplace's slash needs in it.
// The head is read every time; the epoch once per block.
func (v *View) CurrentEpoch(ctx context.Context) (*ledger.ValidatorSet, int, error) {
	block, err := v.ConfirmedBlock(ctx)
	if err != nil {
		return nil, 0, err
	}
	epoch, err := v.epochAt(ctx, block)
	if err != nil {
		return nil, 0, err
	}
	var es epochSet
	if epoch != 0 {
		if es, err = v.readSet(ctx, block, epoch); err != nil {
			return nil, 0, err
		}
	}
	if es.set == nil {
		return nil, 0, fmt.Errorf("the Marketplace at %s has no validator set yet: the owner must call setValidators", v.client.Market().Hex())
	}
	return es.set, es.threshold, nil
}

// EpochSet returns epoch's validator set and slash threshold at the
// confirmed block (a nil set: the chain does not define the epoch).
func (v *View) EpochSet(ctx context.Context, epoch uint64) (*ledger.ValidatorSet, int, error) {
	block, err := v.ConfirmedBlock(ctx)
	if err != nil {
		return nil, 0, err
	}
	es, err := v.epochSet(ctx, block, epoch)
	return es.set, es.threshold, err
}

// ValidatorSets serves ledger.ValidatorSets for certified-record checks:
// any epoch the chain defines at the confirmed block. A set read before
// needs no chain call: an epoch once defined at a confirmed block stays so.
func (v *View) ValidatorSets(ctx context.Context) ledger.ValidatorSets {
	return validatorSetsAt{ctx: ctx, view: v}
}

type validatorSetsAt struct {
	ctx  context.Context
	view *View
}

func (s validatorSetsAt) ValidatorSet(epoch uint64) (*ledger.ValidatorSet, error) {
	if es, ok := s.view.cachedSet(epoch); ok {
		return es.set, nil
	}
	block, err := s.view.ConfirmedBlock(s.ctx)
	if err != nil {
		return nil, err
	}
	vs, err := s.view.ValidatorSet(s.ctx, block, epoch)
	if err != nil {
		return nil, err
	}
	if vs == nil {
		return nil, fmt.Errorf("the chain defines no validator epoch %d", epoch)
	}
	return vs, nil
}

// HasAccess implements access.AccessChecker at the confirmed block, cached
// per block.
func (v *View) HasAccess(ctx context.Context, id common.Hash, user common.Address) (access.Level, error) {
	v.mu.Lock()
	recent, fresh := v.mu.confirmed, !v.mu.confirmedAt.IsZero() && v.clock.Now().Sub(v.mu.confirmedAt) < AccessHeadTTL
	v.mu.Unlock()
	if fresh {
		if level, err := v.accessAt(ctx, id, user, recent); err != nil || level != access.LevelNone {
			return level, err
		}
	}
	block, err := v.ConfirmedBlock(ctx)
	if err != nil {
		return access.LevelNone, err
	}
	return v.accessAt(ctx, id, user, block)
}

// accessAt answers at block, from the per-block cache when it can.
func (v *View) accessAt(ctx context.Context, id common.Hash, user common.Address, block uint64) (access.Level, error) {
	key := accessKey{id, user}
	v.mu.Lock()
	if v.mu.accessBlock != block {
		clear(v.mu.access)
		v.mu.accessBlock = block
	}
	level, ok := v.mu.access[key]
	v.mu.Unlock()
	if ok {
		return level, nil
	}
	level, err := v.readAccess(ctx, id, user, block)
	if err != nil {
		return access.LevelNone, err
	}
	v.mu.Lock()
	if v.mu.accessBlock == block {
		v.mu.access[key] = level
	}
	v.mu.Unlock()
	return level, nil
}

func (v *View) readAccess(ctx context.Context, id common.Hash, user common.Address, block uint64) (access.Level, error) {
	// Both facts in one round trip: a subscriber far from the chain's
	// endpoint waits for one, not two.
	var hasAccess, subscribed bool
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		hasAccess, err = v.client.HasAccessAt(gctx, id, user, block)
		return err
	})
	g.Go(func() (err error) {
		subscribed, err = v.client.IsSubscribedAt(gctx, id, user, block)
		return err
	})
	if err := g.Wait(); err != nil || !hasAccess {
		return access.LevelNone, err
	}
	// Access without a paid subscription is a trial (which caps rows).
	if subscribed {
		return access.LevelSubscribed, nil
	}
	return access.LevelTrial, nil
}
