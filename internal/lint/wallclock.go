package lint

import (
	"fmt"
	"go/ast"
	"go/token"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// WallClockFuncs are package time's functions that read the wall clock or
// wait on the runtime's timers. A shell that takes a clock.Clock must not
// use them, or a simulated clock no longer drives it: a test that advances
// the clock then waits for real time, or sees an expiry it cannot move.
var WallClockFuncs = []string{"Now", "Since", "Until", "After", "AfterFunc", "NewTimer", "NewTicker", "Sleep", "Tick"}

// CheckWallClock reports every use — a call or a function value — of
// WallClockFuncs in the non-test Go files of the package in dir, except
// inside the functions allowed names. A key of allowed is "file.go:Func"
// or "file.go:Type.Method" (a pointer receiver is written without the
// star); function literals count as the function that holds them, and
// package-level declarations as "file.go:(package)". Its value says why
// the wall clock is right there; an empty reason, or an entry that
// matches no use (a stale allowance would let a new read in unseen), is a
// violation too.
func CheckWallClock(dir string, allowed map[string]string) ([]Violation, error) {
	fset, files, err := parsePackage(dir, "shell package", "fix the list of packages on a Clock")
	if err != nil {
		return nil, err
	}
	var out []Violation
	used := map[string]bool{}
	for _, f := range files {
		out = append(out, checkWallClockFile(fset, f.name, f.ast, allowed, used)...)
	}
	keys := make([]string, 0, len(allowed))
	for k := range allowed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pos := token.Position{Filename: filepath.Join(dir, strings.SplitN(k, ":", 2)[0])}
		if strings.TrimSpace(allowed[k]) == "" {
			out = append(out, Violation{pos, fmt.Sprintf("the wall-clock allowance %s gives no reason: say why real time is right there", k)})
		}
		if !used[k] {
			out = append(out, Violation{pos, fmt.Sprintf("the wall-clock allowance %s matches no use of package time's clock: delete it", k)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.String() < out[j].Pos.String() })
	return out, nil
}

func checkWallClockFile(fset *token.FileSet, file string, f *ast.File, allowed map[string]string, used map[string]bool) []Violation {
	var out []Violation
	local := ""
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path != "time" {
			continue
		}
		local = "time"
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local == "." {
			// A dot import makes Now a bare identifier this check would
			// have to resolve; refuse it instead.
			out = append(out, Violation{fset.Position(imp.Pos()), `dot-imports "time": import it by name so the wall-clock check can see its uses`})
			return out
		}
	}
	if local == "" || local == "_" {
		return out
	}
	for _, decl := range f.Decls {
		key := file + ":(package)"
		if fd, ok := decl.(*ast.FuncDecl); ok {
			key = file + ":" + funcName(fd)
		}
		ast.Inspect(decl, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok || id.Name != local || !slices.Contains(WallClockFuncs, sel.Sel.Name) {
				return true
			}
			if _, ok := allowed[key]; ok {
				used[key] = true
				return true
			}
			out = append(out, Violation{fset.Position(sel.Pos()), fmt.Sprintf("uses time.%s in %s: read time through the package's clock.Clock (or allow this function, saying why real time is right)", sel.Sel.Name, strings.TrimPrefix(key, file+":"))})
			return true
		})
	}
	return out
}

// funcName is "Func", or "Type.Method" for a method.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr: // a generic receiver T[P]
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}
