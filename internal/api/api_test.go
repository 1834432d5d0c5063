package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// Every route is in the OpenAPI document, and the document names no route
// that does not exist.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	routes := (&Handler{}).Routes(http.NewServeMux())
	slices.Sort(documented)
	slices.Sort(routes)
	if !slices.Equal(documented, routes) {
		t.Fatalf("routes and OpenAPI paths differ:\nroutes     %v\ndocumented %v", routes, documented)
	}
}
