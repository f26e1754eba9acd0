package node

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/enigma-mpc/enigma/nodeinfo"
)

// Config is a node's configuration, read from <datadir>/config.toml and
// overridden by flags.
type Config struct {
	Roles   []nodeinfo.Role `toml:"roles"`
	Overlay OverlayConfig   `toml:"overlay"`
	Chain   ChainConfig     `toml:"chain"`
	Metrics MetricsConfig   `toml:"metrics"`
	Police  PoliceSettings  `toml:"police"`
	// Validator tunes how a validator follows the chain's validator epochs.
	Validator ValidatorSettings `toml:"validator"`
	// Persistence tunes the persistence role.
	Persistence PersistenceSettings `toml:"persistence"`
	// HTTP is the read-only HTTP API and web explorer (package httpapi).
	HTTP HTTPSettings `toml:"http"`
}

// HTTPSettings configure the read-only HTTP API and web explorer a node
// may serve (package httpapi); an empty address disables it, the default.
type HTTPSettings struct {
	// Addr is the TCP host:port to serve on.
	Addr string `toml:"addr"`
	// CORSOrigins are the origins whose pages may call the API from a
	// browser ("*": any). None, the default: only the explorer the node
	// serves itself.
	CORSOrigins []string `toml:"cors_origins,omitempty"`
	// RatePerSecond and Burst bound each client address's requests (0: the
	// defaults, 20 per second with bursts of 40).
	RatePerSecond float64 `toml:"rate_per_second,omitempty"`
	Burst         int     `toml:"burst,omitempty"`
	// EventsFrom is the first block whose Marketplace events (metadata
	// versions, slashes) the API reads: the Marketplace's deployment block
	// (0 scans the chain from its start, in ranges of 2,000 blocks).
	EventsFrom uint64 `toml:"events_from,omitempty"`
}

// PersistenceSettings tune how a persistence node takes workers' pushes.
type PersistenceSettings struct {
	// MaxSlotSkew is how far past this node's clock the slot of a pushed
	// run may be ("1m"): room for the clocks of worker and persistence node
	// to differ. Runs for later slots are refused.
	MaxSlotSkew time.Duration `toml:"max_slot_skew"`
	// Backend is where the node keeps rows and runs queries: "pebble"
	// (the default, embedded) or "postgres" (docs/arch/postgres.md).
	Backend string `toml:"backend"`
	// PostgresDSN is the PostgreSQL connection string of backend =
	// "postgres" ("postgres://user:password@host:5432/db"). It is a
	// secret: config.toml is 0600; ENIGMA_POSTGRES_DSN in the node's
	// environment is used when this is empty. There is no flag for it.
	PostgresDSN string `toml:"postgres_dsn"`
	// ExternalTables serves datasets from the provider's own PostgreSQL
	// tables or views, read-only, with no worker: dataset path →
	// "[schema.]relation" (backend "postgres" only;
	// docs/arch/postgres.md, "Bring your own table").
	ExternalTables map[string]string `toml:"external_tables"`
	// CacheMiB sizes the query store's block cache (0: 128). Queries
	// read at block-cache speed while the tables they touch fit in it; an
	// encrypted table needs about 1.4 times its plaintext's room
	// (docs/OPERATIONS.md, "Tune").
	CacheMiB int `toml:"cache_mib,omitempty"`
}

// maxCacheMiB bounds persistence.cache_mib (1 TiB).
const maxCacheMiB = 1 << 20

// maxSlotSkewLimit bounds persistence.max_slot_skew: a larger allowance
// would let a worker claim slots that have not come yet.
const maxSlotSkewLimit = time.Hour

// ValidatorSettings tune how a validator follows the validator sets the
// chain activates.
type ValidatorSettings struct {
	// EpochCheckInterval is how often the validator reads the chain's
	// current validator epoch ("5s").
	EpochCheckInterval time.Duration `toml:"epoch_check_interval"`
	// LeaveAfter is how long a replica whose node left the validator set
	// keeps serving state transfer before it stops ("10m").
	LeaveAfter time.Duration `toml:"leave_after"`
}

// PoliceSettings tune a validator's availability probes of persistence
// nodes (used when the validator runs with its registered account).
type PoliceSettings struct {
	// ProbeInterval is the time between probe rounds ("1m", "30s").
	ProbeInterval time.Duration `toml:"probe_interval"`
	// ProbeFailures is how many rounds in a row every persistence node of a
	// dataset must miss before the validator attests it offline.
	ProbeFailures int `toml:"probe_failures"`
	// ProbeGrace is how long a dataset none of whose persistence nodes has
	// answered yet (just listed, or a version naming other nodes) is probed
	// before its misses count ("10m"; "0s": from the first round).
	ProbeGrace time.Duration `toml:"probe_grace"`
}

// OverlayConfig configures the S/Kademlia node.
type OverlayConfig struct {
	// Listen is the UDP address QUIC listens on.
	Listen string `toml:"listen"`
	// Bootstrap lists nodes to join through, as <node ID>@<host:port>.
	Bootstrap []string `toml:"bootstrap"`
	// StoreMiB bounds the DHT records the node holds; PublisherMiB the
	// self-certifying records of one publisher among them (0: 256 and 4).
	StoreMiB     int `toml:"store_mib,omitempty"`
	PublisherMiB int `toml:"publisher_mib,omitempty"`
}

// ChainConfig says which Ethereum network the node follows.
type ChainConfig struct {
	RPC           string `toml:"rpc"`
	ChainID       uint64 `toml:"chain_id"`
	Marketplace   string `toml:"marketplace"`
	Confirmations uint64 `toml:"confirmations"`
}

