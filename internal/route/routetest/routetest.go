// Package routetest holds checks shared by the tests of packages that
// register routes (internal/api, internal/web).
package routetest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// EngineFieldCalls fails tb for every call through an Engine field (as in
// h.Engine.Agenda(…)) in the non-test Go files of dir. Handlers take the
// engine from the request instead: on a cluster node the field is nil and
// the engine of the lease comes with each ledger request, so such a call
// would work on one node and fail on several.
func EngineFieldCalls(tb testing.TB, dir string) {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		tb.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			tb.Fatalf("routetest: parse %s: %v", name, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "Engine" {
					tb.Errorf("%s: %s.Engine.%s: take the engine from the request instead", fset.Position(sel.Pos()), exprName(inner.X), sel.Sel.Name)
				}
			}
			return true
		})
	}
}

func exprName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return "…"
}
