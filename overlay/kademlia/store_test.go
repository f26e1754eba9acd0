package kademlia

import (
	"errors"
	"testing"
)

func TestStoreKeepsNewestValidVersion(t *testing.T) {
	s, err := NewStore(StoreConfig{Validator: versionValidator{}, TTL: 100, Republish: 10})
	if err != nil {
		t.Fatal(err)
	}
	key := ID{1}
	if _, err := s.Put(key, []byte("garbage"), 0); !errors.Is(err, ErrRejected) {
		t.Fatalf("invalid record: %v", err)
	}
	if s.Len() != 0 {
		t.Fatal("an invalid record was stored")
	}
	mustPut := func(v string, now Time, wantChanged bool) {
		t.Helper()
		changed, err := s.Put(key, []byte(v), now)
		if err != nil || changed != wantChanged {
			t.Fatalf("Put(%s): changed %v err %v, want changed %v", v, changed, err, wantChanged)
		}
	}
	mustPut("v2:b", 0, true)
	mustPut("v1:a", 1, false) // older: kept v2
	if v, _ := s.Get(key, 2); string(v) != "v2:b" {
		t.Fatalf("got %s after an older version arrived", v)
	}
	mustPut("v3:c", 5, true)
	mustPut("v3:c", 50, false) // same version: only extends its life
	if _, ok := s.Get(key, 149); !ok {
		t.Fatal("re-store did not extend the TTL")
	}
	if got := s.DueForRepublish(9); len(got) != 0 {
		t.Fatalf("republish too early: %v", got)
	}
	if got := s.DueForRepublish(10); len(got) != 1 || string(got[0].Value) != "v3:c" {
		t.Fatalf("republish due: %v", got)
	}
	if got := s.DueForRepublish(11); len(got) != 0 {
		t.Fatal("republish not rescheduled")
	}
	if _, ok := s.Get(key, 150); ok {
		t.Fatal("expired record served")
	}
	if n := s.Expire(150); n != 1 || s.Len() != 0 {
		t.Fatalf("expire dropped %d, %d left", n, s.Len())
	}
}

func TestStoreLimits(t *testing.T) {
	s, _ := NewStore(StoreConfig{Validator: versionValidator{}, MaxRecords: 1, MaxValueSize: 8})
	if _, err := s.Put(ID{1}, []byte("v1:too-long"), 0); !errors.Is(err, ErrRejected) {
		t.Fatalf("oversized record: %v", err)
	}
	if _, err := s.Put(ID{1}, []byte("v1:ok"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ID{2}, []byte("v1:ok"), 0); !errors.Is(err, ErrRejected) {
		t.Fatalf("store over its record limit: %v", err)
	}
	if _, err := NewStore(StoreConfig{}); err == nil {
		t.Fatal("store without a validator")
	}
}

func TestSelectNewest(t *testing.T) {
	got, err := SelectNewest(versionValidator{}, ID{}, [][]byte{[]byte("v2:x"), []byte("forged v9"), []byte("v4:y"), []byte("v3:z")})
	if err != nil || string(got) != "v4:y" {
		t.Fatalf("got %s, %v; want v4:y", got, err)
	}
	if _, err := SelectNewest(versionValidator{}, ID{}, [][]byte{[]byte("bad")}); !errors.Is(err, ErrRejected) {
		t.Fatalf("no valid value: %v", err)
	}
}
