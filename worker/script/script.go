package script

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	starlarkjson "go.starlark.net/lib/json"
	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/clock"
)

// Limits bound one run of a script. Zero fields take the defaults.
type Limits struct {
	// MaxSteps bounds Starlark execution steps.
	MaxSteps uint64
	// MaxWallTime bounds the run's duration on the configured clock.
	MaxWallTime time.Duration
	// MaxMemoryBytes bounds how much the Go heap may grow during the run.
	MaxMemoryBytes int64
	// MaxInputBytes bounds the total bytes read from files and HTTP.
	MaxInputBytes int64
	// MaxHTTPRequests bounds http.get calls.
	MaxHTTPRequests int
	// MaxResponseBytes bounds one HTTP response body.
	MaxResponseBytes int64
	// HTTPTimeout bounds one HTTP request (real time: the network's).
	HTTPTimeout time.Duration
	// MaxRows bounds the rows a script returns.
	MaxRows int
}

// DefaultLimits are the limits a worker applies unless its operator says
// otherwise.
var DefaultLimits = Limits{
	MaxSteps:         100_000_000,
	MaxWallTime:      2 * time.Minute,
	MaxMemoryBytes:   256 << 20,
	MaxInputBytes:    64 << 20,
	MaxHTTPRequests:  32,
	MaxResponseBytes: 16 << 20,
	HTTPTimeout:      30 * time.Second,
	MaxRows:          200_000,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxSteps == 0 {
		l.MaxSteps = d.MaxSteps
	}
	if l.MaxWallTime == 0 {
		l.MaxWallTime = d.MaxWallTime
	}
	if l.MaxMemoryBytes == 0 {
		l.MaxMemoryBytes = d.MaxMemoryBytes
	}
	if l.MaxInputBytes == 0 {
		l.MaxInputBytes = d.MaxInputBytes
	}
	if l.MaxHTTPRequests == 0 {
		l.MaxHTTPRequests = d.MaxHTTPRequests
	}
	if l.MaxResponseBytes == 0 {
		l.MaxResponseBytes = d.MaxResponseBytes
	}
	if l.HTTPTimeout == 0 {
		l.HTTPTimeout = d.HTTPTimeout
	}
	if l.MaxRows == 0 {
		l.MaxRows = d.MaxRows
	}
	return l
}

// Config is what the worker operator controls about the sandbox.
type Config struct {
	// Dir is the job's directory; files.* see only what is under it. Empty
	// disables files.*.
	Dir string
	// AllowURLs are the URL prefixes http.get may fetch, e.g.
	// "https://api.exchange.example/v1/". Empty disables http.get.
	AllowURLs []string
	Limits    Limits
	Clock     clock.Clock
	// HTTPClient is used for http.get; its CheckRedirect is replaced by the
	// allow-list check. Default: a client over http.DefaultTransport.
	HTTPClient *http.Client
	// Logger receives the script's print() output.
	Logger *slog.Logger
}

func (c Config) withDefaults() (Config, allowList, error) {
	c.Limits = c.Limits.withDefaults()
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	allow, err := parseAllowList(c.AllowURLs)
	if err != nil {
		return c, nil, err
	}
	base := http.Client{Transport: http.DefaultTransport}
	if c.HTTPClient != nil {
		base = *c.HTTPClient
	}
	base.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return allow.check(req.URL)
	}
	c.HTTPClient = &base
	return c, allow, nil
}

const maxRedirects = 5

// Input is one run's script and context.
type Input struct {
	// Filename names the script in error positions, e.g. "curate.star".
	Filename string
	Source   []byte
	Schema   *dataset.Schema
	// Dataset and Version are shown to the script as ctx.dataset and
	// ctx.version.
	Dataset string
	Version uint64
	// ScheduledAt is the schedule slot the run is for (ctx.scheduled_at).
	ScheduledAt time.Time
}

// Result is what a successful run produced.
type Result struct {
	Rows []dataset.Row
	// Steps is the Starlark steps executed; InputBytes the bytes read from
	// files and HTTP.
	Steps      uint64
	InputBytes int64
}

// memCheckInterval is how many steps run between heap checks.
const memCheckInterval = 1 << 14

// run is the state of one execution, shared by the built-ins.
type run struct {
	ctx context.Context
	// cancel ends ctx, so a built-in blocked on the network returns when a
	// limit stops the script.
	cancel context.CancelFunc
	cfg    Config
	allow  allowList
	root   *os.Root
	thread *starlark.Thread

	mu struct {
		sync.Mutex
		breach *LimitError
	}
	inputBytes   int64
	httpRequests int
	heapBase     uint64
	printed      int
}

// maxPrintBytes bounds what one run's print() calls may log; later output
// is dropped with one notice, so a chatty script cannot flood the node's
// logs.
const maxPrintBytes = 64 << 10

