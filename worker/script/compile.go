package script

import (
	"fmt"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Compile checks a curation script without running it: it parses with the
// options Run uses, resolves every name against the sandbox's built-ins
// (an unknown name or a load() is an error here, as it would be at the
// first run), and checks that the file defines curate at the top level.
// Errors are *Error with the file:line:column. It runs no code, so it needs
// no job directory and reads no clock.
func Compile(filename string, src []byte) error {
	opts := &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true}
	predeclared := (&run{}).predeclared()
	f, err := opts.Parse(filename, src, 0)
	if err != nil {
		return syntaxError(err)
	}
	for _, stmt := range f.Stmts {
		if _, ok := stmt.(*syntax.LoadStmt); ok {
			start, _ := stmt.Span()
			return &Error{Pos: start, Msg: "load() is not available to curation scripts"}
		}
	}
	if _, err := starlark.FileProgram(f, func(name string) bool {
		_, ok := predeclared[name]
		return ok || starlark.Universe.Has(name)
	}); err != nil {
		return syntaxError(err)
	}
	for _, stmt := range f.Stmts {
		if def, ok := stmt.(*syntax.DefStmt); ok && def.Name.Name == "curate" {
			if len(def.Params) != 1 {
				return &Error{Pos: def.Def, Msg: fmt.Sprintf("curate must take one parameter, ctx (it takes %d)", len(def.Params))}
			}
			return nil
		}
	}
	return &Error{Pos: syntax.MakePosition(&filename, 1, 1), Msg: "the script must define a function curate(ctx) that returns the rows"}
}

// syntaxError turns the parser's and resolver's errors into *Error.
func syntaxError(err error) error {
	switch e := err.(type) {
	case syntax.Error:
		return &Error{Pos: e.Pos, Msg: e.Msg}
	case resolve.ErrorList:
		return &Error{Pos: e[0].Pos, Msg: e[0].Msg}
	}
	return &Error{Msg: err.Error()}
}
