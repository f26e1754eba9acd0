package worker

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/enigma-mpc/enigma/worker/script"
)

// OperatorConfig is what a worker node's operator decides, in the shape of
// the [worker] section of the node's config.toml. Zero fields keep the
// defaults.
type OperatorConfig struct {
	// AllowURLs are the URL prefixes scripts may fetch with http.get.
	AllowURLs []string `toml:"allow_urls"`
	// KeysDir holds the providers' column keys, one <dataset ID>.keys file
	// per dataset (default <datadir>/worker/keys).
	KeysDir        string `toml:"keys_dir"`
	MaxSteps       uint64 `toml:"max_steps"`
	MaxWallTime    string `toml:"max_wall_time"`
	MaxMemoryBytes int64  `toml:"max_memory_bytes"`
	MaxInputBytes  int64  `toml:"max_input_bytes"`
	MaxRows        int    `toml:"max_rows"`
	MaxAttempts    int    `toml:"max_attempts"`
	InitialBackoff string `toml:"initial_backoff"`
	MaxBackoff     string `toml:"max_backoff"`
}

// Apply sets the operator's choices in cfg: Dir (<datadir>/worker), Keys,
// the sandbox's allow-list and limits, and the retry policy.
func (o OperatorConfig) Apply(cfg *Config, datadir string) error {
	dir := filepath.Join(datadir, "worker")
	cfg.Dir = dir
	keys := o.KeysDir
	if keys == "" {
		keys = filepath.Join(dir, "keys")
	}
	cfg.Keys = KeysFromDir(keys)
	cfg.Sandbox.AllowURLs = o.AllowURLs
	cfg.Sandbox.Limits = script.Limits{
		MaxSteps: o.MaxSteps, MaxMemoryBytes: o.MaxMemoryBytes, MaxInputBytes: o.MaxInputBytes, MaxRows: o.MaxRows,
	}
	cfg.Retry.MaxAttempts = o.MaxAttempts
	for _, d := range []struct {
		name string
		text string
		into *time.Duration
	}{
		{"max_wall_time", o.MaxWallTime, &cfg.Sandbox.Limits.MaxWallTime},
		{"initial_backoff", o.InitialBackoff, &cfg.Retry.InitialBackoff},
		{"max_backoff", o.MaxBackoff, &cfg.Retry.MaxBackoff},
	} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil || v <= 0 {
			return fmt.Errorf("[worker] %s = %q: want a positive duration such as \"90s\" or \"2m\"", d.name, d.text)
		}
		*d.into = v
	}
	if o.MaxAttempts < 0 || o.MaxRows < 0 || o.MaxMemoryBytes < 0 || o.MaxInputBytes < 0 {
		return fmt.Errorf("[worker] limits and max_attempts must not be negative")
	}
	if err := script.CheckAllowList(o.AllowURLs); err != nil {
		return fmt.Errorf("[worker] allow_urls: %w", err)
	}
	return nil
}
