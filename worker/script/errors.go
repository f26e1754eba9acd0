package script

import (
	"fmt"

	"go.starlark.net/syntax"
)

// Error is a mistake in the script: a syntax error, an unknown name, a
// failed built-in call or a runtime error, at a file:line:column.
type Error struct {
	Pos syntax.Position
	Msg string
	// Backtrace is the Starlark call stack for runtime errors, or "".
	Backtrace string
}

func (e *Error) Error() string {
	if e.Pos.IsValid() {
		return fmt.Sprintf("script error at %s: %s", e.Pos, e.Msg)
	}
	return "script error: " + e.Msg
}

// Names of the limits a run can breach.
const (
	LimitSteps        = "steps"
	LimitWallTime     = "wall time"
	LimitMemory       = "memory"
	LimitInputBytes   = "input bytes"
	LimitHTTPRequests = "http requests"
	LimitResponseSize = "http response size"
	LimitRows         = "rows"
)

// LimitError says which sandbox limit a run breached.
type LimitError struct {
	// Limit is one of the Limit* names.
	Limit string
	// Max renders the configured limit.
	Max string
	// Pos is where the script was when it was stopped, if known.
	Pos syntax.Position
}

func (e *LimitError) Error() string {
	where := ""
	if e.Pos.IsValid() {
		where = " at " + e.Pos.String()
	}
	return fmt.Sprintf("script stopped%s: %s limit breached (limit %s); make the script do less per run or ask the worker operator to raise the limit", where, e.Limit, e.Max)
}
