package main

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestParsePayouts(t *testing.T) {
	prov := common.HexToAddress("0x1")
	got, err := parsePayouts(nil, prov)
	if err != nil || len(got) != 1 || got[0].Account != prov || got[0].Bps != 10_000 {
		t.Fatalf("default payouts %+v, %v", got, err)
	}
	a, b := common.HexToAddress("0xa").Hex(), common.HexToAddress("0xb").Hex()
	got, err = parsePayouts([]string{a + ":7000", b + ":3000"}, prov)
	if err != nil || len(got) != 2 || got[1].Bps != 3000 {
		t.Fatalf("two payouts %+v, %v", got, err)
	}
	for _, c := range []struct {
		specs []string
		want  string
	}{
		{[]string{a + ":7000"}, "add up to 7000"},
		{[]string{"nothex:10000"}, "want <address>:<basis points>"},
		{[]string{a}, "want <address>:<basis points>"},
		{[]string{a + ":0"}, "basis points must be 1..10000"},
		{[]string{a + ":10001"}, "basis points must be 1..10000"},
		{[]string{a + ":-5"}, "basis points must be 1..10000"},
	} {
		if _, err := parsePayouts(c.specs, prov); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: want %q, got %v", c.specs, c.want, err)
		}
	}
}

func TestParseValidators(t *testing.T) {
	a := common.HexToAddress("0xa").Hex()
	key := strings.Repeat("ab", 32)
	accts, keys, err := parseValidators([]string{a + ":0x" + key, a + ":" + key})
	if err != nil || len(accts) != 2 || keys[1][0] != 0xab {
		t.Fatalf("%v %v %v", accts, keys, err)
	}
	for _, bad := range []string{a, a + ":0x1234", "0x12:" + key, a + ":zz" + key[2:]} {
		if _, _, err := parseValidators([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
