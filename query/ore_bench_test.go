package query_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/procstat"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
)

// BenchmarkRangeByEncryption runs a 1% range on an int64 column (uniform
// in [0, 1,000,000)) stored plaintext, ope and ore, on
// ENIGMA_QUERY_BENCH_ROWS rows; the client's constant encryption and the
// result's decryption are timed. Plaintext and ope are run with their
// index and as a full scan; ore has no index (its cells are randomized), so
// each row's cell is compared with the two left ciphertexts. cpu-ms/op is
// the process's CPU time per query, the figure that survives a loaded
// machine. TestMain removes the store.
//
//	ENIGMA_QUERY_BENCH_ROWS=100000 go test -run '^$' -bench RangeByEncryption -benchtime 20x ./query/

type oreBenchEnv struct {
	dir    string
	store  *query.Store
	tables map[string]*query.Table
	cipher map[string]*colcrypt.Cipher
}

var (
	oreBenchOnce sync.Once
	oreBench     *oreBenchEnv
	oreBenchErr  error
)

const oreBenchSchema = `{"columns": [
  {"name": "id", "type": "int64"},
  {"name": "volume", "type": "int64"%s}],
 "primary_key": ["id"]%s}`

func setupOREBench(b *testing.B) *oreBenchEnv {
	oreBenchOnce.Do(func() {
		e := &oreBenchEnv{tables: map[string]*query.Table{}, cipher: map[string]*colcrypt.Cipher{}}
		if e.dir, oreBenchErr = os.MkdirTemp("", "enigma-ore-bench"); oreBenchErr != nil {
			return
		}
		if e.store, oreBenchErr = query.Open(filepath.Join(e.dir, "pebble"), query.Options{CacheBytes: benchCacheBytes()}); oreBenchErr != nil {
			return
		}
		n := benchRows()
		r := randsrc.New(7)
		plain := make([]dataset.Row, n)
		for i := range plain {
			plain[i] = dataset.Row{dataset.Int64(int64(i)), dataset.Int64(int64(r.IntN(1_000_000)))}
		}
		index := `, "indexes": [{"name": "by_volume", "columns": ["volume"]}]`
		for name, enc := range map[string][2]string{"plain": {"", index}, "ope": {`, "encryption": "ope"`, index}, "ore": {`, "encryption": "ore"`, ""}} {
			s, err := dataset.ParseSchemaJSON(fmt.Appendf(nil, oreBenchSchema, enc[0], enc[1]))
			if err != nil {
				oreBenchErr = err
				return
			}
			t, err := e.store.CreateDataset(dataset.Path{Provider: common.HexToAddress("0xbe"), Name: name}, s)
			if err != nil {
				oreBenchErr = err
				return
			}
			e.tables[name] = t
			rows := plain
			if name != "plain" {
				keys, err := colcrypt.GenerateKeys(rand.Reader)
				if err != nil {
					oreBenchErr = err
					return
				}
				c, err := colcrypt.New(keys, t.ID())
				if err != nil {
					oreBenchErr = err
					return
				}
				e.cipher[name] = c
				rows = make([]dataset.Row, n)
				for i, row := range plain {
					if rows[i], err = c.EncryptRow(&t.Schema, i, row); err != nil {
						oreBenchErr = err
						return
					}
				}
			}
			if oreBenchErr = ingestAll(e.store, t, "setup", rows); oreBenchErr != nil {
				return
			}
		}
		oreBench = e
	})
	if oreBenchErr != nil {
		b.Fatal(oreBenchErr)
	}
	return oreBench
}

func BenchmarkRangeByEncryption(b *testing.B) {
	e := setupOREBench(b)
	ctx := context.Background()
	for _, name := range []string{"plain", "ope", "ore"} {
		for _, scan := range []bool{false, true} {
			if name == "ore" && !scan {
				continue
			}
			label := name + "/index"
			if scan {
				label = name + "/scan"
			}
			b.Run(label, func(b *testing.B) {
				t := e.tables[name]
				if _, err := e.store.Query(ctx, "SELECT COUNT(*) FROM "+name, query.QueryOptions{}); err != nil {
					b.Fatal(err)
				}
				r := randsrc.New(1)
				cpu := procstat.CPU()
				for b.Loop() {
					lo := r.IntN(990_000)
					q := fmt.Sprintf("SELECT id, volume FROM %s WHERE volume >= %d AND volume < %d", name, lo, lo+10_000)
					var err error
					if c := e.cipher[name]; c != nil {
						if q, err = access.EncryptQuery(q, &t.Schema, c); err != nil {
							b.Fatal(err)
						}
					}
					res, err := e.store.Query(ctx, q, query.QueryOptions{NoIndexes: scan})
					if err != nil {
						b.Fatal(err)
					}
					if c := e.cipher[name]; c != nil {
						if err := access.DecryptResult(res, &t.Schema, c); err != nil {
							b.Fatal(err)
						}
					}
					if len(res.Rows) < 8_000*benchRows()/1_000_000 {
						b.Fatalf("%d rows, want about 1%%", len(res.Rows))
					}
				}
				b.ReportMetric(float64((procstat.CPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
	}
}
