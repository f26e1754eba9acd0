package chain

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// validators registers n fresh validator keys with threshold t as the next
// epoch and returns it once it has started: at once for the first set;
// later sets are announced, the delay passes and a stranger activates them.
func (e *env) validators(n int, threshold uint16) (uint64, []*ecdsa.PrivateKey) {
	e.t.Helper()
	keys, accts, nodeKeys := freshValidators(n)
	if _, err := e.c.SetValidators(e.ctx, e.owner, accts, nodeKeys, threshold); err != nil {
		e.t.Fatal(err)
	}
	if _, pending, err := e.c.PendingValidatorSet(e.ctx, nil); err != nil {
		e.t.Fatal(err)
	} else if pending {
		e.activate()
	}
	epoch, err := e.c.Epoch(e.ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return epoch, keys
}

// freshValidators makes n validator keys, their accounts and distinct node
// keys.
func freshValidators(n int) ([]*ecdsa.PrivateKey, []common.Address, [][32]byte) {
	var keys []*ecdsa.PrivateKey
	var accts []common.Address
	var nodeKeys [][32]byte
	for i := 0; i < n; i++ {
		k, _ := crypto.GenerateKey()
		keys = append(keys, k)
		accts = append(accts, Address(k))
		nodeKeys = append(nodeKeys, crypto.Keccak256Hash(Address(k).Bytes()))
	}
	return keys, accts, nodeKeys
}

// activate lets the announced set's delay pass and has a stranger (not the
// owner) activate it.
func (e *env) activate() {
	e.t.Helper()
	set, ok, err := e.c.PendingValidatorSet(e.ctx, nil)
	if err != nil || !ok {
		e.t.Fatalf("no pending validator set to activate: %v", err)
	}
	if now := e.now(); uint64(set.ActivatesAt.Unix()) > now {
		e.advance(time.Duration(uint64(set.ActivatesAt.Unix())-now) * time.Second)
	}
	if _, err := e.c.ActivateValidators(e.ctx, e.subs[3]); err != nil {
		e.t.Fatal(err)
	}
}

func signAll(t *testing.T, digest common.Hash, keys []*ecdsa.PrivateKey) [][]byte {
	t.Helper()
	var sigs [][]byte
	for _, k := range keys {
		s, err := SignSlash(k, digest)
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, s)
	}
	return sigs
}

