package testbed

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestAgainstNWritesCSVAndPlot(t *testing.T) {
	dir := t.TempDir()
	pts := []NPoint{
		{N: 4, Clients: 16, OpsPerSec: 54, P50: 256 * time.Millisecond, P99: 729 * time.Millisecond, Load: "1.0 1.0 1.0"},
		{N: 7, Clients: 16, OpsPerSec: 81, P50: 191 * time.Millisecond, P99: 304 * time.Millisecond, ViewsEntered: 1, Load: "2.0 1.0 1.0"},
	}
	csvPath, pngPath := filepath.Join(dir, "n.csv"), filepath.Join(dir, "n.png")
	if err := WriteNCSV(csvPath, pts); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	want := "validators,clients,ops_per_s,commit_p50_ms,commit_p99_ms,views_entered,load_before\n" +
		"4,16,54.0,256,729,0,1.0 1.0 1.0\n7,16,81.0,191,304,1,2.0 1.0 1.0\n"
	if string(got) != want {
		t.Fatalf("CSV:\n%s\nwant:\n%s", got, want)
	}
	if err := PlotAgainstNPNG(pngPath, "test", pts); err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile(pngPath)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("plot is not a PNG (%d bytes, %v)", len(png), err)
	}
}
