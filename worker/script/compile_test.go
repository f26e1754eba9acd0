package script

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestCompileFindsMistakesWithoutRunning(t *testing.T) {
	example, err := os.ReadFile("../../examples/crypto-daily/curate.star")
	if err != nil {
		t.Fatal(err)
	}
	if err := Compile("curate.star", example); err != nil {
		t.Fatalf("the example script: %v", err)
	}
	for _, tc := range []struct{ src, want string }{
		{"def curate(ctx)\n    return []\n", "curate.star:2:1: got newline, want ':'"},
		{"def curate(ctx):\n    return [undefined_name]\n", "curate.star:2:13: undefined: undefined_name"},
		{"load('x.star', 'y')\ndef curate(ctx):\n    return []\n", "load() is not available"},
		{"def transform(ctx):\n    return []\n", "must define a function curate(ctx)"},
		{"def curate():\n    return []\n", "curate must take one parameter"},
		// Runs forever, yet compiles: nothing is executed.
		{"def curate(ctx):\n    while True:\n        pass\n", ""},
		{"def curate(ctx):\n    return [{'day': files.read('a.csv'), 't': timestamp.parse('2025-01-01'), 'j': json.encode(csv.parse('a'))}]\n", ""},
	} {
		err := Compile("curate.star", []byte(tc.src))
		if tc.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.src, err)
			}
			continue
		}
		var se *Error
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want a script error containing %q", tc.src, err, tc.want)
		}
	}
}