func TestValidatorRegistry(t *testing.T) {
	e := newEnv(t)
	var a []common.Address
	var k [][32]byte
	for i := 1; i <= 6; i++ {
		a = append(a, common.BigToAddress(big.NewInt(int64(i))))
		k = append(k, [32]byte{byte(i)})
	}
	set := func(n, threshold int) error {
		_, err := e.c.SetValidators(e.ctx, e.owner, a[:n], k[:n], uint16(threshold))
		return err
	}
	_, err := e.c.SetValidators(e.ctx, e.subs[0], a[:4], k[:4], 3)
	wantRevert(t, err, "NotOwner")
	_, err = e.c.SetValidators(e.ctx, e.owner, a[:4], k[:3], 3)
	wantRevert(t, err, "BadValidatorSet")
	// PBFT tolerates f = ⌊(n−1)/3⌋ faults: fewer than 4 validators tolerate none.
	wantRevert(t, set(0, 0), "TooFewValidators")
	wantRevert(t, set(1, 1), "TooFewValidators")
	wantRevert(t, set(3, 2), "TooFewValidators")
	wantRevert(t, set(3, 3), "TooFewValidators")
	// The threshold lies in [⌈(n+f+1)/2⌉, n−f]: n = 4 (f = 1) takes 3 only.
	wantRevert(t, set(4, 0), "BadThreshold")
	wantRevert(t, set(4, 2), "BadThreshold")
	wantRevert(t, set(4, 4), "BadThreshold")
	// n = 5 (f = 1): 2f+1 = 3 signers could meet another 3 in the faulty
	// validator alone; 5 would let one silent validator block every slash.
	err = set(5, 3)
	wantRevert(t, err, "BadThreshold")
	var re *RevertError
	if !errors.As(err, &re) || re.Args["min"] != "4" || re.Args["max"] != "4" || re.Args["validators"] != "5" {
		t.Fatalf("BadThreshold does not carry the allowed range: %v", err)
	}
	wantRevert(t, set(5, 5), "BadThreshold")
	// n = 6 (f = 1): quorum 4, n−f = 5.
	wantRevert(t, set(6, 3), "BadThreshold")
	wantRevert(t, set(6, 6), "BadThreshold")
	_, err = e.c.SetValidators(e.ctx, e.owner, []common.Address{a[0], a[0], a[2], a[3]}, k[:4], 3)
	wantRevert(t, err, "DuplicateValidator")
	_, err = e.c.SetValidators(e.ctx, e.owner, a[:4], [][32]byte{k[0], k[1], k[2], k[0]}, 3)
	wantRevert(t, err, "DuplicateValidator")
	_, err = e.c.SetValidators(e.ctx, e.owner, []common.Address{a[0], {}, a[2], a[3]}, k[:4], 3)
	wantRevert(t, err, "DuplicateValidator")
	if ep, _ := e.c.Epoch(e.ctx, nil); ep != 0 {
		t.Fatalf("epoch %d after refused sets only", ep)
	}

	if err := set(5, 4); err != nil {
		t.Fatal(err)
	}
	block, _ := e.c.BlockNumber(e.ctx)
	// Later sets take effect after the delay (TestValidatorSetTimeLock).
	if err := set(6, 4); err != nil {
		t.Fatal(err)
	}
	e.activate()
	if err := set(6, 5); err != nil {
		t.Fatal(err)
	}
	e.activate()
	if ep, _ := e.c.Epoch(e.ctx, nil); ep != 3 {
		t.Fatalf("epoch %d after three sets, want 3", ep)
	}
	if ep, _ := e.c.Epoch(e.ctx, blockArg(block)); ep != 1 {
		t.Fatalf("epoch %d at block %d, want 1", ep, block)
	}
	vs, err := e.c.ValidatorSet(e.ctx, 1, nil)
	if err != nil || len(vs.Accounts) != 5 || vs.Accounts[1] != a[1] || vs.NodeKeys[1] != k[1] || vs.Threshold != 4 {
		t.Fatalf("epoch 1 set %+v, %v", vs, err)
	}
	for epoch, want := range map[uint64]uint16{2: 4, 3: 5} {
		vs, _ = e.c.ValidatorSet(e.ctx, epoch, nil)
		if len(vs.Accounts) != 6 || vs.Threshold != want {
			t.Fatalf("epoch %d set %+v, want 6 validators and threshold %d", epoch, vs, want)
		}
	}
}

// TestCheckValidatorSetMatchesContract holds the Go mirror of setValidators'
// rules (CheckValidatorSet, which the CLI checks before sending) to the
// contract: for every set size up to one past MAX_VALIDATORS and every
// threshold, both accept or both refuse.
func TestCheckValidatorSetMatchesContract(t *testing.T) {
	e := newEnv(t)
	var a []common.Address
	var k [][32]byte
	for i := 1; i <= MaxValidators+1; i++ {
		a = append(a, common.BigToAddress(big.NewInt(int64(i))))
		k = append(k, [32]byte{byte(i), 1})
	}
	to := e.c.Market()
	for n := 0; n <= MaxValidators+1; n++ {
		for threshold := 0; threshold <= n+1; threshold++ {
			data := e.c.market.PackSetValidators(a[:n], k[:n], uint16(threshold))
			_, err := e.c.backend.EstimateGas(e.ctx, ethereum.CallMsg{From: Address(e.owner), To: &to, Data: data})
			goErr := CheckValidatorSet(n, threshold)
			if (err == nil) != (goErr == nil) {
				t.Fatalf("n=%d threshold=%d: contract %v, CheckValidatorSet %v", n, threshold, explain("set validators", err), goErr)
			}
		}
	}
	if lo, hi := SlashThresholds(6); lo != 4 || hi != 5 {
		t.Fatalf("SlashThresholds(6) = [%d, %d], want [4, 5]", lo, hi)
	}
}