func (r *run) print(filename string) func(*starlark.Thread, string) {
	return func(_ *starlark.Thread, msg string) {
		if r.printed >= maxPrintBytes {
			return
		}
		r.printed += len(msg)
		if r.printed >= maxPrintBytes {
			r.cfg.Logger.Warn("script print output truncated", "script", filename, "limit_bytes", maxPrintBytes)
			return
		}
		r.cfg.Logger.Info("script print", "script", filename, "msg", msg)
	}
}

// Run executes in.Source's curate(ctx) under cfg's limits and returns its rows,
// checked against in.Schema. Errors: *Error (script), *LimitError,
// *dataset.RowError (wrapped), or the context's error.
func Run(ctx context.Context, cfg Config, in Input) (Result, error) {
	cfg, allow, err := cfg.withDefaults()
	if err != nil {
		return Result{}, err
	}
	if in.Schema == nil {
		return Result{}, errors.New("script: no schema given")
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &run{ctx: runCtx, cancel: cancel, cfg: cfg, allow: allow}
	if cfg.Dir != "" {
		root, err := os.OpenRoot(cfg.Dir)
		if err != nil {
			return Result{}, fmt.Errorf("open the job directory: %w", err)
		}
		defer root.Close()
		r.root = root
	}
	r.thread = &starlark.Thread{
		Name:  in.Filename,
		Print: r.print(in.Filename),
		Load: func(*starlark.Thread, string) (starlark.StringDict, error) {
			return nil, errors.New("load() is not available to curation scripts")
		},
		OnMaxSteps: r.onCheckpoint,
	}
	r.thread.SetMaxExecutionSteps(min(memCheckInterval, cfg.Limits.MaxSteps))
	r.heapBase = heapBytes()

	// The wall-time guard: the clock's timer cancels the thread, and the
	// context so that a built-in blocked on the network returns too.
	timer := cfg.Clock.NewTimer(cfg.Limits.MaxWallTime)
	done := make(chan struct{})
	var guard sync.WaitGroup
	guard.Add(1)
	go func() {
		defer guard.Done()
		select {
		case <-timer.C():
			r.breach(&LimitError{Limit: LimitWallTime, Max: cfg.Limits.MaxWallTime.String()})
		case <-ctx.Done():
			r.thread.Cancel(ctx.Err().Error())
		case <-done:
		}
	}()
	rows, err := r.exec(in)
	timer.Stop()
	close(done)
	guard.Wait()
	res := Result{Steps: r.thread.ExecutionSteps(), InputBytes: r.inputBytes}
	if err != nil {
		return res, err
	}
	res.Rows = rows
	return res, nil
}

func (r *run) exec(in Input) (rows []dataset.Row, err error) {
	// A script is untrusted input: should the interpreter ever panic on
	// one, the worker reports it like any failed run instead of crashing.
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, &Error{Msg: fmt.Sprintf("the Starlark interpreter failed on this script (%v); please report it", p)}
		}
	}()
	opts := &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true}
	globals, err := starlark.ExecFileOptions(opts, r.thread, in.Filename, in.Source, r.predeclared())
	if err != nil {
		return nil, r.wrap(err)
	}
	fn, ok := globals["curate"].(starlark.Callable)
	if !ok {
		return nil, &Error{Pos: syntax.MakePosition(&in.Filename, 1, 1), Msg: "the script must define a function curate(ctx) that returns the rows"}
	}
	ctxv := starlarkstruct.FromStringDict(starlark.String("ctx"), starlark.StringDict{
		"dataset":          starlark.String(in.Dataset),
		"version":          starlark.MakeUint64(in.Version),
		"scheduled_at":     starlark.MakeInt64(in.ScheduledAt.UnixMicro()),
		"scheduled_at_iso": starlark.String(in.ScheduledAt.UTC().Format(time.RFC3339)),
		"scheduled_date":   starlark.String(in.ScheduledAt.UTC().Format(time.DateOnly)),
	})
	out, err := starlark.Call(r.thread, fn, starlark.Tuple{ctxv}, nil)
	if err != nil {
		return nil, r.wrap(err)
	}
	if b := r.breached(); b != nil {
		return nil, b
	}
	return convertRows(in.Schema, out, r.cfg.Limits.MaxRows)
}

