package chain

import (
	"crypto/ecdsa"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// eventNames lists the Marketplace events a receipt carries, in order.
func (e *env) eventNames(r *types.Receipt) []string {
	e.t.Helper()
	parsed := e.c.market.GetABI()
	var names []string
	for _, l := range r.Logs {
		if ev, err := parsed.EventByID(l.Topics[0]); err == nil {
			names = append(names, ev.Name)
		}
	}
	return names
}

func (e *env) epoch() uint64 {
	e.t.Helper()
	ep, err := e.c.Epoch(e.ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return ep
}

func (e *env) pending() (PendingValidatorSet, bool) {
	e.t.Helper()
	set, ok, err := e.c.PendingValidatorSet(e.ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return set, ok
}

func (e *env) isValidator(epoch uint64, a common.Address) bool {
	e.t.Helper()
	return call(e.t, e, e.c.marketC, e.c.market.PackIsValidator(epoch, a), e.c.market.UnpackIsValidator)
}

// TestValidatorSetTimeLock: the first set starts epoch 1 at once; every
// later set is only announced and takes effect after the delay fixed at
// deployment, when anyone activates it. The owner may replace or withdraw an
// announcement in the meantime.
func TestValidatorSetTimeLock(t *testing.T) {
	e := newEnv(t)
	delay, err := e.c.ValidatorSetDelay(e.ctx)
	if err != nil || delay != DefaultValidatorSetDelay {
		t.Fatalf("validatorSetDelay %s, %v; want the default %s", delay, err, DefaultValidatorSetDelay)
	}
	if got := call(t, e, e.c.marketC, e.c.market.PackSLASHGRACEPERIOD(), e.c.market.UnpackSLASHGRACEPERIOD); time.Duration(got)*time.Second != SlashGracePeriod {
		t.Fatalf("SLASH_GRACE_PERIOD %ds, Go SlashGracePeriod %s", got, SlashGracePeriod)
	}
	_, err = e.c.ActivateValidators(e.ctx, e.subs[0])
	wantRevert(t, err, "NoPendingValidatorSet")

	// Bootstrap: the first set is effective at once.
	_, aAccts, aKeys := freshValidators(4)
	r, err := e.c.SetValidators(e.ctx, e.owner, aAccts, aKeys, 3)
	if err != nil {
		t.Fatal(err)
	}
	if names := e.eventNames(r); !slices.Equal(names, []string{"ValidatorSetChanged"}) {
		t.Fatalf("first set emitted %v", names)
	}
	if e.epoch() != 1 {
		t.Fatal("the first set did not start epoch 1")
	}
	if _, ok := e.pending(); ok {
		t.Fatal("the first set is left pending")
	}

	// A later set is only announced: epoch 1 and its set stay in force.
	_, bAccts, bKeys := freshValidators(5)
	r, err = e.c.SetValidators(e.ctx, e.owner, bAccts, bKeys, 4)
	if err != nil {
		t.Fatal(err)
	}
	announcedAt := e.now()
	if names := e.eventNames(r); !slices.Equal(names, []string{"ValidatorSetAnnounced"}) {
		t.Fatalf("announcement emitted %v", names)
	}
	ev, err := e.c.market.UnpackValidatorSetAnnouncedEvent(r.Logs[0])
	if err != nil || ev.NextEpoch != 2 || ev.ActivatesAt != announcedAt+uint64(delay/time.Second) || ev.Threshold != 4 || !slices.Equal(ev.Accounts, bAccts) {
		t.Fatalf("ValidatorSetAnnounced %+v, %v", ev, err)
	}
	if e.epoch() != 1 {
		t.Fatalf("epoch %d right after an announcement, want 1", e.epoch())
	}
	p, ok := e.pending()
	if !ok || p.Epoch != 2 || !slices.Equal(p.Accounts, bAccts) || !slices.Equal(p.NodeKeys, bKeys) || p.Threshold != 4 ||
		p.ActivatesAt.Unix() != int64(announcedAt)+int64(delay/time.Second) {
		t.Fatalf("pending set %+v (%v), want B activating at %d + %s", p, ok, announcedAt, delay)
	}
	if vs, _ := e.c.ValidatorSet(e.ctx, 2, nil); len(vs.Accounts) != 0 || vs.Threshold != 0 {
		t.Fatalf("the announced set shows as epoch 2: %+v", vs)
	}
	if e.isValidator(2, bAccts[0]) || !e.isValidator(1, aAccts[0]) {
		t.Fatal("isValidator counts the announced set, or no longer the current one")
	}
	id := e.register("weather")
	_, err = e.c.Slash(e.ctx, e.subs[0], id, OffencePersistenceOffline, 2, nil)
	wantRevert(t, err, "UnknownEpoch") // the announced set cannot slash

	// Nobody activates it early, not even the owner.
	e.advance(delay - time.Minute)
	_, err = e.c.ActivateValidators(e.ctx, e.owner)
	wantRevert(t, err, "ValidatorSetPending")
	_, err = e.c.ActivateValidators(e.ctx, e.subs[0])
	wantRevert(t, err, "ValidatorSetPending")
	if e.epoch() != 1 {
		t.Fatal("epoch moved before the delay")
	}

	// Only the owner announces or withdraws; a replacement restarts the delay.
	_, err = e.c.SetValidators(e.ctx, e.subs[0], aAccts, aKeys, 3)
	wantRevert(t, err, "NotOwner")
	_, err = e.c.CancelValidatorSet(e.ctx, e.subs[0])
	wantRevert(t, err, "NotOwner")
	// C keeps four of B's validators: the replaced announcement is forgotten
	// entirely, so they are no duplicates.
	_, cAccts, cKeys := freshValidators(1)
	cAccts, cKeys = append(cAccts, bAccts[:4]...), append(cKeys, bKeys[:4]...)
	r, err = e.c.SetValidators(e.ctx, e.owner, cAccts, cKeys, 4)
	if err != nil {
		t.Fatal(err)
	}
	replacedAt := e.now()
	if names := e.eventNames(r); !slices.Equal(names, []string{"ValidatorSetCancelled", "ValidatorSetAnnounced"}) {
		t.Fatalf("replacement emitted %v", names)
	}
	if p, ok = e.pending(); !ok || !slices.Equal(p.Accounts, cAccts) || p.ActivatesAt.Unix() != int64(replacedAt)+int64(delay/time.Second) {
		t.Fatalf("pending after the replacement %+v, want C activating at %d + %s", p, replacedAt, delay)
	}
	e.advance(2 * time.Minute) // B's delay is over, C's is not
	_, err = e.c.ActivateValidators(e.ctx, e.subs[0])
	wantRevert(t, err, "ValidatorSetPending")

	// After the delay anyone activates it.
	e.advance(delay)
	r, err = e.c.ActivateValidators(e.ctx, e.subs[0])
	if err != nil {
		t.Fatal(err)
	}
	changed, err := e.c.market.UnpackValidatorSetChangedEvent(r.Logs[0])
	if err != nil || changed.Epoch != 2 || changed.Threshold != 4 || !slices.Equal(changed.Accounts, cAccts) {
		t.Fatalf("ValidatorSetChanged %+v, %v", changed, err)
	}
	if e.epoch() != 2 {
		t.Fatalf("epoch %d after activation, want 2", e.epoch())
	}
	if vs, _ := e.c.ValidatorSet(e.ctx, 2, nil); !slices.Equal(vs.Accounts, cAccts) || !slices.Equal(vs.NodeKeys, cKeys) {
		t.Fatalf("epoch 2 set %+v, want C", vs)
	}
	if !e.isValidator(2, cAccts[0]) || e.isValidator(2, bAccts[4]) {
		t.Fatal("epoch 2 membership is not C's")
	}
	if at, ok, err := e.c.EpochEndedAt(e.ctx, 1); err != nil || !ok || at.Unix() != int64(e.now()) {
		t.Fatalf("epoch 1 ended at %v (%v, %v), want the activation block's time %d", at, ok, err, e.now())
	}
	if _, ok, _ := e.c.EpochEndedAt(e.ctx, 2); ok {
		t.Fatal("the current epoch has an end")
	}
	if _, ok := e.pending(); ok {
		t.Fatal("still pending after activation")
	}
	_, err = e.c.ActivateValidators(e.ctx, e.subs[0])
	wantRevert(t, err, "NoPendingValidatorSet")

	// A withdrawn announcement never takes effect.
	if _, err := e.c.SetValidators(e.ctx, e.owner, aAccts, aKeys, 3); err != nil {
		t.Fatal(err)
	}
	r, err = e.c.CancelValidatorSet(e.ctx, e.owner)
	if err != nil {
		t.Fatal(err)
	}
	if names := e.eventNames(r); !slices.Equal(names, []string{"ValidatorSetCancelled"}) {
		t.Fatalf("cancellation emitted %v", names)
	}
	if _, ok := e.pending(); ok {
		t.Fatal("pending after cancellation")
	}
	_, err = e.c.CancelValidatorSet(e.ctx, e.owner)
	wantRevert(t, err, "NoPendingValidatorSet")
	e.advance(delay + time.Minute)
	_, err = e.c.ActivateValidators(e.ctx, e.subs[0])
	wantRevert(t, err, "NoPendingValidatorSet")
	if e.epoch() != 2 || e.isValidator(3, aAccts[0]) {
		t.Fatal("a withdrawn set took effect")
	}
}

// TestSlashBoundToEpoch: an epoch's validators cannot slash a dataset
// registered after their epoch, and once a later epoch has started their
// slashes count only within SlashGracePeriod of their epoch's end.
func TestSlashBoundToEpoch(t *testing.T) {
	e := newEnv(t)
	before := e.register("before") // epoch 0: no validators yet
	_, a := e.validators(4, 3)
	old := e.register("old") // epoch 1
	_, b := e.validators(4, 3)
	if e.epoch() != 2 {
		t.Fatalf("epoch %d, want 2", e.epoch())
	}
	newer := e.register("newer") // epoch 2
	for name, want := range map[common.Hash]uint64{before: 0, old: 1, newer: 2} {
		if d, err := e.c.Dataset(e.ctx, name, nil); err != nil || d.RegisteredEpoch != want {
			t.Fatalf("dataset registered in epoch %d, view says %d (%v)", want, d.RegisteredEpoch, err)
		}
	}
	slash := func(id common.Hash, epoch uint64, keys []*ecdsa.PrivateKey) error {
		_, err := e.c.Slash(e.ctx, e.subs[0], id, OffencePersistenceOffline, epoch, signAll(t, e.c.SlashDigest(id, OffencePersistenceOffline, epoch), keys[:3]))
		return err
	}

	// Epoch 1's validators did not watch a dataset of epoch 2.
	wantRevert(t, slash(newer, 1, a), "DatasetNewerThanEpoch")
	if err := slash(newer, 2, b); err != nil {
		t.Fatal(err)
	}
	// Within the grace period epoch 1 still answers for its own datasets.
	if err := slash(old, 1, a); err != nil {
		t.Fatalf("epoch 1 slash within the grace period: %v", err)
	}
	end, _, err := e.c.EpochEndedAt(e.ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	// After it, the keys of the replaced set slash nothing more.
	e.advance(time.Duration(end.Unix()+int64(SlashGracePeriod/time.Second)-int64(e.now())+1) * time.Second)
	err = slash(before, 1, a)
	wantRevert(t, err, "EpochExpired")
	var re *RevertError
	if !errors.As(err, &re) || re.Args["slashableUntil"] != end.Add(SlashGracePeriod).UTC().Format(time.RFC3339) {
		t.Fatalf("EpochExpired does not say until when: %v", err)
	}
	// The current epoch does not expire.
	if err := slash(before, 2, b); err != nil {
		t.Fatal(err)
	}
}
