package worker

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestOperatorConfigFromTOML(t *testing.T) {
	var section struct {
		Worker OperatorConfig `toml:"worker"`
	}
	_, err := toml.Decode(`
[worker]
allow_urls = ["https://api.exchange.example/v1/"]
max_steps = 5000000
max_wall_time = "45s"
max_attempts = 3
initial_backoff = "10s"
max_backoff = "5m"
`, &section)
	if err != nil {
		t.Fatal(err)
	}
	var cfg Config
	if err := section.Worker.Apply(&cfg, "/data"); err != nil {
		t.Fatal(err)
	}
	if cfg.Dir != filepath.Join("/data", "worker") || cfg.Keys == nil || cfg.Sandbox.Limits.MaxSteps != 5_000_000 ||
		cfg.Sandbox.Limits.MaxWallTime != 45*time.Second || cfg.Retry.MaxAttempts != 3 ||
		cfg.Retry.InitialBackoff != 10*time.Second || cfg.Retry.MaxBackoff != 5*time.Minute ||
		len(cfg.Sandbox.AllowURLs) != 1 {
		t.Fatalf("applied config: %+v", cfg)
	}
	for name, bad := range map[string]OperatorConfig{
		"duration":   {MaxWallTime: "soon"},
		"negative":   {MaxBackoff: "-1s"},
		"allow-list": {AllowURLs: []string{"ftp://x/"}},
		"attempts":   {MaxAttempts: -1},
	} {
		if err := bad.Apply(&Config{}, "/data"); err == nil || !strings.Contains(err.Error(), "[worker]") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