func (r *run) predeclared() starlark.StringDict {
	return starlark.StringDict{
		"files": &starlarkstruct.Module{Name: "files", Members: starlark.StringDict{
			"read": starlark.NewBuiltin("files.read", r.filesRead),
			"list": starlark.NewBuiltin("files.list", r.filesList),
		}},
		"csv": &starlarkstruct.Module{Name: "csv", Members: starlark.StringDict{
			"parse": starlark.NewBuiltin("csv.parse", r.csvParse),
		}},
		"json": starlarkjson.Module,
		"http": &starlarkstruct.Module{Name: "http", Members: starlark.StringDict{
			"get": starlark.NewBuiltin("http.get", r.httpGet),
		}},
		"timestamp": &starlarkstruct.Module{Name: "timestamp", Members: starlark.StringDict{
			"parse":  starlark.NewBuiltin("timestamp.parse", timestampParse),
			"format": starlark.NewBuiltin("timestamp.format", timestampFormat),
		}},
	}
}

// onCheckpoint runs every memCheckInterval steps: it enforces the step limit
// and the heap limit, then arms the next checkpoint.
func (r *run) onCheckpoint(thread *starlark.Thread) {
	steps := thread.ExecutionSteps()
	if steps >= r.cfg.Limits.MaxSteps {
		r.breach(&LimitError{Limit: LimitSteps, Max: fmt.Sprint(r.cfg.Limits.MaxSteps)})
		return
	}
	if err := r.checkMemory(); err != nil {
		r.breach(err)
		return
	}
	thread.SetMaxExecutionSteps(min(steps+memCheckInterval, r.cfg.Limits.MaxSteps))
}

// checkMemory compares the heap with its size when the run started. Garbage
// counts until collected, so an apparent breach forces a collection and
// looks again before it is believed.
func (r *run) checkMemory() *LimitError {
	limit := uint64(r.cfg.Limits.MaxMemoryBytes)
	if heapBytes() <= r.heapBase+limit {
		return nil
	}
	runtime.GC()
	if heapBytes() <= r.heapBase+limit {
		return nil
	}
	return &LimitError{Limit: LimitMemory, Max: fmt.Sprintf("%d bytes of heap growth", limit)}
}

// breach records the first limit breached and stops the script.
func (r *run) breach(e *LimitError) {
	r.mu.Lock()
	if r.mu.breach == nil {
		r.mu.breach = e
	}
	r.mu.Unlock()
	r.thread.Cancel("limit breached: " + e.Limit)
	r.cancel()
}

func (r *run) breached() *LimitError {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.mu.breach
}

// wrap turns an error from the interpreter into *LimitError or *Error with
// the position of the innermost Starlark frame.
func (r *run) wrap(err error) error {
	var pos syntax.Position
	var evalErr *starlark.EvalError
	if errors.As(err, &evalErr) {
		for i := range evalErr.CallStack {
			if p := evalErr.CallStack.At(i).Pos; p.IsValid() && p.Line > 0 {
				pos = p
				break
			}
		}
	}
	limit := r.breached()
	if limit == nil {
		errors.As(err, &limit)
	}
	if limit != nil {
		out := *limit
		out.Pos = pos
		return &out
	}
	if ctxErr := r.ctx.Err(); ctxErr != nil && r.breached() == nil {
		return fmt.Errorf("script stopped: %w", ctxErr)
	}
	var syntaxErr syntax.Error
	if errors.As(err, &syntaxErr) {
		return &Error{Pos: syntaxErr.Pos, Msg: syntaxErr.Msg}
	}
	var resolveErrs resolve.ErrorList
	if errors.As(err, &resolveErrs) {
		return &Error{Pos: resolveErrs[0].Pos, Msg: resolveErrs[0].Msg}
	}
	if evalErr != nil {
		return &Error{Pos: pos, Msg: evalErr.Msg, Backtrace: evalErr.Backtrace()}
	}
	return &Error{Pos: pos, Msg: err.Error()}
}

// addInput charges n bytes read from files or HTTP against the input budget.
func (r *run) addInput(n int64) error {
	r.inputBytes += n
	if r.inputBytes > r.cfg.Limits.MaxInputBytes {
		return &LimitError{Limit: LimitInputBytes, Max: fmt.Sprintf("%d bytes", r.cfg.Limits.MaxInputBytes)}
	}
	return nil
}

// remainingInput is how many more input bytes the run may read.
func (r *run) remainingInput() int64 {
	return max(r.cfg.Limits.MaxInputBytes-r.inputBytes, 0)
}

// afterBuiltin checks the heap once a built-in produced its value, since
// built-ins allocate without taking steps.
func (r *run) afterBuiltin(v starlark.Value, err error) (starlark.Value, error) {
	if err != nil {
		return nil, err
	}
	if lerr := r.checkMemory(); lerr != nil {
		r.breach(lerr)
		return nil, lerr
	}
	return v, nil
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
var heapMu sync.Mutex

// heapBytes is the memory held by heap objects, live or not yet swept.
func heapBytes() uint64 {
	heapMu.Lock()
	defer heapMu.Unlock()
	metrics.Read(heapSample)
	return heapSample[0].Value.Uint64()
}