func TestSlashDigestMatchesContract(t *testing.T) {
	e := newEnv(t)
	id, offence := common.HexToHash("0xabc"), OffencePersistenceOffline
	onChain, err := bindCallSlashDigest(e, id, offence, 7)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.c.SlashDigest(id, offence, 7); got != onChain {
		t.Fatalf("Go digest %s, contract %s", got, onChain)
	}
	if SlashDigest(big.NewInt(1), e.c.Market(), id, offence, 7) == onChain {
		t.Fatal("the digest does not bind the chain ID")
	}
	if SlashDigest(e.c.ChainID(), common.HexToAddress("0x1"), id, offence, 7) == onChain {
		t.Fatal("the digest does not bind the contract")
	}
}

func TestSlashAndRefunds(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	a, b, late := e.subs[0], e.subs[1], e.subs[2]
	e.subscribe(a, id, 1)
	e.subscribe(b, id, 2)
	epoch, vals := e.validators(4, 3)
	digest := e.c.SlashDigest(id, OffencePersistenceOffline, epoch)
	sigs := signAll(t, digest, vals)

	_, err := e.c.Slash(e.ctx, e.subs[3], id, OffencePersistenceOffline, epoch, sigs[:2])
	wantRevert(t, err, "NotEnoughSignatures")
	stranger, _ := crypto.GenerateKey()
	_, err = e.c.Slash(e.ctx, e.subs[3], id, OffencePersistenceOffline, epoch, append(sigs[:2:2], signAll(t, digest, []*ecdsa.PrivateKey{stranger})...))
	wantRevert(t, err, "NotValidator")
	wrongChain := SlashDigest(big.NewInt(1), e.c.Market(), id, OffencePersistenceOffline, epoch)
	_, err = e.c.Slash(e.ctx, e.subs[3], id, OffencePersistenceOffline, epoch, signAll(t, wrongChain, vals))
	wantRevert(t, err, "NotValidator") // they recover to unrelated addresses
	_, err = e.c.Slash(e.ctx, e.subs[3], id, OffencePersistenceOffline, 0, sigs)
	wantRevert(t, err, "UnknownEpoch")
	_, err = e.c.Slash(e.ctx, e.subs[3], id, OffencePersistenceOffline, epoch+1, sigs)
	wantRevert(t, err, "UnknownEpoch")
	_, err = e.c.Slash(e.ctx, e.subs[3], common.HexToHash("0x42"), OffencePersistenceOffline, epoch, sigs)
	wantRevert(t, err, "UnknownDataset")

	// Raw submissions, bypassing the client's sorting and checks.
	sorted, _ := SortSlashSignatures(digest, sigs)
	raw := func(s [][]byte) error {
		_, err := e.c.transact(e.ctx, e.subs[3], e.c.marketC, "slash", e.c.market.PackSlash(id, OffencePersistenceOffline, epoch, s))
		return err
	}
	wantRevert(t, raw([][]byte{sorted[1], sorted[0], sorted[2]}), "SignersNotAscending")
	wantRevert(t, raw([][]byte{sorted[0], sorted[0], sorted[1]}), "SignersNotAscending")
	wantRevert(t, raw([][]byte{sorted[0], sorted[1], sorted[2][:64]}), "BadSignature")
	highS := append([]byte(nil), sorted[2]...)
	s := new(big.Int).SetBytes(highS[32:64])
	s.Sub(crypto.S256().Params().N, s)
	s.FillBytes(highS[32:64])
	highS[64] ^= 1 // (r, n-s) with the flipped recovery id is the same signer's malleated twin
	wantRevert(t, raw([][]byte{sorted[0], sorted[1], highS}), "BadSignature")

	deposit := ENG(200)
	receipt, err := e.c.Slash(e.ctx, e.subs[3], id, OffencePersistenceOffline, epoch, sigs[1:])
	if err != nil {
		t.Fatal(err)
	}
	// Who authorised it can be read back from the transaction alone.
	signers, err := e.c.SlashSigners(e.ctx, receipt.TxHash)
	if err != nil {
		t.Fatal(err)
	}
	validators := map[common.Address]bool{}
	for _, v := range vals {
		validators[Address(v)] = true
	}
	seen := map[common.Address]bool{}
	for _, s := range signers {
		if !validators[s] || seen[s] {
			t.Errorf("slash signer %s: not a validator, or twice", s.Hex())
		}
		seen[s] = true
	}
	if len(signers) != 3 {
		t.Errorf("the slash carried %d signatures, SlashSigners read %d", 3, len(signers))
	}
	approval, err := e.c.Approve(e.ctx, e.subs[3], ENG(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.SlashSigners(e.ctx, approval.TxHash); err == nil || !strings.Contains(err.Error(), "not a direct call") {
		t.Errorf("SlashSigners of a token approval: %v", err)
	}
	d, _ := e.c.Dataset(e.ctx, id, nil)
	slashed := new(big.Int).Sub(deposit, d.Deposit)
	if slashed.Cmp(ENG(50)) != 0 || d.SlashCount.Uint64() != 1 {
		t.Fatalf("slashed %s (count %s), want 50 ENG once", FormatENG(slashed), d.SlashCount)
	}
	if r := e.rank(id); r.SlashCount != 1 {
		t.Fatalf("rank shows %d slashes", r.SlashCount)
	}
	// Replays and a second offence in the same epoch are rejected.
	_, err = e.c.Slash(e.ctx, e.subs[3], id, OffencePersistenceOffline, epoch, sigs)
	wantRevert(t, err, "AlreadySlashed")
	other := common.HexToHash("0x0ff")
	_, err = e.c.Slash(e.ctx, e.subs[3], id, other, epoch, signAll(t, e.c.SlashDigest(id, other, epoch), vals))
	wantRevert(t, err, "AlreadySlashed")

	// The two subscribers of this period share the slashed amount.
	e.subscribe(late, id, 1)
	for _, k := range []*ecdsa.PrivateKey{a, b} {
		before := e.balance(Address(k))
		if _, err := e.c.ClaimRefund(e.ctx, k, id, epoch); err != nil {
			t.Fatal(err)
		}
		if got := new(big.Int).Sub(e.balance(Address(k)), before); got.Cmp(ENG(25)) != 0 {
			t.Fatalf("refund %s, want 25 ENG", FormatENG(got))
		}
		_, err := e.c.ClaimRefund(e.ctx, k, id, epoch)
		wantRevert(t, err, "NoRefund")
	}
	_, err = e.c.ClaimRefund(e.ctx, late, id, epoch)
	wantRevert(t, err, "NoRefund") // subscribed after the slash
	_, err = e.c.ClaimRefund(e.ctx, a, id, epoch+5)
	wantRevert(t, err, "NoRefund")
}

func TestSlashWithoutSubscribersPaysOwner(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	epoch, vals := e.validators(4, 3)
	if _, err := e.c.Slash(e.ctx, e.subs[0], id, OffencePersistenceOffline, epoch, signAll(t, e.c.SlashDigest(id, OffencePersistenceOffline, epoch), vals[:3])); err != nil {
		t.Fatal(err)
	}
	if b, _ := e.c.PayoutBalance(e.ctx, Address(e.owner)); b.Cmp(ENG(50)) != 0 {
		t.Fatalf("owner balance %s, want the unshared 50 ENG", FormatENG(b))
	}
}

func TestSortSlashSignaturesRejectsGarbage(t *testing.T) {
	if _, err := SortSlashSignatures(common.Hash{1}, [][]byte{make([]byte, 65)}); err == nil {
		t.Fatal("an all-zero signature was accepted")
	}
}

func bindCallSlashDigest(e *env, id, offence common.Hash, epoch uint64) (common.Hash, error) {
	out, err := e.c.marketC.CallRaw(callOpts(e.ctx, nil), e.c.market.PackSlashDigest(id, offence, epoch))
	if err != nil {
		return common.Hash{}, err
	}
	h, err := e.c.market.UnpackSlashDigest(out)
	return h, err
}