// MetricsConfig configures the Prometheus and health endpoint; an empty
// address disables it.
type MetricsConfig struct {
	Addr string `toml:"addr"`
}

// DefaultConfig is what `enigma node init` writes.
func DefaultConfig() Config {
	return Config{
		Roles:       []nodeinfo.Role{nodeinfo.RoleOverlay},
		Overlay:     OverlayConfig{Listen: "127.0.0.1:30400"},
		Chain:       ChainConfig{RPC: "http://127.0.0.1:8545", ChainID: 1337, Confirmations: 1},
		Metrics:     MetricsConfig{Addr: "127.0.0.1:9400"},
		Police:      PoliceSettings{ProbeInterval: time.Minute, ProbeFailures: 5, ProbeGrace: 10 * time.Minute},
		Validator:   ValidatorSettings{EpochCheckInterval: 5 * time.Second, LeaveAfter: 10 * time.Minute},
		Persistence: PersistenceSettings{MaxSlotSkew: time.Minute},
	}
}

// minProbeInterval keeps a misconfigured validator from flooding the
// persistence nodes with probes.
const minProbeInterval = 100 * time.Millisecond

// Validate checks the configuration and says which field is wrong.
func (c *Config) Validate() error {
	var errs []error
	if len(c.Roles) == 0 {
		errs = append(errs, errors.New("roles: at least the overlay role is needed"))
	}
	for _, r := range c.Roles {
		if !r.Known() {
			errs = append(errs, fmt.Errorf("roles: unknown role %q", r))
		}
	}
	if _, _, err := net.SplitHostPort(c.Overlay.Listen); err != nil {
		errs = append(errs, fmt.Errorf("overlay.listen %q: want host:port", c.Overlay.Listen))
	}
	if c.Metrics.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Metrics.Addr); err != nil {
			errs = append(errs, fmt.Errorf("metrics.addr %q: want host:port", c.Metrics.Addr))
		}
	}
	if c.HTTP.Addr != "" {
		if _, _, err := net.SplitHostPort(c.HTTP.Addr); err != nil {
			errs = append(errs, fmt.Errorf("http.addr %q: want host:port", c.HTTP.Addr))
		}
	}
	if c.HTTP.RatePerSecond < 0 || c.HTTP.Burst < 0 {
		errs = append(errs, errors.New("http.rate_per_second and http.burst must not be negative (0 takes the defaults)"))
	}
	if c.Police.ProbeInterval < minProbeInterval {
		errs = append(errs, fmt.Errorf("police.probe_interval %s: want at least %s", c.Police.ProbeInterval, minProbeInterval))
	}
	if c.Validator.EpochCheckInterval < 0 || c.Validator.LeaveAfter < 0 {
		errs = append(errs, fmt.Errorf("validator.epoch_check_interval and validator.leave_after must not be negative"))
	}
	if c.Police.ProbeFailures < 1 {
		errs = append(errs, fmt.Errorf("police.probe_failures %d: want at least 1", c.Police.ProbeFailures))
	}
	if c.Police.ProbeGrace < 0 {
		errs = append(errs, fmt.Errorf("police.probe_grace %s: want 0s or more", c.Police.ProbeGrace))
	}
	if s := c.Persistence.MaxSlotSkew; s <= 0 || s > maxSlotSkewLimit {
		errs = append(errs, fmt.Errorf("persistence.max_slot_skew %s: want more than 0s and at most %s (\"1m\" is the default)", s, maxSlotSkewLimit))
	}
	if m := c.Persistence.CacheMiB; m < 0 || m > maxCacheMiB {
		errs = append(errs, fmt.Errorf("persistence.cache_mib %d: want 0 (the default, 128) to %d", m, maxCacheMiB))
	}
	switch c.Persistence.Backend {
	case "", BackendPebble, BackendPostgres:
	default:
		errs = append(errs, fmt.Errorf("persistence.backend %q: use %q (the default) or %q", c.Persistence.Backend, BackendPebble, BackendPostgres))
	}
	if len(c.Persistence.ExternalTables) > 0 && c.Persistence.Backend != BackendPostgres {
		errs = append(errs, fmt.Errorf("persistence.external_tables needs persistence.backend = %q", BackendPostgres))
	}
	if _, err := parseExternalTables(c.Persistence.ExternalTables); err != nil {
		errs = append(errs, err)
	}
	if c.Chain.ChainID == 0 {
		errs = append(errs, errors.New("chain.chain_id: must be set (1337 for dev chains)"))
	}
	return errors.Join(errs...)
}

// HasRole reports whether the node runs role r.
func (c *Config) HasRole(r nodeinfo.Role) bool { return slices.Contains(c.Roles, r) }

// ConfigFile is the configuration's name inside the datadir.
const ConfigFile = "config.toml"

// LoadConfig reads <datadir>/config.toml; unknown keys are an error, so a
// typo does not silently fall back to a default.
func LoadConfig(datadir string) (Config, error) {
	path := filepath.Join(datadir, ConfigFile)
	cfg := DefaultConfig()
	md, err := toml.DecodeFile(path, &cfg)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, fmt.Errorf("no %s in %s: run 'enigma node init' first", ConfigFile, datadir)
	}
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return Config{}, fmt.Errorf("%s: unknown setting %q", path, undecoded[0].String())
	}
	return cfg, cfg.Validate()
}

// WriteConfig writes cfg to <datadir>/config.toml (mode 0600), refusing to
// overwrite.
func WriteConfig(datadir string, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("# enigma node configuration; flags of 'enigma node run' override these.\n")
	if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	path := filepath.Join(datadir, ConfigFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists: edit it, or remove it to start over", path)
	}
	if err != nil {
		return fmt.Errorf("create config: %w", err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("write config: %w", err)
	}
	return f.Close()
}
